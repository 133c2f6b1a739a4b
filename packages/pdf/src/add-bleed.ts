import { BLEED_MM, isPaperSize, mmToPt } from '@masthead/core'
import { beginMarkedContent, cmyk, endMarkedContent, type PDFDocument, type PDFPage } from 'pdf-lib'

/** Bleed on each side, in millimetres (the one value, from `@masthead/core`). */
export const bleedMm = BLEED_MM
/** Crop marks start this far from the trim edge (outside the bleed) … */
const markOffsetMm = bleedMm + 1
/** … and are this long. */
const markLengthMm = 6
/** The sheet extends this far beyond the trim on each side. */
const slugMm = markOffsetMm + markLengthMm + 2

const pt = mmToPt

interface Box {
  x: number
  y: number
  width: number
  height: number
}

const grow = (box: Box, by: number): Box => ({ x: box.x - by, y: box.y - by, width: box.width + 2 * by, height: box.height + 2 * by })

function drawCropMarks(page: PDFPage, trim: Box): void {
  const offset = pt(markOffsetMm)
  const length = pt(markLengthMm)
  const registration = cmyk(1, 1, 1, 1)
  const line = (x1: number, y1: number, x2: number, y2: number): void =>
    page.drawLine({ start: { x: x1, y: y1 }, end: { x: x2, y: y2 }, thickness: 0.25, color: registration })
  page.pushOperators(beginMarkedContent('Artifact'))
  for (const x of [trim.x, trim.x + trim.width]) {
    for (const y of [trim.y, trim.y + trim.height]) {
      const dx = x === trim.x ? -1 : 1
      const dy = y === trim.y ? -1 : 1
      line(x + dx * offset, y, x + dx * (offset + length), y)
      line(x, y + dy * offset, x, y + dy * (offset + length))
    }
  }
  page.pushOperators(endMarkedContent())
}

/** What {@link addBleed} did. */
export interface BleedResult {
  /** 1-based pages whose layout ignored `--bleed` (printed at a paper size). */
  ignored: number[]
}

/**
 * Turn pages printed at trim + bleed into printer's sheets, in place: the
 * MediaBox grows outward to make room for crop marks, BleedBox is the printed
 * page, TrimBox is 3 mm inside it, and crop marks (registration colour,
 * 0.25 pt, tagged as artifacts) are drawn outside the bleed. Page objects are
 * kept, so links, bookmarks and tags survive. A page printed at a plain paper
 * size (the layout ignored `--bleed`) is taken as the trim, and its bleed is
 * blank paper.
 *
 * @param doc The printed PDF.
 */
export function addBleed(doc: PDFDocument): BleedResult {
  const bleed = pt(bleedMm)
  const ignored: number[] = []
  doc.getPages().forEach((page, index) => {
    const media = page.getMediaBox()
    let trim: Box
    if (isPaperSize(media.width, media.height)) {
      trim = media
      ignored.push(index + 1)
    } else {
      trim = grow(media, -bleed)
    }
    const bleedBox = grow(trim, bleed)
    const sheet = grow(trim, pt(slugMm))
    page.setMediaBox(sheet.x, sheet.y, sheet.width, sheet.height)
    page.setCropBox(sheet.x, sheet.y, sheet.width, sheet.height)
    page.setBleedBox(bleedBox.x, bleedBox.y, bleedBox.width, bleedBox.height)
    page.setTrimBox(trim.x, trim.y, trim.width, trim.height)
    drawCropMarks(page, trim)
  })
  return { ignored }
}
