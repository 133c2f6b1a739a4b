import { randomUUID } from 'node:crypto'
import type { PDFArray } from 'pdf-lib'
import { PDFDict, PDFHexString, PDFName, PDFString, type PDFDocument } from 'pdf-lib'
import { setMetadata, type PdfMetadata } from '../set-metadata.js'
import { xmpPacket, type XmpConformance } from './xmp-packet.js'

/** An output intent: the printing condition (or, for an archive, the screen) the colours are meant for. */
export interface OutputIntent {
  /** `GTS_PDFX` or `GTS_PDFA1`. */
  subtype: 'GTS_PDFX' | 'GTS_PDFA1'
  /** The condition's registered name, `FOGRA39` or `sRGB IEC61966-2.1`. */
  identifier: string
  /** The condition in words. */
  condition: string
  /** The profile's own description. */
  info: string
  /** The ICC profile's bytes, embedded as `DestOutputProfile`. */
  profile: Uint8Array
  /** Its colour components: 4 for CMYK, 3 for RGB. */
  components: 3 | 4
}

/** What {@link markStandard} claims. */
export interface StandardClaim {
  pdfx?: string
  pdfa?: { part: number; conformance: string }
}

/**
 * Write what PDF/X and PDF/A require of a document's metadata, in place: the Info
 * dictionary (title, author, subject, keywords, creator, producer, dates, `Trapped`), an
 * XMP packet saying the same and claiming `claim`, the output intent with its embedded ICC
 * profile, and the trailer's file identifier.
 *
 * @param doc The document.
 * @param metadata Its metadata.
 * @param intent The output intent.
 * @param claim The standard the file claims to meet.
 */
export function markStandard(doc: PDFDocument, metadata: PdfMetadata, intent: OutputIntent, claim: StandardClaim): void {
  setMetadata(doc, metadata)
  const context = doc.context
  const info = context.lookup(context.trailerInfo.Info, PDFDict)
  info.set(PDFName.of('Trapped'), PDFName.of('False'))
  if (claim.pdfx) info.set(PDFName.of('GTS_PDFXVersion'), PDFString.of(claim.pdfx))
  const created = doc.getCreationDate() ?? new Date()
  const modified = doc.getModificationDate() ?? created
  // Whole seconds: the XMP and the Info dictionary must agree to the second.
  created.setMilliseconds(0)
  modified.setMilliseconds(0)
  doc.setCreationDate(created)
  doc.setModificationDate(modified)
  const documentId = randomUUID()
  const xmp: XmpConformance = {
    ...claim,
    producer: 'Masthead',
    created,
    modified,
    documentId: `uuid:${documentId}`,
    instanceId: `uuid:${randomUUID()}`
  }
  const metadataStream = context.stream(new TextEncoder().encode(xmpPacket(metadata, xmp)), { Type: 'Metadata', Subtype: 'XML' })
  doc.catalog.set(PDFName.of('Metadata'), context.register(metadataStream))

  const profile = context.stream(intent.profile, { N: intent.components })
  const outputIntent = context.obj({
    Type: 'OutputIntent',
    S: intent.subtype,
    OutputConditionIdentifier: PDFString.of(intent.identifier),
    OutputCondition: PDFString.of(intent.condition),
    RegistryName: PDFString.of('http://www.color.org'),
    Info: PDFString.of(intent.info),
    DestOutputProfile: context.register(profile)
  })
  doc.catalog.set(PDFName.of('OutputIntents'), context.obj([context.register(outputIntent)]))

  const id = PDFHexString.of(documentId.replace(/-/g, ''))
  context.trailerInfo.ID = context.obj([id, id]) satisfies PDFArray
}
