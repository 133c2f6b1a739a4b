import type { PdfBrowser, RenderPdfInput, RenderPdfResult } from '@masthead/pdf'

/** Where {@link printWithRetry} gets its browser, and how it throws a broken one away. */
export interface BrowserSlot {
  /** The current browser, launched on first use. */
  get(): Promise<PdfBrowser>
  /** Close `failed` and, when it is still the current browser, forget it (the next `get` launches a fresh one). */
  drop(failed: Promise<PdfBrowser>): Promise<void>
  /** True once the owner is closing: no fresh browser is launched then. */
  closing(): boolean
}

/** A print that worked, perhaps on the second try. */
export interface PrintOutcome {
  result: RenderPdfResult
  /** The first attempt's error, when the print only worked on a fresh browser. */
  retried?: Error
}

const message = (error: unknown): string => (error instanceof Error ? error.message : String(error))

/**
 * Print `input`; when that fails (Chromium crashed, was killed, hung past the render
 * timeout, or did not start), throw that browser away and try once more on a fresh one.
 * A `TypeError` (a malformed call) is not retried.
 *
 * @throws An `Error` naming the second failure, and the first one when it differs.
 */
export async function printWithRetry(slot: BrowserSlot, input: RenderPdfInput): Promise<PrintOutcome> {
  const first = slot.get()
  try {
    return { result: await (await first).renderPdf(input) }
  } catch (error) {
    if (error instanceof TypeError) throw error
    await slot.drop(first)
    if (slot.closing()) throw new Error(`Cannot print \`${input.metadata.title}\`: the build was stopped`, { cause: error })
    const retried = error instanceof Error ? error : new Error(message(error))
    const second = slot.get()
    try {
      return { result: await (await second).renderPdf(input), retried }
    } catch (again) {
      if (again instanceof TypeError) throw again
      await slot.drop(second)
      const first = message(error) === message(again) ? ' (the first attempt failed the same way)' : ` (first attempt: ${message(error)})`
      throw new Error(`Cannot print \`${input.metadata.title}\`, not even on a fresh browser: ${message(again)}${first}`, { cause: again })
    }
  }
}
