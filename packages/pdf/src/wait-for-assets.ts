import type { Page } from 'puppeteer-core'

/**
 * Wait until web fonts and images are ready: lazy images are made eager, then
 * every image settles (loaded or failed), then `document.fonts.ready`.
 *
 * @param page A loaded page.
 */
export async function waitForAssets(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const images = [...document.images]
    for (const image of images) if (image.loading === 'lazy') image.loading = 'eager'
    await Promise.all(
      images.map((image) =>
        image.complete
          ? undefined
          : new Promise((resolve) => {
              image.addEventListener('load', resolve, { once: true })
              image.addEventListener('error', resolve, { once: true })
            })
      )
    )
    await document.fonts.ready
  })
}
