import type { Page } from 'puppeteer-core'

/**
 * Read back what the spans say, to check them against the pages.
 *
 * @param page The page.
 */
export async function printedToc(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() => {
    const printed: Record<string, string> = {}
    for (const span of document.querySelectorAll('.toc-page[data-toc-target]')) {
      printed[span.getAttribute('data-toc-target') ?? ''] = (span.textContent ?? '').trim()
    }
    return printed
  })
}
