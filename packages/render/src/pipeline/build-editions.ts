import type { Issue, VFile } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import type { Layout } from '@masthead/layout'
import type { BuilderEdition, BuilderResult, BuildRequest } from '../builder-types.js'
import type { Project } from '../open-project.js'
import { linkToWebEdition, webEditionUrl } from '../site-links.js'
import { dropFailedEditions } from './build-result.js'
import { emailStep } from './email-step.js'
import type { LoadedLayout } from './load-layout.js'
import type { PdfContext } from './pdf-step.js'
import { pdfStep } from './pdf-step.js'
import { printHtmlStep } from './print-html-step.js'
import { webStep } from './web-step.js'

/** Everything the editions are built with: the project, its layout, the printer. */
export interface PipelineContext extends PdfContext {
  project: Project
  loaded: LoadedLayout
}

/** One issue's editions to build, after parsing. */
export interface EditionsJob {
  issue: Issue
  /** The issue's VFile. */
  source: VFile
  /** Where the outputs, files and timings go. */
  result: BuilderResult
  editions: ReadonlySet<BuilderEdition>
  /** The hooks (`onEmailViews`, `onPdf`) and the checks (`checkOnly`, `flow`) asked for. */
  request: BuildRequest
  /** Print the document afresh: linked files may have changed on disk. */
  fresh: boolean
  /** The print HTML of an earlier render of this issue, reused instead of rendering again. */
  printHtml?: string | undefined
}

/** The email and web builds, each started once: from the print's `onLoaded`, or after the print. */
interface Later {
  email(): Promise<void>
  web(): void
  /** Resolves when the web build (if started) is done. */
  webDone(): Promise<void>
  /** The PDF being made, for the web edition's cover. */
  printed?: Promise<void>
}

/**
 * Build an issue's editions: the model, the print HTML and PDF, the email and the web
 * edition. The email and the web page are made while Chromium prints, once the print
 * document has loaded (main-thread work before would stall the answers to its requests).
 * Editions are independent: one that failed loses its own outputs, the others stay.
 *
 * @returns The print HTML as rendered (for a later staged build), when it was.
 */
export async function buildEditions(context: PipelineContext, job: EditionsJob): Promise<{ printHtml?: string }> {
  const { editions, issue, result } = job
  const layout = context.loaded.layout!
  /** What every edition shares: the source, the layout, the manifests. */
  const common = [...result.files]
  if (editions.has('model')) result.outputs.set('issue.json', JSON.stringify(issue, null, 2) + '\n')
  const later = startLater(context, job, layout, common)
  let printHtml: string | undefined
  if (editions.has('print') || editions.has('print-html')) {
    printHtml = printHtmlStep(layout, issue, context.options.print, result, job.printHtml)
    if (printHtml !== undefined && editions.has('print')) {
      const onLoaded =
        editions.has('email') || editions.has('web')
          ? () => {
              void later.email()
              later.web()
            }
          : undefined
      later.printed = pdfStep(context, {
        html: printHtml,
        issue,
        source: job.source,
        result,
        fresh: job.fresh,
        onLoaded,
        onPdf: job.request.onPdf,
        checkOnly: job.request.checkOnly === true,
        flow: job.request.flow === true || job.request.checkOnly === true
      })
      await later.printed
    }
  }
  if (editions.has('email')) await later.email()
  later.web()
  await later.webDone()
  dropFailedEditions(result, common)
  return printHtml === undefined ? {} : { printHtml }
}

function startLater(context: PipelineContext, job: EditionsJob, layout: Layout, common: readonly VFile[]): Later {
  const { project, options } = context
  const { editions, issue, result } = job
  let email: Promise<void> | undefined
  let web: Promise<void> | undefined
  const later: Later = {
    email() {
      if (!editions.has('email')) return Promise.resolve()
      if (email === undefined) {
        email = emailStep(
          project,
          options,
          context.loaded,
          linkToWebEdition(issue, webEditionUrl(issue, options.site?.url)),
          result,
          job.request.onEmailViews
        )
        // Awaited later; until then a failure must not count as unhandled.
        email.catch(() => undefined)
      }
      return email
    },
    web() {
      if (web !== undefined || !editions.has('web') || hasErrors(common)) return
      web = webStep(project, options, layout, issue, job.source, result, later.printed)
      web.catch(() => undefined)
    },
    webDone: async () => {
      if (web) await web
    }
  }
  return later
}
