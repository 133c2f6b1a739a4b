import type { Page } from 'puppeteer-core'

/**
 * Install `window.__mastheadPlace(element)` in the page: the nearest
 * `data-source-line`/`data-source-column` of the element or an ancestor.
 * Preflight scripts call it to position their findings.
 *
 * @param page A loaded page.
 */
export async function installSourcePlace(page: Page): Promise<void> {
  await page.evaluate(() => {
    const holder = window as unknown as Record<string, unknown>
    holder.__mastheadPlace = (element: Element | null) => {
      const owner = element?.closest('[data-source-line]')
      if (!owner) return {}
      const line = Number.parseInt(owner.getAttribute('data-source-line') ?? '', 10)
      const column = Number.parseInt(owner.getAttribute('data-source-column') ?? '', 10)
      return { line: Number.isFinite(line) ? line : undefined, column: Number.isFinite(column) ? column : undefined }
    }
  })
}

/** The in-page signature of the helper, for scripts that call it. */
export type PlaceOf = (element: Element | null) => { line?: number; column?: number }
