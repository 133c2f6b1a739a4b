import { PDFDict, PDFHexString, PDFName, type PDFDocument } from 'pdf-lib'
import { pdfText } from './named-destinations.js'

/**
 * Chromium (156) writes a heading's bookmark title twice over (`TitleTitle`) when
 * `break-after: avoid` moves the heading to the next page after it was first laid out at
 * the foot of the page before. Give such bookmarks their title once. A title is mended
 * only when it is one text written twice exactly, which a real heading is not.
 *
 * @param doc The printed PDF; its `/Outlines` are edited in place.
 * @returns The titles mended.
 */
export function mendOutline(doc: PDFDocument): string[] {
  const mended: string[] = []
  const seen = new Set<PDFDict>()
  const walk = (first: PDFDict | undefined, depth: number): void => {
    let item = first
    while (item && !seen.has(item) && depth < 64) {
      seen.add(item)
      const title = pdfText(item.lookup(PDFName.of('Title')))
      const half = title === undefined ? '' : title.slice(0, title.length / 2)
      if (title !== undefined && title.length >= 2 && title.length % 2 === 0 && half.trim() !== '' && half + half === title) {
        item.set(PDFName.of('Title'), PDFHexString.fromText(half))
        mended.push(half)
      }
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict), depth + 1)
      item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
    }
  }
  walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict), 1)
  return mended
}
