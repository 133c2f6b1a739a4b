import { deflateSync, inflateSync, constants } from 'node:zlib'
import { PDFName, PDFRawStream, type PDFDocument } from 'pdf-lib'

/**
 * Re-compress every Flate stream whose compressed data stops before zlib's end marker.
 * Ghostscript's pdfwrite (`-dNEWPDF=false`) wrote such a stream for a page's content in
 * the full-bleed cover fixture: every byte of the content decodes, but the stream lacks its
 * final block, and qpdf (like a print shop's preflight) reports "input stream is complete
 * but output may still be valid". The data is decoded as far as it goes and compressed
 * again, whole; the stream's dictionary (its `DecodeParms` too) stays as it was, since only
 * the Flate layer is redone.
 *
 * @param doc The converted document, changed in place.
 * @returns How many streams were mended.
 */
export function mendFlateStreams(doc: PDFDocument): number {
  let mended = 0
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFRawStream)) continue
    if (object.dict.get(PDFName.of('Filter')) !== PDFName.of('FlateDecode')) continue
    if (inflatesWhole(object.contents)) continue
    const data = inflateSync(object.contents, { finishFlush: constants.Z_SYNC_FLUSH })
    doc.context.assign(ref, PDFRawStream.of(object.dict, new Uint8Array(deflateSync(data))))
    mended++
  }
  return mended
}

/** Whether zlib reads the data to its end marker. */
function inflatesWhole(bytes: Uint8Array): boolean {
  try {
    inflateSync(bytes)
    return true
  } catch {
    return false
  }
}
