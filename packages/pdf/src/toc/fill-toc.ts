import type { Page } from 'puppeteer-core'

/**
 * Write page numbers into the `.toc-page` spans (empty where unknown).
 *
 * @param page The page.
 * @param pages 1-based page per target id.
 */
export async function fillToc(page: Page, pages: Readonly<Record<string, number>>): Promise<void> {
  await page.evaluate((numbers) => {
    for (const span of document.querySelectorAll('.toc-page[data-toc-target]')) {
      const number = numbers[span.getAttribute('data-toc-target') ?? '']
      span.textContent = number === undefined ? '' : String(number)
    }
  }, pages)
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
}
