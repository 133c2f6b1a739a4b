import { PDFDict, PDFHexString, PDFName, type PDFDocument } from 'pdf-lib'

/** Document metadata written into the PDF's Info dictionary and catalog. */
export interface PdfMetadata {
  title: string
  /** The publisher; shown as Author. */
  author: string
  subject: string
  keywords: readonly string[]
  /** BCP 47, e.g. `zh-CN`; becomes the catalog's `/Lang`. */
  lang: string
  /** Default `Masthead`. */
  creator?: string
}

/**
 * Set title, author, subject, keywords, language, creator and producer. The
 * catalog is edited in place, so bookmarks (`/Outlines`), named destinations
 * and the tag tree (`/StructTreeRoot`, `/MarkInfo`) stay as Chromium wrote them.
 *
 * @param doc The printed PDF.
 * @param metadata What to write.
 */
export function setMetadata(doc: PDFDocument, metadata: PdfMetadata): void {
  const creator = metadata.creator ?? 'Masthead'
  doc.setTitle(metadata.title, { showInWindowTitleBar: true })
  doc.setAuthor(metadata.author)
  doc.setSubject(metadata.subject)
  doc.setCreator(creator)
  doc.setProducer('Masthead')
  doc.setLanguage(metadata.lang)
  const now = new Date()
  doc.setModificationDate(now)
  if (doc.getCreationDate() === undefined) doc.setCreationDate(now)
  // pdf-lib joins keywords with spaces, which merges multi-word keywords; use commas.
  doc.setKeywords([])
  doc.context.lookup(doc.context.trailerInfo.Info, PDFDict).set(PDFName.of('Keywords'), PDFHexString.fromText(metadata.keywords.join(', ')))
}
