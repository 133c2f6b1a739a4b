import { PDFDict, PDFName, PDFStream, type PDFDocument } from 'pdf-lib'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'

function hasType3(resources: PDFDict | undefined, seen: Set<PDFDict>): boolean {
  if (!resources || seen.has(resources)) return false
  seen.add(resources)
  const fonts = resources.lookupMaybe(PDFName.of('Font'), PDFDict)
  if (fonts) {
    for (const [key] of fonts.entries()) {
      const font = fonts.lookupMaybe(key, PDFDict)
      if (font?.get(PDFName.of('Subtype')) === PDFName.of('Type3')) return true
    }
  }
  const objects = resources.lookupMaybe(PDFName.of('XObject'), PDFDict)
  if (objects) {
    for (const [key] of objects.entries()) {
      const object = objects.lookup(key)
      if (object instanceof PDFStream && hasType3(object.dict.lookupMaybe(PDFName.of('Resources'), PDFDict), seen)) return true
    }
  }
  return false
}

/**
 * Find pages that use Type 3 fonts, which print shops reject. Chromium emits
 * them for synthetic bold or italic (a weight or style the web fonts lack)
 * and for system fonts it cannot embed as TrueType.
 *
 * @param doc The printed PDF.
 */
export function checkType3Fonts(doc: PDFDocument): PdfDiagnostic[] {
  const pages: number[] = []
  doc.getPages().forEach((page, index) => {
    if (hasType3(page.node.Resources(), new Set())) pages.push(index + 1)
  })
  if (pages.length === 0) return []
  const first = pages[0]
  return [
    pdfDiagnostic(
      'type3-font',
      `Unexpected Type 3 font on page${pages.length > 1 ? 's' : ''} ${pages.join(', ')}, expected only embedded TrueType/CID fonts: load the weights and styles the text uses (e.g. \`@fontsource/noto-serif-sc/700.css\` for bold) so Chromium does not synthesize them`,
      { page: first }
    )
  ]
}
