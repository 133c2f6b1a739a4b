import type { PdfBrowser, StartedChromium } from '@masthead/pdf'
import { assertOrigins, findChromium, launchBrowser } from '@masthead/pdf'
import type { BuilderOptions } from './builder-types.js'
import type { BrowserSlot } from './print-with-retry.js'

/** A {@link BrowserSlot} that owns its browser: `close()` stops it, and no browser starts after. */
export interface OwnedBrowserSlot extends BrowserSlot {
  /** Close the browser (and an early Chromium not adopted yet). Safe to call twice. */
  close(): Promise<void>
}

/** Whether the early Chromium is the one these options would start. */
function fits(started: StartedChromium, options: BuilderOptions): boolean {
  try {
    const wanted = options.chromium ?? findChromium(options.env ?? process.env)
    const origins = assertOrigins(options.allowedOrigins ?? [])
    return started.executablePath === wanted && !started.exited() && origins.join(' ') === started.allowedOrigins.join(' ')
  } catch {
    return false
  }
}

/**
 * The one browser of a builder: launched on first use (at once with `prelaunch`), adopted
 * from an early Chromium that fits the options (killed when it does not), and thrown away
 * when a print found it crashed, killed or hung, so that the retry launches a fresh one.
 *
 * @param options The builder's options (binary, timeouts, allowed origins, prelaunch).
 */
export function createBrowserSlot(options: BuilderOptions): OwnedBrowserSlot {
  let browser: Promise<PdfBrowser> | undefined
  let closing = false
  let early = typeof options.prelaunch === 'object' ? options.prelaunch : undefined
  const get = (): Promise<PdfBrowser> => {
    // Closed (or closing): no Chromium is started that nothing would close again.
    if (closing) return Promise.reject(new Error('Cannot print: the builder is closed'))
    const started = early && fits(early, options) ? early : undefined
    if (early && !started) early.kill()
    early = undefined
    browser ??= launchBrowser({
      ...(started ? { started } : {}),
      ...(options.chromium ? { executablePath: options.chromium } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.launchTimeout ? { launchTimeout: options.launchTimeout } : {}),
      ...(options.renderTimeout ? { renderTimeout: options.renderTimeout } : {}),
      ...(options.allowedOrigins?.length ? { allowedOrigins: options.allowedOrigins } : {})
    })
    return browser
  }
  if (options.prelaunch) void get().catch(() => undefined)
  return {
    get,
    async drop(failed) {
      if (browser === failed) browser = undefined
      await (await failed.catch(() => undefined))?.close()
    },
    closing: () => closing,
    async close() {
      closing = true
      early?.kill()
      early = undefined
      const open = browser
      browser = undefined
      if (open) await (await open.catch(() => undefined))?.close()
    }
  }
}
