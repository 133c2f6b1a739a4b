import { PDFDocument, ParseSpeeds } from 'pdf-lib'
import type { CDPSession, Page } from 'puppeteer-core'
import type { PlaceOf } from '../install-source-place.js'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import { printToPdf } from '../print-to-pdf.js'
import { destinationPoints, type DestinationPoint } from '../toc/named-destinations.js'
import type { PrintArea } from './fit-viewport.js'

/** A marked block of the body, as the page describes it. */
interface Block {
  index: number
  heading: boolean
  /** The first block after a page break the design forces (a section whose type has `"break": "page"`, such as a back page). */
  forced: boolean
  /** The block's line height in CSS pixels. */
  lineHeight: number
  /**
   * How far below its line box's top a mark's destination is, in CSS pixels: Chromium puts
   * it at the top of the (empty) mark's box, which is the font's height centred in the line,
   * so half the leading down (3.5 pt for 10 pt DejaVu Serif on 18 pt lines, measured in
   * Chromium 156, which also rounds it to a whole point).
   */
  halfLeading: number
  text: string
  /** Hidden from screen readers (`aria-hidden`, such as a section's number): not quoted in messages. */
  decorative: boolean
  line?: number
  column?: number
}

/** Where a block's first and last line landed: page, and distance from the text area's top in pt. */
interface Landing {
  startPage: number
  start: number
  endPage: number
  end: number
}

const MARK = 'masthead-flow-mark'
const DEFAULT_SPARSE = 0.3

/**
 * Mark the start and the end of every block of the body (`main`): a paragraph, list
 * item, heading, caption, table cell, image. Each mark is an empty inline span (a
 * zero-height block next to an image), which does not move anything, with an id that a
 * hidden link targets, so that Chromium writes a named destination for it.
 */
function markBlocks(mark: string): Array<Omit<Block, 'index'>> {
  const placeOf = (window as unknown as { __mastheadPlace: PlaceOf }).__mastheadPlace
  const main = document.querySelector('main')
  if (!main) return []
  const blocks: Array<Omit<Block, 'index'>> = []
  const links = document.createElement('div')
  links.hidden = true
  links.setAttribute(`data-${mark}`, '')
  const replacedTag = /^(IMG|SVG|VIDEO|CANVAS)$/i
  const isBlock = (element: Element): boolean => {
    const display = getComputedStyle(element).display
    return !display.startsWith('inline') && display !== 'contents' && display !== 'none'
  }
  const hasText = (element: Element): boolean => (element.textContent ?? '').trim() !== ''
  // Whether `element` opens a page break the design forces: it, or an ancestor below `main`
  // that it is the first block of, has `break-before: page` (or left, right, recto, verso)
  // and `data-break-by="design"` (a type's `"break": "page"`, not the editor's `{break=page}`).
  const forcedBreakBefore = (element: Element, previous: Element | undefined): boolean => {
    for (let node: Element | null = element; node && node !== main; node = node.parentElement) {
      if (previous && node.contains(previous)) return false
      if (/^(page|left|right|recto|verso)$/.test(getComputedStyle(node).breakBefore)) return node.getAttribute('data-break-by') === 'design'
    }
    return false
  }
  // The innermost blocks with text (a paragraph, not the item around it), and images.
  const candidates = [...main.querySelectorAll('*')].filter((element) => {
    if (element.parentElement?.closest('svg')) return false
    const style = getComputedStyle(element)
    if (style.display === 'none' || style.visibility === 'hidden' || style.position === 'fixed') return false
    if (replacedTag.test(element.tagName)) return true
    return isBlock(element) && hasText(element) && ![...element.children].some((child) => isBlock(child) && hasText(child))
  })
  const span = (id: string, block: boolean): HTMLElement => {
    const marker = document.createElement('span')
    marker.id = id
    marker.setAttribute(`data-${mark}`, '')
    if (block) marker.style.cssText = 'display:block;height:0;margin:0;padding:0;border:0'
    const link = document.createElement('a')
    link.href = `#${id}`
    links.append(link)
    return marker
  }
  candidates.forEach((element, index) => {
    const replaced = replacedTag.test(element.tagName)
    const start = span(`${mark}-${index}-s`, replaced)
    const end = span(`${mark}-${index}-e`, replaced)
    if (replaced) {
      element.before(start)
      element.after(end)
    } else {
      element.prepend(start)
      element.append(end)
    }
    const style = getComputedStyle(element)
    const size = Number.parseFloat(style.fontSize) || 16
    const lineHeight = Number.parseFloat(style.lineHeight) || size * 1.2
    blocks.push({
      heading: /^H[1-6]$/.test(element.tagName),
      forced: forcedBreakBefore(element, candidates[index - 1]),
      lineHeight,
      halfLeading: 0,
      text: (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30),
      decorative: element.closest('[aria-hidden="true"]') !== null,
      ...placeOf(element)
    })
  })
  // Measured once all marks are in (one layout, not one per block).
  blocks.forEach((block, index) => {
    const start = document.getElementById(`${mark}-${index}-s`)
    if (start && start.style.display !== 'block')
      block.halfLeading = Math.max(0, (block.lineHeight - start.getBoundingClientRect().height) / 2)
  })
  document.body.append(links)
  return blocks
}

function unmarkBlocks(mark: string): void {
  for (const element of document.querySelectorAll(`[data-${mark}]`)) element.remove()
}

/** The designer's threshold: `--preflight-sparse-page` on the root (`30%` or `0.3`). */
function sparseSetting(): string {
  return getComputedStyle(document.documentElement).getPropertyValue('--preflight-sparse-page').trim()
}

function parseFraction(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(value)
  if (!match) return DEFAULT_SPARSE
  const number = Number(match[1]) / (match[2] ? 100 : 1)
  return number >= 0 && number < 1 ? number : DEFAULT_SPARSE
}

const quote = (text: string): string => (text ? ` (“${text}”)` : '')

/**
 * Where a block's first line box starts, in pt from the text area's top: its start mark
 * less the half-leading. (Without this, two lines of text that filled a page's foot were
 * counted as one.)
 */
const lineTop = (block: Pick<Block, 'halfLeading'> & { start: number }): number => block.start - (block.halfLeading * 72) / 96

/**
 * Check how the body (the document's `<main>`: the print layout keeps the cover outside
 * it; a document without one is not checked) flowed over the pages, from a measuring print in which every block's
 * first and last line carry a named destination (removed again afterwards):
 *
 * - `sparse-page`: a page, not the last, whose text ends above `--preflight-sparse-page`
 *   (default 30 %) of the text area's height; reported at the block that starts the next
 *   page (where the break happened). Not when that next page opens with a section whose type
 *   demands a page of its own (`"break": "page"` in its `section.json`, marked
 *   `data-break-by="design"`): that space is the design's. An editor's `{break=page}` that
 *   leaves a page short is reported, at that section.
 * - `stranded-heading`: a heading at the foot of a page with nothing, or less than two
 *   lines, of what follows it on the same page.
 *
 * Chromium writes a destination's `top` as the page height less the distance from the
 * top of the page's text area, in points; that is what is measured here.
 *
 * @param page The loaded page, as printed.
 * @param cdp A DevTools session on the page.
 * @param area The print area (its top and bottom margins give the text area's height).
 * @param timeout Milliseconds for the measuring print.
 */
export async function checkFlow(page: Page, cdp: CDPSession, area: PrintArea, timeout: number): Promise<PdfDiagnostic[]> {
  const marked = await page.evaluate(markBlocks, MARK)
  if (marked.length === 0) return []
  let doc: PDFDocument
  try {
    doc = await PDFDocument.load(await printToPdf(cdp, timeout), { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })
  } finally {
    await page.evaluate(unmarkBlocks, MARK)
  }
  const fraction = parseFraction(await page.evaluate(sparseSetting))
  const points = destinationPoints(doc)
  const pageCount = doc.getPageCount()
  const heights = doc.getPages().map((pdfPage) => pdfPage.getMediaBox().height)
  const textArea = (pageNumber: number): number => (heights[pageNumber - 1] ?? 0) - ((area.top + area.bottom) * 72) / 96
  const fromTop = (pageNumber: number, top: number): number => (heights[pageNumber - 1] ?? 0) - top

  // A line pushed to the top of the next page (or column) may be written at the foot of
  // the page before: Chromium maps a point on a page or column boundary to the earlier
  // side. No line starts where less than its height is left, so such a point is the
  // next page's top.
  const land = (point: DestinationPoint, lineHeight: number): { page: number; offset: number } => {
    const offset = fromTop(point.page, point.top)
    return offset > textArea(point.page) - 0.8 * lineHeight && point.page < pageCount
      ? { page: point.page + 1, offset: 0 }
      : { page: point.page, offset }
  }
  const blocks: Array<Block & Landing> = []
  marked.forEach((block, index) => {
    const start = points.get(`${MARK}-${index}-s`)
    const end = points.get(`${MARK}-${index}-e`)
    if (!start || !end) return
    const lineHeight = (block.lineHeight * 72) / 96
    const first = land(start, lineHeight)
    const last = land(end, lineHeight)
    blocks.push({ ...block, index, startPage: first.page, start: first.offset, endPage: last.page, end: last.offset })
  })

  const diagnostics: PdfDiagnostic[] = []
  // sparse-page: where the text on each page ends (the last line's top plus one line).
  const bottoms = new Map<number, number>()
  for (const block of blocks) {
    const lineHeight = (block.lineHeight * 72) / 96
    const put = (pageNumber: number, offset: number) => bottoms.set(pageNumber, Math.max(bottoms.get(pageNumber) ?? 0, offset + lineHeight))
    put(block.startPage, block.start)
    put(block.endPage, block.end)
    // A block that runs on past its start page fills that page to the foot.
    for (let pageNumber = block.startPage; pageNumber < block.endPage; pageNumber++) put(pageNumber, textArea(pageNumber) - lineHeight)
  }
  const lastPage = Math.max(...bottoms.keys(), 0)
  for (const [pageNumber, bottom] of [...bottoms].sort((a, b) => a[0] - b[0])) {
    if (pageNumber >= lastPage || pageNumber >= pageCount) continue
    const height = textArea(pageNumber)
    if (height <= 0 || fraction === 0 || bottom >= fraction * height) continue
    const next = blocks.find((block) => block.startPage > pageNumber)
    // The next page opens with a section whose type demands a page of its own: the space is the design's.
    if (next?.forced && next.startPage === pageNumber + 1) continue
    const percent = Math.round((bottom / height) * 100)
    // Quoted: the first words a reader sees there (the section's title, not its number).
    const opening = blocks.find((block) => block.startPage === next?.startPage && !block.decorative) ?? next
    diagnostics.push(
      pdfDiagnostic(
        'sparse-page',
        `Unexpected sparse page ${pageNumber}: its text ends ${percent} % down the text area, expected it to reach ${Math.round(fraction * 100)} % (\`--preflight-sparse-page\`); page ${pageNumber + 1} starts here${quote(opening?.text ?? '')}`,
        { line: next?.line, column: next?.column, severity: 'warning', page: pageNumber }
      )
    )
  }

  // stranded-heading: a heading followed on its page by nothing, or by less than two lines.
  blocks.forEach((heading, position) => {
    if (!heading.heading || heading.endPage >= lastPage) return
    const next = blocks[position + 1]
    if (!next) return
    // A heading followed on its page by another heading: the last of them is the one to report.
    if (next.heading && next.startPage === heading.endPage) return
    const lineHeight = (next.lineHeight * 72) / 96
    const linesOnPage =
      next.startPage > heading.endPage
        ? 0
        : next.endPage > heading.endPage
          ? Math.floor((textArea(heading.endPage) - lineTop(next) + 0.5) / lineHeight)
          : Infinity
    if (linesOnPage >= 2) return
    diagnostics.push(
      pdfDiagnostic(
        'stranded-heading',
        `Unexpected heading${quote(heading.text)} at the foot of page ${heading.endPage} with ${linesOnPage === 0 ? 'nothing' : 'one line'} of what follows it, expected it on the next page with its text`,
        { line: heading.line, column: heading.column, severity: 'warning', page: heading.endPage }
      )
    )
  })
  return diagnostics
}
