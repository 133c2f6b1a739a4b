import { PDFDocument, ParseSpeeds } from 'pdf-lib'
import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import { locateTargets, type LocatedTargets } from './locate-targets.js'
import { fillToc, printedToc, readToc, type TocTarget } from './read-toc.js'

/** The last print of a document, parsed, with its table of contents settled. */
export interface PrintedDocument {
  doc: PDFDocument
  tocPages: Record<string, number>
  /** How many times the document was printed (1 without a TOC, 2 or 3 with). */
  passes: number
  diagnostics: PdfDiagnostic[]
  /** Milliseconds spent in `page.pdf` per pass. */
  printMs: number[]
}

function same(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].every((key) => a[key] === b[key])
}

function verify(targets: readonly TocTarget[], located: LocatedTargets, printed: Record<string, string>): PdfDiagnostic[] {
  const diagnostics: PdfDiagnostic[] = []
  for (const target of targets) {
    const place = { line: target.line, column: target.column }
    if (!target.exists) {
      diagnostics.push(pdfDiagnostic('toc-target-missing', `Unexpected table-of-contents entry for \`#${target.id}\`, expected an element with that id`, place))
      continue
    }
    const page = located.pages[target.id]
    if (page === undefined) {
      diagnostics.push(
        pdfDiagnostic('toc-page-unknown', `Cannot find the page of \`#${target.id}\` in the PDF (no named destination or bookmark), so its table-of-contents entry is empty`, { ...place, severity: 'warning' })
      )
      continue
    }
    const shown = printed[target.id] ?? ''
    if (shown !== String(page)) {
      diagnostics.push(
        pdfDiagnostic('toc-page-mismatch', `Unexpected page \`${shown}\` in the table of contents for \`#${target.id}\`, expected \`${page}\`: the numbers kept moving the text`, { ...place, page })
      )
    }
  }
  return diagnostics
}

/**
 * Print the page, and when it has a table of contents (`.toc-page` spans with
 * `data-toc-target`), fill in where each target landed and print again; if a
 * number moved, fill and print once more, then verify against that last print.
 *
 * @param page The loaded page.
 * @param print Prints the page as it is now.
 */
export async function printWithToc(page: Page, print: () => Promise<Uint8Array>): Promise<PrintedDocument> {
  const printMs: number[] = []
  const printAndParse = async (): Promise<PDFDocument> => {
    const start = performance.now()
    const bytes = await print()
    printMs.push(performance.now() - start)
    return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })
  }
  const targets = await readToc(page)
  let doc = await printAndParse()
  const live = targets.filter((target) => target.exists)
  if (live.length === 0) {
    return { doc, tocPages: {}, passes: 1, diagnostics: verify(targets, { pages: {}, viaOutline: [], unknown: [] }, {}), printMs }
  }
  let located = locateTargets(doc, live)
  for (let pass = 2; pass <= 3; pass++) {
    await fillToc(page, located.pages)
    doc = await printAndParse()
    const next = locateTargets(doc, live)
    const settled = same(next.pages, located.pages)
    located = next
    if (settled) break
  }
  const diagnostics = verify(targets, located, await printedToc(page))
  return { doc, tocPages: located.pages, passes: printMs.length, diagnostics, printMs }
}
