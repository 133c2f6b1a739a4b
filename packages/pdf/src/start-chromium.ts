import { spawn, type ChildProcess } from 'node:child_process'
import { lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { browserArgs, mergeFeatureSwitches } from './browser-args.js'
import { findChromium } from './find-chromium.js'
import { decideSandbox, sandboxFacts, type SandboxDecision } from './sandbox.js'
import { PROFILE_PREFIX, sweepStaleProfiles } from './stale-profiles.js'

// This module uses Node's built-ins only, so that a command can start Chromium before it
// loads puppeteer and the rest (about a second of imports): Chromium boots meanwhile.

/** Options for {@link startChromium}. */
export interface StartChromiumOptions {
  /** The Chromium binary (default: {@link findChromium} on `env`). */
  executablePath?: string
  /** Environment used to find Chromium (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>
  /** Extra Chromium flags, after {@link browserArgs}. */
  args?: readonly string[]
  /** `http(s)://host[:port]` origins let past the dead proxy (see `launchBrowser`). */
  allowedOrigins?: readonly string[]
  /** Whether Chromium gets its sandbox (default: {@link decideSandbox} for this process). */
  sandbox?: SandboxDecision
}

/** A Chromium process started with DevTools over a pipe, not yet connected to. */
export interface StartedChromium {
  readonly executablePath: string
  /** The origins it lets past the dead proxy (they are fixed at start). */
  readonly allowedOrigins: readonly string[]
  readonly process: ChildProcess
  readonly userDataDir: string
  /** Whether it runs in its sandbox, and why. */
  readonly sandbox: SandboxDecision
  /** The end of what Chromium wrote on stderr (for error messages). */
  stderr: () => string
  /** Whether Chromium's own process has exited. */
  exited: () => boolean
  /**
   * SIGKILL Chromium's whole process group, then remove its profile. Synchronous, so it
   * also runs on `process.exit`; safe to call twice. Helpers may outlive the kill for a
   * moment: {@link StartedChromium.gone} waits for them.
   */
  kill: () => void
  /** After {@link StartedChromium.kill}: wait (at most `ms`) until no helper is left, then remove the profile again. */
  gone: (ms?: number) => Promise<void>
}

/**
 * Flags puppeteer's own launcher passes (its `defaultArgs()` for headless Chrome), which
 * printing relies on: tagged PDF, the document outline, sRGB, no throttling in the
 * background. A test compares this list with puppeteer's.
 */
export const automationArgs: readonly string[] = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif',
  '--headless=new',
  '--hide-scrollbars',
  '--mute-audio',
  '--disable-extensions'
]

/**
 * Check the allowed origins: `http(s)://host[:port]`, nothing more. They become proxy-bypass
 * rules, where `*` is a wildcard (`http://*` would bypass the dead proxy for every host).
 */
export function assertOrigins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    if (!/^https?:\/\/[^/\s;,*@]+$/i.test(origin) || /^https?:\/\/\./i.test(origin)) {
      throw new TypeError(
        `Unexpected allowed origin \`${origin}\`, expected a scheme and host such as \`https://images.example.org\` (no path)`
      )
    }
    return new URL(origin).origin
  })
}

/**
 * Let the allowed origins past the dead proxy of {@link browserArgs} (Chromium's
 * bypass rules take `scheme://host:port`); every other request still meets it.
 */
function withOrigins(args: readonly string[], origins: readonly string[]): string[] {
  if (origins.length === 0) return [...args]
  return args.map((arg) => (arg.startsWith('--proxy-bypass-list=') ? `${arg};${origins.join(';')}` : arg))
}

const stderrLimit = 4096

/**
 * Start Chromium for printing: the flags of {@link automationArgs} and {@link browserArgs}
 * (docs/platform.md), a fresh temporary profile, DevTools over a pipe (file descriptors 3 and
 * 4), as the leader of its own process group. Connect with `launchBrowser({ started })`.
 * A binary that cannot run shows at that connect, with Chromium's own words.
 *
 * @param options Binary, flags, allowed origins.
 * @throws Error when no Chromium is found (see {@link findChromium}), TypeError on a bad origin.
 */
export function startChromium(options: StartChromiumOptions = {}): StartedChromium {
  const executablePath = options.executablePath ?? findChromium(options.env ?? process.env)
  const allowedOrigins = assertOrigins(options.allowedOrigins ?? [])
  const sandbox = options.sandbox ?? decideSandbox(sandboxFacts(options.env ?? process.env))
  // Profiles of commands killed with SIGKILL (no exit handler ran) go at the next start;
  // the owner's pid in the name tells whose a profile is.
  sweepStaleProfiles()
  const startedAt = Date.now()
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), `${PROFILE_PREFIX}${process.pid}-`))
  const flags = [...browserArgs, ...(sandbox.sandbox ? [] : ['--no-sandbox']), ...(options.args ?? [])]
  const args = [
    ...mergeFeatureSwitches([...automationArgs, ...withOrigins(flags, allowedOrigins)]),
    `--user-data-dir=${userDataDir}`,
    '--remote-debugging-pipe',
    'about:blank'
  ]
  const { child, stderr } = spawnChromium(executablePath, args)
  const removeProfile = (): void => removeProfileOf(userDataDir, startedAt)
  let killed = false
  const kill = (): void => {
    if (!killed) {
      killed = true
      process.removeListener('exit', killOnExit)
      killGroup(child)
    }
    removeProfile()
  }
  // A caller that exits without closing: Chromium goes with it. Nothing asynchronous runs
  // after 'exit', so this waits (a little) for the helpers right here before removing the
  // profile, which they would otherwise write into again.
  const killOnExit = (): void => {
    kill()
    const pid = child.pid
    if (pid === undefined || process.platform === 'win32') return
    const pause = new Int32Array(new SharedArrayBuffer(4))
    for (let waited = 0; waited < 500 && groupAlive(pid); waited += 10) Atomics.wait(pause, 0, 0, 10)
    removeProfile()
  }
  process.once('exit', killOnExit)
  return {
    executablePath,
    allowedOrigins,
    process: child,
    userDataDir,
    sandbox,
    stderr,
    exited: () => child.exitCode !== null || child.signalCode !== null,
    kill,
    async gone(ms = 1000) {
      await waitGone(child, ms)
      removeProfile()
    }
  }
}

/**
 * Spawn Chromium as the leader of its own process group, DevTools on file descriptors 3
 * and 4, keeping the last {@link stderrLimit} characters it writes on stderr.
 */
function spawnChromium(executablePath: string, args: readonly string[]): { child: ChildProcess; stderr: () => string } {
  const child = spawn(executablePath, args, {
    detached: process.platform !== 'win32',
    stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'],
    env: process.env
  })
  let stderr = ''
  child.stderr?.setEncoding('utf8')
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-stderrLimit)
  })
  // A binary that cannot be spawned (ENOENT, EACCES) reports here; the connect fails then.
  child.on('error', () => undefined)
  return { child, stderr: () => stderr.trim() }
}

/** Kill Chromium's whole process group: the browser and its helpers (which outlive a crashed browser). */
function killGroup(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
    try {
      if (process.platform === 'win32') child.kill('SIGKILL')
      else process.kill(-child.pid, 'SIGKILL')
    } catch {
      child.kill('SIGKILL')
    }
  } else if (child.pid !== undefined && process.platform !== 'win32') {
    // The browser is gone, its helpers may not be (after a crash).
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      // No group left.
    }
  }
}

/**
 * Remove the profile, Chromium's socket folder and the shared memory it left.
 * Best effort: right after the kill, a helper that has not died yet may still write into
 * the profile (rmdir then fails with ENOTEMPTY). `gone` and the exit handler remove it
 * again once the helpers are gone; a leftover in the temporary folder is no reason to
 * fail the command that was closing Chromium.
 */
function removeProfileOf(userDataDir: string, startedAt: number): void {
  try {
    const socketDir = chromiumTempDir(userDataDir)
    if (socketDir) rmSync(socketDir, { recursive: true, force: true })
    rmSync(userDataDir, { recursive: true, force: true })
    removeSharedMemoryLeft(startedAt)
  } catch {
    // Tried again by `gone`, or left in the temporary folder.
  }
}

/** Wait up to `ms` for Chromium to exit, then up to `ms` more for its process group to be gone. */
async function waitGone(child: ChildProcess, ms: number): Promise<void> {
  const pid = child.pid
  // Our own child is reaped by Node when its exit is seen: until then it is a zombie.
  if (child.exitCode === null && child.signalCode === null && pid !== undefined) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms)
      child.once('exit', () => {
        clearTimeout(timer)
        resolve()
      })
    })
  }
  if (pid !== undefined && process.platform !== 'win32') {
    for (let waited = 0; waited < ms && groupAlive(pid); waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * With `--disable-dev-shm-usage` Chromium makes its shared memory as files
 * `$TMPDIR/.org.chromium.Chromium.XXXXXX`, unlinked as soon as they are open; one that a
 * killed Chromium made just before the kill stays. Removed here once the browser is gone:
 * those made since it started that no process has open (another Chromium's file, between
 * its creation and its unlinking, is open by it and stays).
 */
function removeSharedMemoryLeft(since: number): void {
  const dir = os.tmpdir()
  const left = readdirSync(dir)
    .filter((name) => name.startsWith('.org.chromium.Chromium.'))
    .map((name) => path.join(dir, name))
    .filter((file) => {
      try {
        const stat = lstatSync(file)
        return stat.isFile() && stat.mtimeMs >= since - 1000
      } catch {
        return false
      }
    })
  if (left.length === 0) return
  const open = new Set<string>()
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        try {
          open.add(readlinkSync(`/proc/${pid}/fd/${fd}`))
        } catch {
          // Closed meanwhile.
        }
      }
    } catch {
      // Gone, or not ours to read.
    }
  }
  for (const file of left) if (!open.has(file)) rmSync(file, { force: true })
}

/**
 * The `$TMPDIR/org.chromium.Chromium.XXXXXX` folder Chromium made for its singleton socket
 * (the profile's `SingletonSocket` links into it). Chromium removes it when it exits
 * cleanly, not when it is killed. Its temporary folder is not moved into the profile
 * instead: a long `$TMPDIR` would push the socket's path past the 108 bytes a Unix socket
 * path may have, and Chromium would not start.
 */
function chromiumTempDir(userDataDir: string): string | undefined {
  try {
    const dir = path.dirname(readlinkSync(path.join(userDataDir, 'SingletonSocket')))
    return path.basename(dir).startsWith('org.chromium.') ? dir : undefined
  } catch {
    return undefined
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0)
  } catch {
    return false
  }
  return process.platform !== 'linux' || livingMembers(pid)
}

/**
 * Whether a process group has a member that is not a zombie. In a container whose first
 * process does not reap orphans, Chromium's killed helpers stay as zombies: dead, holding
 * no memory or files, but `kill(-pgid, 0)` still finds them, and waiting for them to go
 * cost every close a full second.
 */
function livingMembers(pgid: number): boolean {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return true
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true
  }
  return false
}
