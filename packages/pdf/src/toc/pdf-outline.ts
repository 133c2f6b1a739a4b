import { PDFArray, PDFDict, PDFName, type PDFDocument, type PDFObject } from 'pdf-lib'
import { destinationPage, namedDestinations, pageNumbers, pdfText } from './named-destinations.js'

/** One bookmark. */
export interface OutlineEntry {
  title: string
  /** 1-based page, when the bookmark points at one. */
  page?: number
  /** 1 for top-level bookmarks. */
  depth: number
}

/**
 * The PDF's bookmarks in reading order (`/Outlines`, following `/First` and
 * `/Next`). Chromium writes one per h1–h6 with `outline: true`.
 *
 * @param doc A loaded PDF.
 */
export function pdfOutline(doc: PDFDocument): OutlineEntry[] {
  const pages = pageNumbers(doc)
  let named: Map<string, number> | undefined
  const entries: OutlineEntry[] = []
  const seen = new Set<PDFDict>()
  const target = (item: PDFDict): number | undefined => {
    let dest: PDFObject | undefined = item.get(PDFName.of('Dest'))
    const action = item.lookupMaybe(PDFName.of('A'), PDFDict)
    if (dest === undefined && action) dest = action.get(PDFName.of('D'))
    const name = pdfText(dest instanceof PDFArray ? undefined : dest)
    if (name !== undefined) {
      named ??= namedDestinations(doc)
      return named.get(name)
    }
    return destinationPage(doc, dest, pages)
  }
  const walk = (first: PDFDict | undefined, depth: number): void => {
    let item = first
    while (item && !seen.has(item) && depth < 64) {
      seen.add(item)
      const entry: OutlineEntry = { title: pdfText(item.lookup(PDFName.of('Title'))) ?? '', depth }
      const page = target(item)
      if (page !== undefined) entry.page = page
      entries.push(entry)
      walk(item.lookupMaybe(PDFName.of('First'), PDFDict), depth + 1)
      item = item.lookupMaybe(PDFName.of('Next'), PDFDict)
    }
  }
  const root = doc.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  walk(root?.lookupMaybe(PDFName.of('First'), PDFDict), 1)
  return entries
}
