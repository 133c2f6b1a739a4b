import { BLEED_MM, isPaperSize, mmToPt } from '@masthead/core'
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber, ParseSpeeds, type PDFPage } from 'pdf-lib'
import type { CDPSession, Page } from 'puppeteer-core'
import type { PlaceOf } from '../install-source-place.js'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import { printToPdf } from '../print-to-pdf.js'
import { pdfText } from '../toc/named-destinations.js'

/** The safe zone's default width inside the trim, in millimetres (`--preflight-safe-zone`). */
export const SAFE_ZONE_MM = 3

const MARK = 'masthead-safe-zone'
const PREFIX = 'https://masthead.invalid/safe-zone/'

/** A run of text wrapped in a measuring link, as the page describes it. */
interface MarkedText {
  text: string
  line?: number
  column?: number
}

/** What the page reports before the measuring print. */
interface Marked {
  texts: MarkedText[]
  /** The designer's safe zone, in CSS pixels (the default when the value is not a length). */
  safeZonePx: number
  bleed: boolean
}

/**
 * Wrap every run of visible text of the body (not inside SVG) in a link to a URL of its
 * own, so that Chromium writes a link annotation with the text's box on the page it
 * landed on. The link is `all: unset`: it inherits everything a bare text node would, so
 * no line moves. Also reads `--preflight-safe-zone` from the root, measured in CSS pixels.
 */
function wrapText(args: { mark: string; prefix: string; fallback: string }): Marked {
  const placeOf = (window as unknown as { __mastheadPlace: PlaceOf }).__mastheadPlace
  const skip = 'head, script, style, template, noscript, svg, textarea, select, option'
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  const nodes: Text[] = []
  while (walker.nextNode()) {
    const node = walker.currentNode as Text
    const parent = node.parentElement
    if (!parent || node.data.trim() === '' || parent.closest(skip)) continue
    nodes.push(node)
  }
  const texts: MarkedText[] = []
  for (const node of nodes) {
    const parent = node.parentElement!
    const style = getComputedStyle(parent)
    if (style.display === 'none' || style.visibility !== 'visible') continue
    const link = document.createElement('a')
    link.href = args.prefix + texts.length
    link.setAttribute(`data-${args.mark}`, '')
    link.style.cssText = 'all: unset'
    node.replaceWith(link)
    link.append(node)
    texts.push({ text: node.data.replace(/\s+/g, ' ').trim().slice(0, 30), ...placeOf(parent) })
  }
  const root = document.documentElement
  const value = getComputedStyle(root).getPropertyValue('--preflight-safe-zone').trim() || args.fallback
  const probe = document.createElement('div')
  probe.style.cssText = 'position:absolute;visibility:hidden;left:0;top:0;height:0'
  probe.style.width = value
  // A value that is not a length: the default.
  if (probe.style.width === '') probe.style.width = args.fallback
  root.append(probe)
  const safeZonePx = probe.getBoundingClientRect().width
  probe.remove()
  return { texts, safeZonePx, bleed: root.classList.contains('masthead-bleed') }
}

function unwrapText(mark: string): void {
  for (const link of document.querySelectorAll(`a[data-${mark}]`)) link.replaceWith(...link.childNodes)
}

/** The closest a text box comes to the trim, in points, and on which side. */
interface Nearness {
  index: number
  page: number
  distance: number
  side: 'top' | 'right' | 'bottom' | 'left'
}

/** The trim of a page as Chromium printed it: the page, less the bleed when it was printed with bleed. */
function trimOf(pdfPage: PDFPage, bleed: boolean): { x0: number; y0: number; x1: number; y1: number } {
  const media = pdfPage.getMediaBox()
  const inset = bleed && !isPaperSize(media.width, media.height) ? mmToPt(BLEED_MM) : 0
  return { x0: media.x + inset, y0: media.y + inset, x1: media.x + media.width - inset, y1: media.y + media.height - inset }
}

/** Every measuring link's box on every page, as its distance from the nearest trim edge. */
function nearnesses(doc: PDFDocument, bleed: boolean): Nearness[] {
  const found: Nearness[] = []
  doc.getPages().forEach((pdfPage, pageIndex) => {
    const trim = trimOf(pdfPage, bleed)
    const annots = pdfPage.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    for (let i = 0; i < (annots?.size() ?? 0); i++) {
      const annot = annots!.lookup(i)
      if (!(annot instanceof PDFDict)) continue
      const uri = pdfText(annot.lookupMaybe(PDFName.of('A'), PDFDict)?.get(PDFName.of('URI')))
      const rect = annot.lookupMaybe(PDFName.of('Rect'), PDFArray)?.asArray()
      if (!uri?.startsWith(PREFIX) || rect?.length !== 4) continue
      const [a, b, c, d] = rect.map((n) => (n instanceof PDFNumber ? n.asNumber() : Number.NaN)) as [number, number, number, number]
      const sides = {
        left: Math.min(a, c) - trim.x0,
        right: trim.x1 - Math.max(a, c),
        bottom: Math.min(b, d) - trim.y0,
        top: trim.y1 - Math.max(b, d)
      }
      const [side, distance] = Object.entries(sides).sort((x, y) => x[1] - y[1])[0] as [Nearness['side'], number]
      found.push({ index: Number(uri.slice(PREFIX.length)), page: pageIndex + 1, distance, side })
    }
  })
  return found
}

const mm = (pt: number): string => ((pt * 25.4) / 72).toFixed(1)

/**
 * Find text closer to the trim than the safe zone (`--preflight-safe-zone` on the root,
 * a CSS length, default {@link SAFE_ZONE_MM} mm; `0` turns the check off): the trimming
 * knife may cut it, or leave it crowding the edge. The page is printed once more for it,
 * with every run of text wrapped in a link (removed again afterwards), and each link's box
 * is read from the PDF: where the text landed on the paginated page, named pages and
 * positioned elements included. One warning per source line, at the closest text (text
 * the layout adds, without a source line, once per page and edge).
 * Not seen: text in page margin boxes (`@top-center` …) and inside SVG.
 *
 * @param page The loaded page, as printed.
 * @param cdp A DevTools session on the page.
 * @param timeout Milliseconds for the measuring print.
 */
export async function checkSafeZone(page: Page, cdp: CDPSession, timeout: number): Promise<PdfDiagnostic[]> {
  const marked = await page.evaluate(wrapText, { mark: MARK, prefix: PREFIX, fallback: `${SAFE_ZONE_MM}mm` })
  if (marked.texts.length === 0 || marked.safeZonePx <= 0) {
    await page.evaluate(unwrapText, MARK)
    return []
  }
  let doc: PDFDocument
  try {
    doc = await PDFDocument.load(await printToPdf(cdp, timeout), { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })
  } finally {
    await page.evaluate(unwrapText, MARK)
  }
  const safe = (marked.safeZonePx * 72) / 96
  // The closest approach per source place (line and column); text without one (the
  // layout's own: the cover, the contents) once per page and edge.
  const worst = new Map<string, Nearness>()
  for (const near of nearnesses(doc, marked.bleed)) {
    const text = marked.texts[near.index]
    if (!text || near.distance >= safe - 0.01) continue
    const key = text.line === undefined ? `page:${near.page}:${near.side}` : `${text.line}:${text.column ?? ''}`
    const before = worst.get(key)
    if (!before || near.distance < before.distance) worst.set(key, near)
  }
  return [...worst.values()].map((near) => {
    const text = marked.texts[near.index]!
    const where =
      near.distance < 0
        ? `${mm(-near.distance)} mm beyond the trim's ${near.side} edge`
        : `${mm(near.distance)} mm from the trim's ${near.side} edge`
    return pdfDiagnostic(
      'safe-zone',
      `Unexpected text (“${text.text}”) ${where} on page ${near.page}, expected at least ${mm(safe)} mm inside the trim (\`--preflight-safe-zone\`): trimming may cut it`,
      { line: text.line, column: text.column, severity: 'warning', page: near.page }
    )
  })
}
