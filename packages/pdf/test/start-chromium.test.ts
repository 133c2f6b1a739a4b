import { closeSync, existsSync, openSync, readFileSync, readdirSync, readlinkSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import puppeteer from 'puppeteer-core'
import { describe, expect, it } from 'vitest'
import { fontRoots } from '../src/font-roots.js'
import { launchBrowser } from '../src/launch-browser.js'
import { mergeFeatureSwitches } from '../src/browser-args.js'
import { automationArgs, startChromium } from '../src/start-chromium.js'
import { fixtureHtml } from './fixture-html.js'

describe('automationArgs', () => {
  it('are the flags puppeteer launches headless Chromium with (tagged PDF, outline, sRGB …)', () => {
    const theirs = puppeteer
      .defaultArgs({ headless: true, userDataDir: '/profile' })
      .filter((arg) => !arg.startsWith('--user-data-dir=') && arg !== 'about:blank')
    expect([...automationArgs].sort()).toEqual(theirs.sort())
  })
})

describe('mergeFeatureSwitches', () => {
  it('joins repeated feature switches where the first stood, each feature once, and leaves other flags alone', () => {
    expect(
      mergeFeatureSwitches([
        '--a',
        '--disable-features=X,Y',
        '--enable-features=P',
        '--b=1',
        '--disable-features=Y,Z',
        '--enable-features=',
        '--c'
      ])
    ).toEqual(['--a', '--disable-features=X,Y,Z', '--enable-features=P', '--b=1', '--c'])
  })
})

/** The command lines of the processes started with this profile: the browser and its helpers. */
const processesWith = (userDataDir: string): string[] =>
  readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((pid) => {
      try {
        // Helpers forked from the zygote have their command line rewritten as one string.
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
        return cmdline.includes(`--user-data-dir=${userDataDir} `) ? [cmdline] : []
      } catch {
        return []
      }
    })

describe('startChromium', { tags: ['slow'] }, () => {
  it("passes one --disable-features, puppeteer's and ours, and Chromium starts no address-bar popup renderer", async () => {
    const started = startChromium()
    const browser = await launchBrowser({ started })
    try {
      const { html, baseDir } = fixtureHtml('toc')
      await browser.renderPdf({
        html,
        baseDir,
        allowedRoots: fontRoots(),
        metadata: { title: 'Flags', author: 'A', subject: 'S', keywords: [], lang: 'en' }
      })
      const main = readFileSync(`/proc/${browser.pid}/cmdline`, 'utf8').split('\0')
      const disabled = main.filter((arg) => arg.startsWith('--disable-features='))
      expect(disabled).toHaveLength(1)
      expect(disabled[0]?.split('=')[1]?.split(',')).toEqual(
        expect.arrayContaining(['Translate', 'IsolateSandboxedIframes', 'WebUIOmniboxPopup', 'WebUIOmniboxAimPopup'])
      )
      const processes = processesWith(started.userDataDir)
      expect(processes.filter((cmdline) => cmdline.includes('--type=renderer')).length).toBeGreaterThan(0)
      expect(processes.filter((cmdline) => cmdline.includes('--top-chrome-webui'))).toEqual([])
    } finally {
      await browser.close()
    }
  })

  it('starts Chromium at once; launchBrowser connects to it later and prints', async () => {
    const started = startChromium()
    expect(started.process.pid).toBeGreaterThan(0)
    expect(existsSync(started.userDataDir)).toBe(true)
    const browser = await launchBrowser({ started })
    expect(browser.pid).toBe(started.process.pid)
    try {
      const { html, baseDir } = fixtureHtml('toc')
      const calls: number[] = []
      const result = await browser.renderPdf({
        html,
        baseDir,
        allowedRoots: fontRoots(),
        metadata: { title: 'Started', author: 'A', subject: 'S', keywords: [], lang: 'zh-CN' },
        onLoaded: () => calls.push(performance.now())
      })
      expect(result.pageCount).toBeGreaterThan(0)
      // Once, even though the table of contents took a second print.
      expect(result.timings.print.length).toBeGreaterThanOrEqual(2)
      expect(calls).toHaveLength(1)
      expect(Buffer.from(result.pdf.subarray(0, 5)).toString()).toBe('%PDF-')
    } finally {
      await browser.close()
    }
    expect(started.exited()).toBe(true)
    expect(existsSync(started.userDataDir)).toBe(false)
  })

  it('says what Chromium said when it cannot start, and leaves no profile', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'masthead-fake-chromium-'))
    const fake = path.join(dir, 'chromium')
    const dbus = '[1:1:1203/195305.740533:ERROR:dbus/object_proxy.cc:572] Failed to call method: org.freedesktop.DBus.NameHasOwner'
    await writeFile(fake, `#!/bin/sh\necho "no display, no luck" >&2\necho "${dbus}" >&2\nexit 3\n`, { mode: 0o755 })
    const started = startChromium({ executablePath: fake })
    await expect(launchBrowser({ started, launchTimeout: 5000 })).rejects.toThrowError(
      /^Cannot start Chromium at `.*chromium`; .*\(it said: no display, no luck\)$/
    )
    await rm(dir, { recursive: true, force: true })
    await started.gone()
    expect(existsSync(started.userDataDir)).toBe(false)
  })

  it('says that Chromium was killed when a signal ended it while starting, not that the binary is broken', async () => {
    const started = startChromium()
    const pid = started.process.pid ?? 0
    process.kill(pid, 'SIGKILL')
    await expect(launchBrowser({ started, launchTimeout: 10_000 })).rejects.toThrowError(
      /^Chromium at `.*` was killed \(SIGKILL\) while starting$/
    )
    await started.gone()
    expect(existsSync(started.userDataDir)).toBe(false)
  })

  it('removes the shared-memory file a killed Chromium leaves in $TMPDIR, not one that a process still has open', async () => {
    // With --disable-dev-shm-usage Chromium's shared memory is `$TMPDIR/.org.chromium.Chromium.XXXXXX`, unlinked once open.
    const tmp = await mkdtemp(path.join(os.tmpdir(), 'masthead-shm-'))
    const before = process.env['TMPDIR']
    process.env['TMPDIR'] = tmp
    try {
      const started = startChromium()
      const browser = await launchBrowser({ started })
      // What close() relies on: the profile's SingletonSocket links into a socket folder
      // Chromium makes in $TMPDIR, and leaves there when it is killed.
      const socketDir = path.dirname(readlinkSync(path.join(started.userDataDir, 'SingletonSocket')))
      expect(path.dirname(socketDir)).toBe(tmp)
      expect(path.basename(socketDir)).toMatch(/^org\.chromium\.Chromium\./)
      const left = path.join(tmp, '.org.chromium.Chromium.leftAB')
      const held = path.join(tmp, '.org.chromium.Chromium.heldCD')
      await writeFile(left, 'shared memory of a killed renderer')
      await writeFile(held, 'another Chromium, between creating and unlinking')
      const handle = openSync(held, 'r')
      try {
        await browser.close()
        expect(existsSync(left)).toBe(false)
        expect(existsSync(held)).toBe(true)
        // Nothing else of the killed Chromium stays: no profile, no socket folder.
        expect(readdirSync(tmp)).toEqual([path.basename(held)])
      } finally {
        closeSync(handle)
      }
    } finally {
      if (before === undefined) delete process.env['TMPDIR']
      else process.env['TMPDIR'] = before
      await rm(tmp, { recursive: true, force: true })
    }
  })
})
