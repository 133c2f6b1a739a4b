import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decideSandbox, type SandboxFacts } from '../src/sandbox.js'
import { sweepStaleProfiles } from '../src/stale-profiles.js'

const user: SandboxFacts = {
  uid: 1000,
  noSandbox: undefined,
  usernsClone: undefined,
  maxUserNamespaces: '96369',
  apparmorRestrict: undefined
}

describe('decideSandbox', () => {
  it('uses the sandbox as a user that may make user namespaces', () => {
    expect(decideSandbox(user)).toEqual({ sandbox: true, reason: 'running as a user that may make user namespaces' })
    expect(decideSandbox({ ...user, usernsClone: '1', apparmorRestrict: '0' }).sandbox).toBe(true)
  })

  it('goes without it as root, without user namespaces, or when told to', () => {
    expect(decideSandbox({ ...user, uid: 0 })).toEqual({ sandbox: false, reason: 'running as root, where Chromium refuses its sandbox' })
    expect(decideSandbox({ ...user, usernsClone: '0' }).sandbox).toBe(false)
    expect(decideSandbox({ ...user, maxUserNamespaces: '0' }).sandbox).toBe(false)
    expect(decideSandbox({ ...user, apparmorRestrict: '1' }).sandbox).toBe(false)
    expect(decideSandbox({ ...user, noSandbox: '1' })).toEqual({ sandbox: false, reason: 'MASTHEAD_NO_SANDBOX=1 is set' })
  })
})

describe('sweepStaleProfiles', () => {
  it('removes the profiles of dead owners (and their socket folders), keeps the living ones and other folders', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'masthead-sweep-'))
    try {
      // A pid that is surely not running: a child that has exited.
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
      const stale = path.join(tmp, `masthead-chromium-${dead}-abc123`)
      const socket = path.join(tmp, 'org.chromium.Chromium.xyz')
      mkdirSync(stale)
      mkdirSync(socket)
      symlinkSync(path.join(socket, 'SingletonSocket'), path.join(stale, 'SingletonSocket'))
      const living = path.join(tmp, `masthead-chromium-${process.ppid}-def456`)
      mkdirSync(living)
      const other = path.join(tmp, 'masthead-chromium-q1w2e3')
      mkdirSync(other)
      expect(sweepStaleProfiles(tmp)).toEqual([stale])
      expect(readdirSync(tmp).sort()).toEqual([path.basename(other), path.basename(living)].sort())
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })

  it('keeps a profile whose Chromium still runs on this host, though its owner is gone', () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'masthead-sweep-'))
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
      const profile = path.join(tmp, `masthead-chromium-${dead}-abc123`)
      mkdirSync(profile)
      symlinkSync(`${os.hostname()}-${process.pid}`, path.join(profile, 'SingletonLock'))
      expect(sweepStaleProfiles(tmp)).toEqual([])
      expect(readlinkSync(path.join(profile, 'SingletonLock'))).toBe(`${os.hostname()}-${process.pid}`)
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }
  })
})

/** Whether `runuser` can run a command as `nobody` here (root, with util-linux). */
const asNobody = process.geteuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true']).status === 0

describe.runIf(asNobody)('Chromium in its sandbox, as a non-root user', () => {
  it('starts with the sandbox on, and its renderers live in a user namespace of their own', { tags: ['slow'], timeout: 120_000 }, () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'masthead-sandbox-'))
    chmodSync(dir, 0o777)
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/sandbox-probe.mjs')
    try {
      const probe = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, script], {
        encoding: 'utf8',
        env: { ...process.env, TMPDIR: dir, HOME: dir },
        timeout: 100_000
      })
      expect(probe.stderr).toBe('')
      const result = JSON.parse(probe.stdout) as {
        sandbox: { sandbox: boolean }
        flags: string
        browserUserNs: string
        rendererUserNs: string[]
        pages: number
      }
      expect(result.sandbox.sandbox).toBe(true)
      expect(result.flags).not.toContain('--no-sandbox')
      expect(result.pages).toBe(1)
      expect(result.rendererUserNs.length).toBeGreaterThan(0)
      for (const ns of result.rendererUserNs) expect(ns).not.toBe(result.browserUserNs)
      expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
