import { readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import puppeteer, { type Browser } from 'puppeteer-core'
import { assertRenderInput } from './assert-render-input.js'
import { browserArgs } from './browser-args.js'
import { findChromium } from './find-chromium.js'
import { openPrintPage, type PrintPage } from './open-print-page.js'
import { renderPdf, type RenderPdfInput, type RenderPdfResult } from './render-pdf.js'
import { withTimeout } from './with-timeout.js'

/** Options for {@link launchBrowser}. */
export interface LaunchBrowserOptions {
  /** The Chromium binary (default: {@link findChromium} on `env`). */
  executablePath?: string
  /** Environment used to find Chromium (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>
  /** Milliseconds to wait for Chromium to start (default 30 000). */
  launchTimeout?: number
  /** Milliseconds for one render, all passes included (default 120 000). */
  renderTimeout?: number
  /** Extra Chromium flags, after {@link browserArgs}. */
  args?: readonly string[]
  /**
   * `http(s)://host[:port]` origins every render may load from (a web-font service, an
   * image CDN). Everything else on the network stays blocked and is reported. Default: none.
   */
  allowedOrigins?: readonly string[]
}

/** One Chromium for a whole build, reused across renders. */
export interface PdfBrowser {
  /** The binary that was launched. */
  readonly executablePath: string
  /** The browser's process id (tests check it is gone after `close`). */
  readonly pid: number | undefined
  /**
   * Print one document. Calls are queued: one page prints at a time, and the
   * page is kept between renders (fonts stay cached).
   */
  renderPdf: (input: RenderPdfInput) => Promise<RenderPdfResult>
  /** Close Chromium and remove its temporary profile. Safe to call twice. */
  close: () => Promise<void>
}

/**
 * Launch Chromium for printing: the flags from PLATFORM.md, a fresh temporary
 * profile (removed on close), DevTools over a pipe.
 *
 * @param options Binary, timeouts, extra flags.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<PdfBrowser> {
  const executablePath = options.executablePath ?? findChromium(options.env ?? process.env)
  const launchTimeout = options.launchTimeout ?? 30_000
  const renderTimeout = options.renderTimeout ?? 120_000
  const allowedOrigins = assertOrigins(options.allowedOrigins ?? [])
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'masthead-chromium-'))
  let browser: Browser
  try {
    browser = await puppeteer.launch({
      executablePath,
      headless: true,
      pipe: true,
      userDataDir,
      timeout: launchTimeout,
      args: withOrigins([...browserArgs, ...(options.args ?? [])], allowedOrigins)
    })
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true })
    const timedOut = error instanceof Error && /timed? ?out/i.test(error.message)
    throw new Error(
      timedOut
        ? `Chromium at \`${executablePath}\` did not start within ${launchTimeout} ms; raise \`launchTimeout\` on a slow machine, or check that \`${executablePath} --headless --version\` runs`
        : `Cannot start Chromium at \`${executablePath}\`; check that \`${executablePath} --headless --version\` runs, or set \`MASTHEAD_CHROMIUM\` to another binary`,
      { cause: error }
    )
  }
  // A caller that exits without close(): puppeteer kills Chromium, this removes the profile
  // (and the folder of Chromium's own in $TMPDIR, which a killed Chromium leaves behind).
  const removeProfile = (): void => {
    const socketDir = chromiumTempDir(userDataDir)
    if (socketDir) rmSync(socketDir, { recursive: true, force: true })
    rmSync(userDataDir, { recursive: true, force: true })
  }
  process.once('exit', removeProfile)
  let closed = false
  /** Set by close(): a disconnect before that is a crash (or a kill). */
  let closing = false
  let printPage: PrintPage | undefined
  // Open the print page now: it takes a few hundred ms on a cold Chromium,
  // which overlaps whatever the caller does before its first render.
  let opening: Promise<PrintPage> | undefined = openPrintPage(browser)
  opening.catch(() => undefined)
  let queue: Promise<unknown> = Promise.resolve()
  /** The last table-of-contents pages per document (folder and title), as hints. */
  const lastToc = new Map<string, Record<string, number>>()
  browser.on('disconnected', () => {
    closed = true
  })

  const pageForRender = async (): Promise<PrintPage> => {
    if (printPage === undefined) {
      const next = opening ?? openPrintPage(browser)
      opening = undefined
      printPage = await next
    }
    return printPage
  }

  const run = async (input: RenderPdfInput): Promise<RenderPdfResult> => {
    if (closed) throw new Error('Cannot render: the browser is closed (or Chromium crashed); launch a new one')
    const limit = input.timeout ?? renderTimeout
    const title = input.metadata.title
    const tooLong = `Rendering \`${title}\` took longer than ${limit} ms; raise \`renderTimeout\` (or the render's \`timeout\`), or look for a resource that never finishes loading`
    let current: PrintPage | undefined
    let abandoned = false
    const discard = (): void => {
      abandoned = true
      const page = current ?? printPage
      printPage = undefined
      if (page) void page.close()
    }
    try {
      const key = `${path.resolve(input.baseDir)}\n${title}`
      const tocHint = input.tocHint ?? lastToc.get(key)
      const work = pageForRender().then((page) => {
        current = page
        // The time ran out while the page was opening: do not print on it.
        if (abandoned) discard()
        return renderPdf(page, tocHint === undefined ? input : { ...input, tocHint }, limit, allowedOrigins)
      })
      const result = await withTimeout(work, limit, tooLong, discard)
      lastToc.set(key, result.tocPages)
      return result
    } catch (error) {
      if (printPage !== undefined) discard()
      if (error instanceof Error && error.message === tooLong) throw error
      if (error instanceof Error && error.name === 'TimeoutError') throw new Error(tooLong, { cause: error })
      if (closed && !closing) throw new Error(`Chromium exited while printing \`${title}\` (it crashed or was killed)`, { cause: error })
      throw new Error(`Cannot print \`${title}\`: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
    }
  }

  return {
    executablePath,
    pid: browser.process()?.pid,
    renderPdf(input) {
      try {
        assertRenderInput(input)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      const result = queue.then(() => run(input))
      queue = result.catch(() => undefined)
      return result
    },
    async close() {
      // A render in progress is not waited for (it may never finish): it fails with
      // `Cannot print …`, and Chromium goes at once.
      closing = true
      if (!closed) {
        closed = true
        await withTimeout(browser.close(), 5000, 'close timed out').catch(() => undefined)
      }
      // After a crash or a failed close, make sure no Chromium is left behind: not the
      // browser, nor its helpers (zygotes, renderers), which outlive a killed browser for a
      // moment and may write into the profile after it is removed.
      const child = browser.process()
      if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      if (child?.pid !== undefined) await killGroup(child.pid)
      process.removeListener('exit', removeProfile)
      removeProfile()
    }
  }
}

/** Check the allowed origins: `http(s)://host[:port]`, nothing more. */
function assertOrigins(origins: readonly string[]): string[] {
  return origins.map((origin) => {
    if (!/^https?:\/\/[^/\s;,]+$/i.test(origin)) {
      throw new TypeError(`Unexpected allowed origin \`${origin}\`, expected a scheme and host such as \`https://images.example.org\` (no path)`)
    }
    return new URL(origin).origin
  })
}

/**
 * Let the allowed origins past the dead proxy of {@link browserArgs} (Chromium's
 * bypass rules take `scheme://host:port`); every other request still meets it.
 */
function withOrigins(args: string[], origins: readonly string[]): string[] {
  if (origins.length === 0) return args
  return args.map((arg) => (arg.startsWith('--proxy-bypass-list=') ? `${arg};${origins.join(';')}` : arg))
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

const groupAlive = (pid: number): boolean => {
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
 * cost every close() a full second.
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

/**
 * SIGKILL what is left of Chromium's process group (puppeteer starts Chromium as the
 * leader of its own group), then wait up to a second for it to be gone.
 */
async function killGroup(pid: number): Promise<void> {
  if (process.platform === 'win32' || !groupAlive(pid)) return
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    return
  }
  for (let waited = 0; waited < 1000 && groupAlive(pid); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
}
