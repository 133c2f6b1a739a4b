import type { Page } from 'puppeteer-core'
import type { PdfDiagnostic } from './pdf-diagnostic.js'

/**
 * Give request diagnostics the source place of the element that asked for the
 * URL (`img`, `source`, `link`, `video`, `object`…), when there is one.
 *
 * @param page The loaded page with the source-place helper installed.
 * @param diagnostics Diagnostics to update in place.
 */
export async function placeRequests(page: Page, diagnostics: PdfDiagnostic[]): Promise<void> {
  const urls = [...new Set(diagnostics.filter((d) => d.url !== undefined && d.line === undefined).map((d) => d.url ?? ''))]
  if (urls.length === 0) return
  const places = await page.evaluate((urls) => {
    const placeOf = window.__mastheadPlace
    const found: Record<string, { line?: number; column?: number }> = {}
    for (const element of document.querySelectorAll('[src], [href], [srcset], [poster], [data]')) {
      for (const name of ['src', 'href', 'poster', 'data', 'srcset']) {
        const value = element.getAttribute(name)
        if (value === null) continue
        for (const candidate of name === 'srcset' ? value.split(',').map((part) => part.trim().split(/\s+/)[0] ?? '') : [value]) {
          let absolute = candidate
          try {
            absolute = new URL(candidate, document.baseURI).href
          } catch {
            // not a URL
          }
          if (urls.includes(absolute) && found[absolute] === undefined) found[absolute] = placeOf(element)
        }
      }
    }
    return found
  }, urls)
  for (const diagnostic of diagnostics) {
    const place = diagnostic.url === undefined ? undefined : places[diagnostic.url]
    if (place?.line !== undefined) diagnostic.line = place.line
    if (place?.column !== undefined) diagnostic.column = place.column
  }
}
