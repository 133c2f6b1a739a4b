import type { ChildProcess } from 'node:child_process'
import path from 'node:path'
import type { Readable, Writable } from 'node:stream'
import puppeteer, { type Browser } from 'puppeteer-core'
import { assertRenderInput } from './assert-render-input.js'
import { openPrintPage, type PrintPage } from './open-print-page.js'
import { PipeTransport } from './pipe-transport.js'
import { renderPdf, type RenderPdfInput, type RenderPdfResult } from './render-pdf.js'
import type { SandboxDecision } from './sandbox.js'
import { startChromium, type StartedChromium } from './start-chromium.js'
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
  /**
   * A Chromium already started with `startChromium` (from `@masthead/pdf/start`, which
   * loads nothing else), to connect to instead of starting one: a command starts it first
   * thing, and it boots while the command loads. Its binary and allowed origins are the
   * ones it was started with; `executablePath`, `args` and `allowedOrigins` are ignored.
   */
  started?: StartedChromium
}

/** One Chromium for a whole build, reused across renders. */
export interface PdfBrowser {
  /** The binary that was launched. */
  readonly executablePath: string
  /** Whether Chromium runs in its own sandbox, and why (or why not). */
  readonly sandbox: SandboxDecision
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
 * Lines Chromium writes on every start in a container without a session bus or a GPU; they
 * say nothing about why it failed, so an error message leaves them out.
 */
const CHROMIUM_NOISE = /ERROR:dbus\/|Failed to connect to the bus|ERROR:.*(?:gpu|viz|gl_|angle)/i

/** The signal that ended `child`, waiting up to `ms` for its exit to be seen; undefined when it exited by itself or still runs. */
function exitSignal(child: ChildProcess, ms: number): Promise<NodeJS.Signals | undefined> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.signalCode ?? undefined)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms)
    child.once('exit', (_code, signal) => {
      clearTimeout(timer)
      resolve(signal ?? undefined)
    })
  })
}

/** What a Chromium wrote on its DevTools pipe that was no DevTools message, once it did. */
interface Pipe {
  garbage: string | undefined
}

/** One launched browser's state, shared by its renders. */
interface Session extends Pipe {
  browser: Browser
  allowedOrigins: readonly string[]
  renderTimeout: number
  /** Set when Chromium disconnects, and by close(). */
  closed: boolean
  /** Set by close(): a disconnect before that is a crash (or a kill). */
  closing: boolean
  /** The page renders print on, kept between them. */
  printPage: PrintPage | undefined
  /** The print page being opened ahead of the first render. */
  opening: Promise<PrintPage> | undefined
  /** The last table-of-contents pages per document (folder and title), as hints. */
  lastToc: Map<string, Record<string, number>>
}

/**
 * Launch Chromium for printing: the flags of docs/platform.md, a fresh temporary
 * profile (removed on close), DevTools over a pipe.
 *
 * @param options Binary, timeouts, extra flags.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<PdfBrowser> {
  const launchTimeout = options.launchTimeout ?? 30_000
  const chromium = options.started ?? startChromium(options)
  const pipe: Pipe = { garbage: undefined }
  const onGarbage = (sample: string): void => {
    pipe.garbage = sample
    chromium.kill()
  }
  let browser: Browser
  try {
    browser = await connect(chromium, launchTimeout, onGarbage)
  } catch (error) {
    throw await startError(chromium, error, launchTimeout, pipe.garbage)
  }
  // The same object as `pipe`, so that garbage seen later reaches the renders.
  const session: Session = Object.assign(pipe, {
    browser,
    allowedOrigins: chromium.allowedOrigins,
    renderTimeout: options.renderTimeout ?? 120_000,
    closed: false,
    closing: false,
    printPage: undefined,
    // Open the print page now: it takes a few hundred ms on a cold Chromium,
    // which overlaps whatever the caller does before its first render.
    opening: openPrintPage(browser),
    lastToc: new Map<string, Record<string, number>>()
  })
  session.opening?.catch(() => undefined)
  browser.on('disconnected', () => {
    session.closed = true
  })
  let queue: Promise<unknown> = Promise.resolve()
  return {
    executablePath: chromium.executablePath,
    sandbox: chromium.sandbox,
    pid: chromium.process.pid,
    renderPdf(input) {
      try {
        assertRenderInput(input)
      } catch (error) {
        return Promise.reject(error as Error)
      }
      const result = queue.then(() => printOne(session, input))
      queue = result.catch(() => undefined)
      return result
    },
    async close() {
      // A render in progress is not waited for (it may never finish): it fails with
      // `Cannot print …`, and Chromium goes at once. Its profile is thrown away, so there is
      // nothing to shut down gracefully: the whole process group is killed, and the profile
      // removed once no helper (zygote, renderer) is left to write into it.
      session.closing = true
      session.closed = true
      chromium.kill()
      await chromium.gone()
    }
  }
}

/** How to say that Chromium wrote `sample`, which is no DevTools message, on its pipe. */
function garbled(sample: string): string {
  return `Chromium wrote something that is not a DevTools message on its pipe (\`${sample}\`)`
}

/** The error for a Chromium that did not start: garbage on its pipe, a timeout, a kill, or what it said. */
async function startError(chromium: StartedChromium, error: unknown, launchTimeout: number, garbage: string | undefined): Promise<Error> {
  const { executablePath } = chromium
  // Killed from outside (the OOM killer, a user) while starting: not a broken binary.
  const signal = await exitSignal(chromium.process, 200)
  chromium.kill()
  const timedOut = error instanceof Error && error.message === 'timeout'
  const said = chromium
    .stderr()
    .split('\n')
    .filter((line) => line && !CHROMIUM_NOISE.test(line))
    .slice(-3)
    .join(' ')
  return new Error(
    garbage !== undefined
      ? `Cannot start Chromium at \`${executablePath}\`: ${garbled(garbage)}`
      : timedOut
        ? `Chromium at \`${executablePath}\` did not start within ${launchTimeout} ms; raise \`launchTimeout\` on a slow machine, or check that \`${executablePath} --headless --version\` runs`
        : signal
          ? `Chromium at \`${executablePath}\` was killed (${signal}) while starting`
          : `Cannot start Chromium at \`${executablePath}\`; check that \`${executablePath} --headless --version\` runs, or set \`MASTHEAD_CHROMIUM\` to another binary${said ? ` (it said: ${said.slice(0, 300)})` : ''}`,
    { cause: error }
  )
}

/** The print page: the one kept from the last render, else the one opening, else a new one. */
async function pageForRender(session: Session): Promise<PrintPage> {
  if (session.printPage === undefined) {
    const next = session.opening ?? openPrintPage(session.browser)
    session.opening = undefined
    session.printPage = await next
  }
  return session.printPage
}

/**
 * Print one document within its time limit. A page that timed out or failed is closed, and
 * the next render opens a new one.
 */
async function printOne(session: Session, input: RenderPdfInput): Promise<RenderPdfResult> {
  if (session.garbage !== undefined) throw new Error(`Cannot print \`${input.metadata.title}\`: ${garbled(session.garbage)}`)
  if (session.closed) throw new Error('Cannot render: the browser is closed (or Chromium crashed); launch a new one')
  const limit = input.timeout ?? session.renderTimeout
  const title = input.metadata.title
  const tooLong = `Rendering \`${title}\` took longer than ${limit} ms; raise \`renderTimeout\` (or the render's \`timeout\`), or look for a resource that never finishes loading`
  let current: PrintPage | undefined
  let abandoned = false
  const discard = (): void => {
    abandoned = true
    const page = current ?? session.printPage
    session.printPage = undefined
    if (page) void page.close()
  }
  try {
    const key = `${path.resolve(input.baseDir)}\n${title}`
    const tocHint = input.tocHint ?? session.lastToc.get(key)
    const work = pageForRender(session).then((page) => {
      current = page
      // The time ran out while the page was opening: do not print on it.
      if (abandoned) discard()
      return renderPdf(page, tocHint === undefined ? input : { ...input, tocHint }, limit, session.allowedOrigins)
    })
    const result = await withTimeout(work, limit, tooLong, discard)
    session.lastToc.set(key, result.tocPages)
    return result
  } catch (error) {
    if (session.printPage !== undefined) discard()
    if (error instanceof Error && error.message === tooLong) throw error
    if (error instanceof Error && error.name === 'TimeoutError') throw new Error(tooLong, { cause: error })
    if (session.garbage !== undefined) throw new Error(`Cannot print \`${title}\`: ${garbled(session.garbage)}`, { cause: error })
    if (session.closed && !session.closing)
      throw new Error(`Chromium exited while printing \`${title}\` (it crashed or was killed)`, { cause: error })
    throw new Error(`Cannot print \`${title}\`: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

/**
 * Connect puppeteer to a started Chromium over its pipe, failing fast when the process
 * exits (a binary that is not Chromium, a missing library) and after `timeout` ms.
 */
async function connect(chromium: StartedChromium, timeout: number, onGarbage: (sample: string) => void): Promise<Browser> {
  const child = chromium.process
  const write = child.stdio[3] as Writable | null | undefined
  const read = child.stdio[4] as Readable | null | undefined
  if (!write || !read) throw new Error('Chromium was started without its DevTools pipe')
  let onExit: (() => void) | undefined
  const exited = new Promise<never>((_resolve, reject) => {
    onExit = () => reject(new Error(`Chromium exited before it was ready${child.exitCode === null ? '' : ` (code ${child.exitCode})`}`))
    if (chromium.exited()) onExit()
    child.once('exit', onExit)
    child.once('error', onExit)
  })
  exited.catch(() => undefined)
  try {
    const transport = new PipeTransport(write, read)
    transport.ongarbage = onGarbage
    const connecting = puppeteer.connect({ transport, defaultViewport: { width: 800, height: 600 } })
    return await withTimeout(Promise.race([connecting, exited]), timeout, 'timeout')
  } finally {
    if (onExit) {
      child.removeListener('exit', onExit)
      child.removeListener('error', onExit)
    }
  }
}
