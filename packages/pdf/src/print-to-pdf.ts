import type { CDPSession } from 'puppeteer-core'
import { withTimeout } from './with-timeout.js'

/**
 * Print the loaded document with `Page.printToPDF`: CSS page sizes, backgrounds, a tagged
 * PDF with an outline from the headings, no margins or header of Chromium's own. (What
 * puppeteer's `page.pdf()` sends, minus its extra round trip for `document.fonts.ready`:
 * fonts are waited for before.) The command is on its way to Chromium when this returns,
 * so the caller's event loop may be busy while Chromium prints.
 *
 * @param cdp A DevTools session of the page.
 * @param timeout Milliseconds for the print.
 */
export function printToPdf(cdp: CDPSession, timeout: number): Promise<Uint8Array> {
  const printing = cdp.send('Page.printToPDF', {
    transferMode: 'ReturnAsBase64',
    printBackground: true,
    preferCSSPageSize: true,
    generateTaggedPDF: true,
    generateDocumentOutline: true,
    displayHeaderFooter: false,
    marginTop: 0,
    marginBottom: 0,
    marginLeft: 0,
    marginRight: 0
  })
  return withTimeout(printing, timeout, `Page.printToPDF timed out after ${timeout} ms`).then((result) =>
    Buffer.from(result.data, 'base64')
  )
}
