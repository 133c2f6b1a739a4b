import { PDFDict, PDFHexString, PDFName, type PDFDocument } from 'pdf-lib'
import { pdfText } from './named-destinations.js'

/**
 * Chromium (156) writes a heading's bookmark title twice over when `break-after: avoid`
 * moves the heading to the next page after it was first laid out at the foot of the page
 * before: the whole title (`TitleTitle`), or, when the title has break chances (`<wbr>`,
 * from `wordBreaks`), only the fragment it had laid out first (`网络网络成员…`). Give such
 * bookmarks their title once. A title is mended only when it is one text written twice
 * exactly, which a real heading is not, or when it is one of the document's `headings`
 * with a start of itself written before it, and is not itself a heading.
 *
 * @param doc The printed PDF; its `/Outlines` are edited in place.
 * @param headings The text of the document's headings (`h1`–`h6`), as printed.
 * @returns The titles mended.
 */
export function mendOutline(doc: PDFDocument, headings: readonly string[] = []): string[] {
  const known = new Set(headings.map(squash))
  const mended: string[] = []
  const seen = new Set<PDFDict>()
  const walk = (first: PDFDict | undefined, depth: number): void => {
    let item = first
    while (item && !seen.has(item) && depth < 64) {
      seen.add(item)
      const title = pdfText(item.lookup(PDFName.of('Title')))
      const once = title === undefined ? undefined : writtenOnce(title, known, headings)
      if (once !== undefined) {
        item.set(PDFName.of('Title'), PDFHexString.fromText(once))
        mended.push(once)
      }
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict), depth + 1)
      item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
    }
  }
  walk(doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)?.lookupMaybe(PDFName.of('First'), PDFDict), 1)
  return mended
}

const squash = (text: string): string => text.replace(/\s+/g, '')

/** The title written once, or undefined when `title` is not a doubled one. */
function writtenOnce(title: string, known: ReadonlySet<string>, headings: readonly string[]): string | undefined {
  const half = title.slice(0, title.length / 2)
  if (title.length >= 2 && title.length % 2 === 0 && half.trim() !== '' && half + half === title) return half
  const bare = squash(title)
  if (known.has(bare)) return undefined
  // Compared without white space: Chromium drops the space where a heading's line wraps.
  return headings.find((heading) => {
    const whole = squash(heading)
    return whole !== '' && bare.length > whole.length && bare.endsWith(whole) && whole.startsWith(bare.slice(0, bare.length - whole.length))
  })
}
