/**
 * More support for the hostile suite (hostile-2.test.ts): several issues in one project,
 * a Chromium that writes garbage on its DevTools pipe, a UDP listener, and the inotify
 * watches a process holds.
 */
import { spawn, spawnSync } from 'node:child_process'
import dgram from 'node:dgram'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { chmod, cp, mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { findChromium } from '@masthead/pdf'
import type { Outcome, Project } from './hostile-support.js'
import { PREVIOUS, cli } from './hostile-support.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

/** Add `fixtures/hostile/<name>/` as one more issue of the project, with previous outputs in dist/<name>/. */
export async function addIssue(project: Project, name: string): Promise<string> {
  const issueDir = path.join(project.dir, 'issues', name)
  await mkdir(issueDir, { recursive: true })
  for (const entry of await readdir(path.join(fixtures, 'hostile', name))) {
    if (entry === 'issue.md' || entry === 'images')
      await cp(path.join(fixtures, 'hostile', name, entry), path.join(issueDir, entry), { recursive: true })
  }
  const dist = path.join(project.dir, 'dist', name)
  await mkdir(dist, { recursive: true })
  for (const file of PREVIOUS) await writeFile(path.join(dist, file), `previous ${file} of ${name}\n`)
  return dist
}

/** A picture that is not in any issue folder (88 × 22 px), for symlinks that lead out. */
export const OUTSIDE_PNG = path.join(fixtures, 'outside-secret.png')

/**
 * Write a Chromium that writes `this is not json` on its DevTools pipe before the real one
 * starts: every launch, or (`once`) the first launch of the project only.
 *
 * @returns The script's path, for `MASTHEAD_CHROMIUM`.
 */
export async function garbageChromium(project: Project, mode: 'always' | 'once'): Promise<string> {
  const script = path.join(project.dir, 'garbage-chromium')
  const marker = path.join(project.dir, 'garbage-written')
  const garble =
    mode === 'always'
      ? "printf 'this is not json\\000' >&4"
      : `if [ ! -e '${marker}' ]; then : > '${marker}'; printf 'this is not json\\000' >&4; fi`
  await writeFile(script, `#!/bin/sh\n${garble}\nexec '${findChromium(process.env)}' "$@"\n`)
  await chmod(script, 0o755)
  return script
}

/** A UDP socket on 127.0.0.1 that counts what arrives. */
export async function udpListener(): Promise<{ port: number; received: () => number; close: () => void }> {
  const socket = dgram.createSocket('udp4')
  let received = 0
  socket.on('message', () => received++)
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve))
  return { port: socket.address().port, received: () => received, close: () => socket.close() }
}

/** How many inotify watches process `pid` holds (what chokidar watches, folder by folder). */
export function inotifyWatches(pid: number): number {
  let watches = 0
  const dir = `/proc/${pid}/fdinfo`
  if (!existsSync(dir)) return 0
  for (const fd of readdirSync(dir)) {
    try {
      watches += readFileSync(path.join(dir, fd), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('inotify wd:')).length
    } catch {
      // closed meanwhile
    }
  }
  return watches
}

/** Whether this process may run commands as `nobody` through `runuser` (as root, with util-linux). */
export const canRunAsNobody = (): boolean =>
  process.geteuid?.() === 0 && spawnSync('runuser', ['-u', 'nobody', '--', 'true'], { stdio: 'ignore' }).status === 0

/** Hand the project (and the folders above it that it needs) to everyone, so that `nobody` can build it. */
export function openToEveryone(project: Project): void {
  spawnSync('chmod', ['-R', 'a+rwX', project.dir])
}

/**
 * `masthead <args>` in the project as user `nobody` (through `runuser`), with the project's
 * `$TMPDIR`; `during` runs meanwhile with the command's pid.
 */
export async function runAsNobody(project: Project, args: readonly string[], during?: (pid: number) => Promise<void>): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: project.tmp, HOME: project.dir, NO_COLOR: '1' }
  delete env.FORCE_COLOR
  delete env.MASTHEAD_NO_SANDBOX
  const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, cli, ...args], {
    cwd: project.dir,
    env,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal }))
  )
  if (during && child.pid !== undefined) await during(child.pid)
  const { code, signal } = await exited
  const clean = (text: string) => text.replaceAll(project.dir, '<project>')
  return { code, signal, stdout: clean(stdout), stderr: clean(stderr) }
}
