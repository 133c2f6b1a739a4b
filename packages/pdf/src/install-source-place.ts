import type { Page } from 'puppeteer-core'

/** The in-page signature of the helper, for scripts that call it. */
export type PlaceOf = (element: Element | null) => { line?: number; column?: number }

/**
 * The globals Masthead's page scripts share, declared once so that a script run by
 * `page.evaluate` reads them as `window.…` without a cast. They exist only inside the
 * print page, and only once {@link installSourcePlace} has run there.
 */
declare global {
  interface Window {
    /** The source place of an element (see {@link installSourcePlace}). */
    __mastheadPlace: PlaceOf
  }
}

/**
 * Install `window.__mastheadPlace(element)` in the page: the nearest
 * `data-source-line`/`data-source-column` of the element or an ancestor.
 * Preflight scripts call it to position their findings.
 *
 * @param page A loaded page.
 */
export async function installSourcePlace(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__mastheadPlace = (element: Element | null) => {
      const owner = element?.closest('[data-source-line]')
      if (!owner) return {}
      const line = Number.parseInt(owner.getAttribute('data-source-line') ?? '', 10)
      const column = Number.parseInt(owner.getAttribute('data-source-column') ?? '', 10)
      return { ...(Number.isFinite(line) ? { line } : {}), ...(Number.isFinite(column) ? { column } : {}) }
    }
  })
}
