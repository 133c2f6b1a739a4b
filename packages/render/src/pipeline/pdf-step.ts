import type { Issue, VFile } from '@masthead/core'
import { addError, hasErrors, warn } from '@masthead/core'
import type { PdfMetadata, RenderPdfInput, RenderPdfResult } from '@masthead/pdf'
import { archival, pressReady } from '@masthead/pdf'
import type { BuilderOptions, BuilderResult } from '../builder-types.js'
import type { BrowserSlot } from '../print-with-retry.js'
import { printWithRetry } from '../print-with-retry.js'
import { addFindings } from '../to-messages.js'
import type { TocCache } from '../toc-cache.js'
import { editionFile, okBesides, since } from './build-result.js'

/** What printing needs besides the issue: the browser, the contents-page cache, the folders a document may load from. */
export interface PdfContext {
  slot: BrowserSlot
  tocPages: TocCache
  allowedRoots: readonly string[]
  options: BuilderOptions
}

/** One print of an issue. */
export interface PdfJob {
  /** The print HTML as rendered. */
  html: string
  issue: Issue
  /** The issue's VFile: the PDF's findings go on a copy of it. */
  source: VFile
  result: BuilderResult
  /** Load the document afresh: linked files may have changed on disk. */
  fresh: boolean
  /** Called once the document has loaded (see `onLoaded` of `@masthead/pdf`). */
  onLoaded?: (() => void) | undefined
  onPdf?: ((pdf: Uint8Array) => void) | undefined
  checkOnly: boolean
  flow: boolean
}

type Timing = 'pdf-press' | 'pdf-archival'

/** The PDF's document information, from the issue's frontmatter. */
export function pdfMetadata(issue: Issue): PdfMetadata {
  return {
    title: issue.meta.issue === undefined ? issue.meta.title : `${issue.meta.title} ${issue.meta.issue}`,
    author: issue.meta.publisher,
    subject: issue.meta.subject ?? issue.sections.map((section) => section.title).join(' · '),
    keywords: issue.meta.keywords,
    lang: issue.meta.lang
  }
}

/**
 * Print the PDF (`print.pdf`), on a fresh browser once more when the first one fails, and
 * from it the press and archival files when asked. The findings go on the print edition's
 * copy of the source; a print that cannot be made is a `pdf-failed` error there.
 */
export async function pdfStep(context: PdfContext, job: PdfJob): Promise<void> {
  const { options, tocPages } = context
  const { issue, result } = job
  const start = performance.now()
  const file = editionFile(result, 'print', job.source)
  const metadata = pdfMetadata(issue)
  const tocKey = JSON.stringify([metadata.title, options.print?.paper ?? issue.meta.editions.print.size])
  const tocHint = await tocPages.read(issue.dir, tocKey)
  const wantPress = options.print?.pressReady ?? issue.meta.editions.print.pressReady ?? false
  const wantArchival = !job.checkOnly && (options.print?.archival ?? issue.meta.editions.print.archival ?? false)
  let pdf: RenderPdfResult
  try {
    const outcome = await printWithRetry(context.slot, printInput(context, job, metadata, { wantPress, wantArchival, tocHint }))
    if (outcome.retried) {
      warn(file, `Unexpected failure printing \`${metadata.title}\` (${outcome.retried.message}), printed on a fresh browser instead`, {
        ruleId: 'pdf-retried',
        source: 'masthead:pdf'
      })
    }
    pdf = outcome.result
  } catch (error) {
    if (error instanceof TypeError) throw error
    addError(file, (error as Error).message, { ruleId: 'pdf-failed', source: 'masthead:pdf', cause: error as Error })
    return
  }
  addFindings(file, pdf.diagnostics)
  result.outputs.set('print.pdf', pdf.pdf)
  recordTimings(result, pdf, start)
  if (Object.keys(pdf.tocPages).length > 0 && JSON.stringify(pdf.tocPages) !== JSON.stringify(tocHint))
    await tocPages.write(issue.dir, tocKey, pdf.tocPages)
  if (hasErrors([file])) return
  // The press and archival files are made from the finished print, side by side.
  await Promise.all([
    wantPress &&
      !job.checkOnly &&
      makeFile(
        file,
        result,
        'pdf-press',
        'print-press.pdf',
        'press-ready-failed',
        async () =>
          (await pressReady(pdf.pdf, metadata, { overprintBlack: options.print?.overprint === true, env: options.env ?? process.env })).pdf
      ),
    wantArchival &&
      makeFile(file, result, 'pdf-archival', 'print-archival.pdf', 'archival-failed', () =>
        archival(pdf.pdfWithoutBleed ?? pdf.pdf, metadata, { bleed: pdf.pdfWithoutBleed !== undefined })
      )
  ])
}

/** What `@masthead/pdf` is asked to print. */
function printInput(
  context: PdfContext,
  job: PdfJob,
  metadata: PdfMetadata,
  wants: { wantPress: boolean; wantArchival: boolean; tocHint: Record<string, number> | undefined }
): RenderPdfInput {
  const { issue, result, onLoaded, onPdf } = job
  return {
    html: job.html,
    baseDir: issue.dir,
    allowedRoots: context.allowedRoots,
    metadata,
    bleed: context.options.print?.bleed ?? issue.meta.editions.print.bleed,
    withoutBleed: wants.wantArchival,
    press: wants.wantPress,
    flow: job.flow,
    ...(job.fresh ? { fresh: true } : {}),
    ...(onLoaded ? { onLoaded } : {}),
    ...(onPdf
      ? {
          onSaved: (pdf, diagnostics) => {
            if (okBesides(result, 'email') && !diagnostics.some((d) => d.severity === 'error')) onPdf(pdf)
          }
        }
      : {}),
    ...(wants.tocHint ? { tocHint: wants.tocHint } : {})
  }
}

function recordTimings(result: BuilderResult, pdf: RenderPdfResult, start: number): void {
  result.timings.pdf = since(start)
  result.timings.prints = pdf.timings.print.length
  result.timings['pdf-load'] = Math.round(pdf.timings.load)
  result.timings['pdf-print'] = Math.round(pdf.timings.toc)
  result.timings['pdf-preflight'] = Math.round(pdf.timings.preflight)
  result.timings['pdf-finish'] = Math.round(pdf.timings.finish)
}

/** Make one more file from the print (press, archival); a failure is `ruleId` on the print's file. */
async function makeFile(
  file: VFile,
  result: BuilderResult,
  timing: Timing,
  name: string,
  ruleId: string,
  make: () => Promise<Uint8Array>
): Promise<void> {
  const start = performance.now()
  try {
    result.outputs.set(name, await make())
  } catch (error) {
    addError(file, `Cannot make \`${name}\`: ${(error as Error).message}`, { ruleId, source: 'masthead:pdf', cause: error as Error })
  }
  result.timings[timing] = since(start)
}
