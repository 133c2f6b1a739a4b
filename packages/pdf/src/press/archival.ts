import { BLEED_MM, isPaperSize, mmToPt } from '@masthead/core'
import { PDFArray, PDFDict, PDFName, PDFNumber, PDFDocument } from 'pdf-lib'
import type { PdfMetadata } from '../set-metadata.js'
import { SRGB, outputIntent } from './icc-profiles.js'
import { markStandard } from './mark-standard.js'

/** The standard the archival file claims. */
export const ARCHIVAL_STANDARD = { part: 2, conformance: 'B' } as const

/** Annotation flags: Print on; Invisible, Hidden, NoView and ToggleNoView off (PDF/A-2, 6.3.2). */
const PRINT = 4
const FORBIDDEN_FLAGS = 1 | 2 | 32 | 256

/**
 * Turn a printed PDF (as Chromium printed it, without bleed marks) into a PDF/A-2b file
 * for an archive, editing it in place with pdf-lib rather than rewriting it, so the tag
 * tree, the bookmarks, the language and the links stay: an sRGB output intent (Chromium
 * prints in sRGB), XMP metadata that claims PDF/A-2b and agrees with the Info
 * dictionary, a file identifier, and link annotations flagged to print. A page printed
 * with bleed is cut to its trimmed size, as a reader holds it.
 *
 * @param pdf The printed PDF.
 * @param metadata Its metadata.
 * @param options `bleed`: the pages were printed with {@link BLEED_MM} of bleed.
 */
export async function archival(pdf: Uint8Array, metadata: PdfMetadata, options: { bleed?: boolean } = {}): Promise<Uint8Array> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false })
  const bleed = mmToPt(BLEED_MM)
  for (const page of doc.getPages()) {
    const media = page.getMediaBox()
    if (options.bleed === true && !isPaperSize(media.width, media.height)) {
      page.setMediaBox(media.x + bleed, media.y + bleed, media.width - 2 * bleed, media.height - 2 * bleed)
      page.node.delete(PDFName.of('CropBox'))
    }
    const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    for (const item of annots?.asArray() ?? []) {
      const annot = doc.context.lookup(item)
      if (!(annot instanceof PDFDict)) continue
      const flags = annot.lookupMaybe(PDFName.of('F'), PDFNumber)?.asNumber() ?? 0
      annot.set(PDFName.of('F'), PDFNumber.of((flags | PRINT) & ~FORBIDDEN_FLAGS))
    }
  }
  markStandard(doc, metadata, await outputIntent(SRGB), { pdfa: ARCHIVAL_STANDARD })
  return doc.save({ useObjectStreams: false })
}
