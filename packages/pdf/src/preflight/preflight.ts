import type { PDFDocument } from 'pdf-lib'
import type { CDPSession, Page } from 'puppeteer-core'
import type { PdfDiagnostic } from '../pdf-diagnostic.js'
import { checkFlow } from './check-flow.js'
import { checkGlyphCoverage } from './check-glyph-coverage.js'
import { checkGlyphs } from './check-glyphs.js'
import { embeddedCodePoints } from './embedded-code-points.js'
import { checkImages, printedImages } from './check-images.js'
import { checkFileLinks, checkLinks } from './check-links.js'
import { checkOverflow } from './check-overflow.js'
import { checkPress } from './check-press.js'
import { checkSafeZone } from './check-safe-zone.js'
import { checkSyntheticStyles } from './check-synthetic-styles.js'
import { checkType3Fonts } from './check-type3-fonts.js'
import { fitViewport } from './fit-viewport.js'

function commonWidth(doc: PDFDocument): number {
  const counts = new Map<number, number>()
  for (const page of doc.getPages()) {
    const width = Math.round(page.getMediaBox().width * 100) / 100
    counts.set(width, (counts.get(width) ?? 0) + 1)
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 595.28
}

/**
 * Check the printed document: how the body flowed over the pages (sparse pages,
 * stranded headings), overflow (at the printed width), missing glyphs (fallback fonts, and
 * characters the PDF draws without a glyph), links to `file:` URLs, synthetic styles, image
 * resolution, internal links, and Type 3 fonts in the PDF. Run it after the last print and
 * before bleed is added.
 *
 * @param page The page, as it was last printed.
 * @param cdp A DevTools session on the page.
 * @param doc The last print, parsed.
 * @param timeout Milliseconds for the flow check's measuring print.
 * @param press Also the press checks (see `checkPress` and `checkSafeZone`), for a press-ready build.
 * @param flow Also the flow checks (`checkFlow`: sparse pages, stranded headings), which print once more.
 */
export async function preflight(
  page: Page,
  cdp: CDPSession,
  doc: PDFDocument,
  timeout: number,
  press = false,
  flow = false
): Promise<PdfDiagnostic[]> {
  // What it needs of the PDF is read at once, before the first await: the caller goes on
  // to set metadata and bleed boxes on the same document meanwhile.
  const type3 = checkType3Fonts(doc)
  const drawn = embeddedCodePoints(doc)
  const width = commonWidth(doc)
  const area = await fitViewport(page, width)
  // The flow check prints once more (with marks it removes again): before the other checks.
  const flowed = flow ? await checkFlow(page, cdp, area, timeout) : []
  const diagnostics = [
    ...(await checkFileLinks(page)),
    ...(await checkLinks(page)),
    ...(await checkGlyphs(page, cdp)),
    ...(await checkGlyphCoverage(page, drawn)),
    ...(await checkSyntheticStyles(page)),
    ...type3
  ]
  const images = await printedImages(page)
  diagnostics.push(...(await checkOverflow(page, area)), ...checkImages(images), ...flowed)
  // The safe-zone check prints once more (with links it removes again): last.
  if (press) diagnostics.push(...(await checkPress(page, images)), ...(await checkSafeZone(page, cdp, timeout)))
  return diagnostics
}
