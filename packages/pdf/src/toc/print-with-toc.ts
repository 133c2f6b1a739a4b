import { PDFDocument, ParseSpeeds } from 'pdf-lib'
import type { Page } from 'puppeteer-core'
import type { PdfDiagnostic } from '../pdf-diagnostic.js'
import { locateTargets } from './locate-targets.js'
import { fillToc } from './fill-toc.js'
import { printedToc } from './printed-toc.js'
import { readToc } from './read-toc.js'
import { verifyToc } from './verify-toc.js'

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

/**
 * Print the page, and when it has a table of contents (`.toc-page` spans with
 * `data-toc-target`), fill in where each target landed and print again, until
 * the numbers printed are the pages the targets are on (at most three prints),
 * then verify against the last print. With a `hint` (the pages of an earlier
 * render of the same document) the spans are filled before the first print,
 * and when nothing moved one print is enough.
 *
 * @param page The loaded page.
 * @param print Prints the page as it is now.
 * @param hint Pages by target id from an earlier render, if any.
 */
export async function printWithToc(
  page: Page,
  print: () => Promise<Uint8Array>,
  hint?: Readonly<Record<string, number>>
): Promise<PrintedDocument> {
  const printMs: number[] = []
  const printAndParse = async (): Promise<PDFDocument> => {
    const start = performance.now()
    const bytes = await print()
    printMs.push(performance.now() - start)
    return PDFDocument.load(bytes, { updateMetadata: false, parseSpeed: ParseSpeeds.Fastest })
  }
  const targets = await readToc(page)
  const live = targets.filter((target) => target.exists)
  let filled: Record<string, number> | undefined
  if (hint !== undefined && live.length > 0) {
    const guess: Record<string, number> = {}
    for (const target of live) {
      const number = hint[target.id]
      if (number !== undefined) guess[target.id] = number
    }
    filled = guess
    await fillToc(page, guess)
  }
  let doc = await printAndParse()
  if (live.length === 0) {
    return { doc, tocPages: {}, passes: 1, diagnostics: verifyToc(targets, { pages: {}, viaOutline: [], unknown: [] }, {}), printMs }
  }
  let located = locateTargets(doc, live)
  while (printMs.length < 3 && !(filled !== undefined && same(located.pages, filled))) {
    filled = located.pages
    await fillToc(page, filled)
    doc = await printAndParse()
    located = locateTargets(doc, live)
  }
  const diagnostics = verifyToc(targets, located, await printedToc(page))
  return { doc, tocPages: located.pages, passes: printMs.length, diagnostics, printMs }
}
