import { PDFArray, PDFDict, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString, type PDFDocument, type PDFObject } from 'pdf-lib'

/** 1-based page numbers keyed by the page object's reference (`"12 0 R"`). */
export function pageNumbers(doc: PDFDocument): Map<string, number> {
  const map = new Map<string, number>()
  doc.getPages().forEach((page, index) => map.set(page.ref.toString(), index + 1))
  return map
}

/** Decode a PDF text string (literal or hex, PDFDocEncoding or UTF-16). */
export function pdfText(value: PDFObject | undefined): string | undefined {
  if (value instanceof PDFString || value instanceof PDFHexString) return value.decodeText()
  if (value instanceof PDFName) return value.decodeText()
  return undefined
}

/** The page a destination (`[page /XYZ …]`, `<< /D [...] >>`) points at. */
export function destinationPage(doc: PDFDocument, dest: PDFObject | undefined, pages: Map<string, number>): number | undefined {
  const value = dest instanceof PDFRef ? doc.context.lookup(dest) : dest
  if (value instanceof PDFDict) return destinationPage(doc, value.get(PDFName.of('D')), pages)
  if (!(value instanceof PDFArray) || value.size() === 0) return undefined
  const target = value.get(0)
  return target instanceof PDFRef ? pages.get(target.toString()) : undefined
}

function walkNameTree(doc: PDFDocument, node: PDFDict, visit: (name: string, dest: PDFObject | undefined) => void, depth = 0): void {
  if (depth > 32) return
  const names = node.lookupMaybe(PDFName.of('Names'), PDFArray)
  if (names) {
    for (let index = 0; index + 1 < names.size(); index += 2) {
      const name = pdfText(names.lookup(index))
      if (name !== undefined) visit(name, names.get(index + 1))
    }
  }
  const kids = node.lookupMaybe(PDFName.of('Kids'), PDFArray)
  if (kids) {
    for (let index = 0; index < kids.size(); index++) {
      const kid = kids.lookup(index)
      if (kid instanceof PDFDict) walkNameTree(doc, kid, visit, depth + 1)
    }
  }
}

/**
 * Named destinations and their 1-based pages, from the catalog's `/Dests`
 * dictionary (what Chromium writes: one entry per element id that a link
 * targets) and from a `/Names` → `/Dests` name tree (what other writers use).
 *
 * @param doc A loaded PDF.
 */
export function namedDestinations(doc: PDFDocument): Map<string, number> {
  const pages = pageNumbers(doc)
  const result = new Map<string, number>()
  const add = (name: string, dest: PDFObject | undefined): void => {
    const page = destinationPage(doc, dest, pages)
    if (page !== undefined) result.set(name, page)
  }
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)
  if (dests) {
    for (const [key, value] of dests.entries()) add(key.decodeText(), value)
  }
  const tree = doc.catalog.lookupMaybe(PDFName.of('Names'), PDFDict)?.lookupMaybe(PDFName.of('Dests'), PDFDict)
  if (tree) walkNameTree(doc, tree, add)
  return result
}

/** Where a named destination points: its 1-based page and the `top` of its `/XYZ` view. */
export interface DestinationPoint {
  page: number
  /** The destination's `top`, in PDF points (as Chromium writes it; see check-flow.ts). */
  top: number
}

/**
 * Named destinations of the catalog's `/Dests` dictionary (Chromium's) with their page
 * and the `top` of their `[page /XYZ left top zoom]` array.
 *
 * @param doc A loaded PDF.
 */
export function destinationPoints(doc: PDFDocument): Map<string, DestinationPoint> {
  const pages = pageNumbers(doc)
  const result = new Map<string, DestinationPoint>()
  const dests = doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)
  if (!dests) return result
  for (const [key, value] of dests.entries()) {
    const array = value instanceof PDFRef ? doc.context.lookup(value) : value
    if (!(array instanceof PDFArray) || array.size() < 4) continue
    const page = destinationPage(doc, array, pages)
    const top = array.lookup(3)
    if (page !== undefined && top instanceof PDFNumber) result.set(key.decodeText(), { page, top: top.asNumber() })
  }
  return result
}
