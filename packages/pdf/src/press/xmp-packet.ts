import type { PdfMetadata } from '../set-metadata.js'

/** What the XMP packet says besides the document's own metadata. */
export interface XmpConformance {
  /** `PDF/X-4` → `pdfxid:GTS_PDFXVersion`. */
  pdfx?: string
  /** `{ part: 2, conformance: 'B' }` → `pdfaid:part`, `pdfaid:conformance`. */
  pdfa?: { part: number; conformance: string }
  /** The producing program, as in the Info dictionary. */
  producer: string
  created: Date
  modified: Date
  /** The document's and this version's `uuid:…` ids. */
  documentId: string
  instanceId: string
}

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** `2026-12-04T20:33:05Z`: XMP dates, which PDF/A and PDF/X compare with the Info dictionary's. */
export const xmpDate = (date: Date): string => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * The XMP metadata packet PDF/X-4 and PDF/A-2 ask for: Dublin Core title, creator,
 * description and language; the PDF schema's producer and keywords; the dates; the
 * conformance claim. Its values equal those of the Info dictionary `setMetadata` writes.
 *
 * @param metadata The document's metadata.
 * @param claim The conformance claim, producer, dates and ids.
 */
export function xmpPacket(metadata: PdfMetadata, claim: XmpConformance): string {
  const alt = (value: string): string => `<rdf:Alt><rdf:li xml:lang="x-default">${escape(value)}</rdf:li></rdf:Alt>`
  const lines = [
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>',
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">',
    '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">',
    '<rdf:Description rdf:about=""',
    '  xmlns:dc="http://purl.org/dc/elements/1.1/"',
    '  xmlns:pdf="http://ns.adobe.com/pdf/1.3/"',
    '  xmlns:xmp="http://ns.adobe.com/xap/1.0/"',
    '  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"',
    ...(claim.pdfx ? ['  xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/"'] : []),
    ...(claim.pdfa ? ['  xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"'] : []),
    '>',
    '<dc:format>application/pdf</dc:format>',
    `<dc:title>${alt(metadata.title)}</dc:title>`,
    `<dc:creator><rdf:Seq><rdf:li>${escape(metadata.author)}</rdf:li></rdf:Seq></dc:creator>`,
    `<dc:description>${alt(metadata.subject)}</dc:description>`,
    `<dc:language><rdf:Bag><rdf:li>${escape(metadata.lang)}</rdf:li></rdf:Bag></dc:language>`,
    `<pdf:Producer>${escape(claim.producer)}</pdf:Producer>`,
    `<pdf:Keywords>${escape(metadata.keywords.join(', '))}</pdf:Keywords>`,
    '<pdf:Trapped>False</pdf:Trapped>',
    `<xmp:CreatorTool>${escape(metadata.creator ?? 'Masthead')}</xmp:CreatorTool>`,
    `<xmp:CreateDate>${xmpDate(claim.created)}</xmp:CreateDate>`,
    `<xmp:ModifyDate>${xmpDate(claim.modified)}</xmp:ModifyDate>`,
    `<xmp:MetadataDate>${xmpDate(claim.modified)}</xmp:MetadataDate>`,
    `<xmpMM:DocumentID>${claim.documentId}</xmpMM:DocumentID>`,
    `<xmpMM:InstanceID>${claim.instanceId}</xmpMM:InstanceID>`,
    ...(claim.pdfx ? [`<pdfxid:GTS_PDFXVersion>${escape(claim.pdfx)}</pdfxid:GTS_PDFXVersion>`] : []),
    ...(claim.pdfa
      ? [`<pdfaid:part>${claim.pdfa.part}</pdfaid:part>`, `<pdfaid:conformance>${claim.pdfa.conformance}</pdfaid:conformance>`]
      : []),
    '</rdf:Description>',
    '</rdf:RDF>',
    '</x:xmpmeta>',
    // Room to edit the packet in place, as the XMP specification suggests.
    ...Array.from({ length: 20 }, () => ' '.repeat(99)),
    '<?xpacket end="w"?>'
  ]
  return lines.join('\n')
}
