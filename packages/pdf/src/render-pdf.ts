import path from 'node:path'
import type { PDFDocument } from 'pdf-lib'
import { addBleed, bleedMm } from './add-bleed.js'
import { pdfDiagnostic, type PdfDiagnostic } from './pdf-diagnostic.js'
import { placeRequests } from './place-requests.js'
import { preflight } from './preflight/preflight.js'
import type { PrintJob, PrintPage } from './open-print-page.js'
import { requestPolicy } from './request-policy.js'
import { setMetadata, type PdfMetadata } from './set-metadata.js'
import { installSourcePlace } from './install-source-place.js'
import { mendOutline } from './toc/mend-outline.js'
import { pdfOutline, type OutlineEntry } from './toc/pdf-outline.js'
import { printWithToc, type PrintedDocument } from './toc/print-with-toc.js'
import { printToPdf } from './print-to-pdf.js'
import { waitForAssets } from './wait-for-assets.js'

/** What to print. */
export interface RenderPdfInput {
  /** The print document. Relative URLs resolve against `baseDir`. */
  html: string
  /** The folder the document lives in (usually the folder). */
  baseDir: string
  /**
   * Folders the document may load files from (templates, styles, font
   * packages: see `fontRoots()`); `baseDir` is always allowed.
   */
  allowedRoots: readonly string[]
  metadata: PdfMetadata
  /** Add 3 mm bleed, TrimBox/BleedBox and crop marks (default: false). */
  bleed?: boolean
  /**
   * Also return the PDF as it was before bleed and crop marks were added, as
   * `pdfWithoutBleed` (for the archival file, whose crop marks would be DeviceCMYK
   * in an sRGB document). Default: false.
   */
  withoutBleed?: boolean
  /** Run the preflight checks (default: true). */
  preflight?: boolean
  /** Also the press checks: 300 dpi images, RGB images noted, hairlines (default: false). */
  press?: boolean
  /** Also the flow checks, `sparse-page` and `stranded-heading`: one more print (default: false). */
  flow?: boolean
  /** Milliseconds for this render; overrides the browser's `renderTimeout`. */
  timeout?: number
  /**
   * Load the document afresh (a navigation) even when the last render on this page had the
   * same `baseDir` and roots, whose content would otherwise be replaced in place over
   * Chromium's memory cache: pass it when a file the document links (an image, a stylesheet,
   * a font) may have changed on disk since, or the PDF shows the old one. Default: false.
   */
  fresh?: boolean
  /**
   * Table-of-contents pages from an earlier render of this document, filled in
   * before the first print: when nothing moved, one print is enough. The
   * browser session remembers the last result per `baseDir` and title by
   * itself; pass this to carry it across sessions.
   */
  tocHint?: Readonly<Record<string, number>>
  /**
   * Called once the document, its fonts and its images are loaded and the first print is
   * on its way to Chromium. Chromium asks for every file through the caller's event loop
   * while it loads, so CPU-heavy work of the caller's (the email edition, say) is best
   * started from here: it then runs beside the print instead of stalling the load. Called
   * at most once per render; what it throws is ignored.
   */
  onLoaded?: () => void
  /**
   * Called with the finished PDF as soon as it is saved, while the preflight may still be
   * asking Chromium about the page: a live preview shows the pages meanwhile, and the
   * preflight's findings follow in the result. `diagnostics` are those known by then (the
   * requests, the table of contents, bleed). Called at most once per render; what it
   * throws is ignored.
   */
  onSaved?: (pdf: Uint8Array, diagnostics: readonly PdfDiagnostic[]) => void
}

/** Milliseconds spent in each step. */
export interface RenderTimings {
  load: number
  /** Each `page.pdf` call (one per table-of-contents pass). */
  print: number[]
  /** Printing, reading back and filling the table of contents, all passes. */
  toc: number
  preflight: number
  /** Metadata, bleed and saving with pdf-lib. */
  finish: number
  total: number
}

/** A printed PDF and what was found on the way. */
export interface RenderPdfResult {
  pdf: Uint8Array
  /** With `bleed` and `withoutBleed`: the PDF before bleed was added. */
  pdfWithoutBleed?: Uint8Array
  pageCount: number
  diagnostics: PdfDiagnostic[]
  /** 1-based page of each table-of-contents target id. */
  tocPages: Record<string, number>
  /** The PDF's bookmarks, in order. */
  bookmarks: OutlineEntry[]
  timings: RenderTimings
}

/** Source line, then column, then URL; diagnostics without a line last. */
function bySourcePlace(a: PdfDiagnostic, b: PdfDiagnostic): number {
  return (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0) || (a.url ?? '').localeCompare(b.url ?? '')
}

/** Turn the pages into sheets with bleed; a warning for pages printed at paper size, which get blank bleed. */
function printBleed(doc: PDFDocument): PdfDiagnostic[] {
  const { ignored } = addBleed(doc)
  if (ignored.length === 0) return []
  return [
    pdfDiagnostic(
      'bleed-ignored',
      `Unexpected paper-size page${ignored.length > 1 ? 's' : ''} ${ignored.join(', ')} with bleed on, expected \`@page\` size and margins to add \`var(--bleed)\`: the bleed is blank paper`,
      { severity: 'warning', page: ignored[0] }
    )
  ]
}

const since = (start: number): number => Math.round((performance.now() - start) * 10) / 10

/** Run a caller's callback, ignoring what it throws. */
function ignoringThrows(call: () => void): void {
  try {
    call()
  } catch {
    // The caller's business.
  }
}

/** Load the document under the request policy, set up bleed, and wait for its fonts and images. */
async function loadDocument(
  target: PrintPage,
  input: RenderPdfInput,
  timeout: number,
  allowedOrigins: readonly string[],
  bleed: boolean
): Promise<PrintJob> {
  const { page } = target
  const roots = [path.resolve(input.baseDir), ...input.allowedRoots.map((root) => path.resolve(root))]
  const job = await target.load(
    {
      html: input.html,
      baseDir: input.baseDir,
      key: [...roots, ...allowedOrigins].join('\n'),
      fresh: input.fresh === true,
      policy: requestPolicy(roots, allowedOrigins)
    },
    timeout
  )
  await installSourcePlace(page)
  await page.evaluate(
    (value, bleed) => {
      document.documentElement.style.setProperty('--bleed', value)
      document.documentElement.classList.toggle('masthead-bleed', bleed)
    },
    bleed ? `${bleedMm}mm` : '0mm',
    bleed
  )
  await waitForAssets(page)
  return job
}

/** Print with the table-of-contents passes, calling `onLoaded` once the first print is on its way. */
async function printDocument(target: PrintPage, input: RenderPdfInput, timeout: number): Promise<PrintedDocument> {
  const { page, cdp } = target
  let loaded = input.onLoaded
  return printWithToc(
    page,
    () => {
      const printing = printToPdf(cdp, timeout)
      // The print is on its way: the caller's own work may start now.
      if (loaded) {
        const call = loaded
        loaded = undefined
        ignoringThrows(call)
      }
      return printing
    },
    input.tocHint
  )
}

/** The preflight's findings (none when it is off) and the milliseconds it took. */
interface PreflightRun {
  found: PdfDiagnostic[]
  ms: number
}

/** Start the preflight (when on), timed; its rejection is handled by whoever awaits it. */
function startPreflight(target: PrintPage, doc: PDFDocument, input: RenderPdfInput, timeout: number): Promise<PreflightRun> {
  const preflightStart = performance.now()
  const checking = (async () => {
    const found =
      input.preflight === false ? [] : await preflight(target.page, target.cdp, doc, timeout, input.press === true, input.flow === true)
    return { found, ms: since(preflightStart) }
  })()
  checking.catch(() => undefined)
  return checking
}

/**
 * Print one document on an open page: load, wait for fonts and images, print
 * with the table-of-contents passes, preflight, then metadata and bleed.
 *
 * @param target The browser session's page.
 * @param input What to print.
 * @param timeout Milliseconds for navigation and each `page.pdf`.
 * @param allowedOrigins `http(s)` origins the document may load from (the browser's).
 */
export async function renderPdf(
  target: PrintPage,
  input: RenderPdfInput,
  timeout: number,
  allowedOrigins: readonly string[] = []
): Promise<RenderPdfResult> {
  const start = performance.now()
  const { page } = target
  const bleed = input.bleed === true
  const job = await loadDocument(target, input, timeout, allowedOrigins, bleed)
  const load = since(start)

  const tocStart = performance.now()
  const printed = await printDocument(target, input, timeout)
  const toc = since(tocStart)
  const { doc } = printed
  // The headings as printed, for mending the bookmark titles Chromium writes twice over.
  const headings = await page.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map((heading) => heading.textContent ?? '')
  )
  // Preflight asks Chromium, the finish is pdf-lib's work in this process: side by side.
  const checking = startPreflight(target, doc, input, timeout)

  const finishStart = performance.now()
  mendOutline(doc, headings)
  const bookmarks = pdfOutline(doc)
  setMetadata(doc, input.metadata)
  const pdfWithoutBleed = bleed && input.withoutBleed === true ? await doc.save({ objectsPerTick: Number.POSITIVE_INFINITY }) : undefined
  const bleedDiagnostics = bleed ? printBleed(doc) : []
  const pdf = await doc.save({ objectsPerTick: Number.POSITIVE_INFINITY })
  const finish = since(finishStart)
  if (input.onSaved) {
    ignoringThrows(() => input.onSaved?.(pdf, [...job.diagnostics, ...printed.diagnostics, ...bleedDiagnostics]))
  }

  const { found, ms: preflightMs } = await checking
  // Read the request diagnostics last: a late request is reported too.
  const diagnostics: PdfDiagnostic[] = [...job.diagnostics, ...printed.diagnostics, ...found]
  await placeRequests(page, diagnostics)
  // Requests arrive in whatever order Chromium issues them: report them in source order.
  diagnostics.splice(0, job.diagnostics.length, ...[...job.diagnostics].sort(bySourcePlace))
  diagnostics.push(...bleedDiagnostics)
  return {
    pdf,
    ...(pdfWithoutBleed ? { pdfWithoutBleed } : {}),
    pageCount: doc.getPageCount(),
    diagnostics,
    tocPages: printed.tocPages,
    bookmarks,
    timings: {
      load,
      print: printed.printMs.map((ms) => Math.round(ms * 10) / 10),
      toc,
      preflight: preflightMs,
      finish,
      total: since(start)
    }
  }
}
