import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser, CDPSession, Page, Protocol } from 'puppeteer-core'
import { disableWebrtc } from './disable-webrtc.js'
import { pdfDiagnostic, type PdfDiagnostic } from './pdf-diagnostic.js'
import type { RequestVerdict } from './request-policy.js'

/** What one render needs the page's listeners to know. */
export interface PrintJob {
  documentUrl: string
  html: string
  policy: (url: string) => RequestVerdict
  diagnostics: PdfDiagnostic[]
  /** URLs blocked by the policy (their `requestfailed` is not reported twice). */
  blocked: Set<string>
}

/** A page kept open across renders, with request interception and signal forwarding. */
export interface PrintPage {
  page: Page
  cdp: CDPSession
  /**
   * Load `html` as if it were a file in `baseDir`. The first load navigates to
   * a file:// URL in `baseDir` whose response is `html` (so relative URLs and
   * file:// fonts work); later loads with the same `baseDir` and policy `key`
   * replace the document's content in place, which reuses Chromium's memory
   * cache of fonts and images (about 5× faster). A different folder or policy
   * navigates again, so a cached file is never served past a new policy; so does `fresh`,
   * for files that changed on disk since the last load.
   */
  load: (
    job: Omit<PrintJob, 'documentUrl' | 'diagnostics' | 'blocked'> & { baseDir: string; key: string; fresh?: boolean },
    timeout: number
  ) => Promise<PrintJob>
  close: () => Promise<void>
}

let counter = 0

/** What to do with one request, by the current job's policy. */
type Answer = { fulfill: string } | { continue: true } | { fail: true }

function answer(job: PrintJob | undefined, url: string): Answer {
  if (job === undefined) return { fail: true }
  if (url === job.documentUrl) return { fulfill: job.html }
  const verdict = job.policy(url)
  if (verdict.allowed) return { continue: true }
  if (!job.blocked.has(url)) {
    job.blocked.add(url)
    job.diagnostics.push(
      pdfDiagnostic(
        'blocked-request',
        `Unexpected request for \`${shorten(url)}\`: ${verdict.reason}; expected a file inside the issue, templates, styles or font folders, or a \`data:\` URL`,
        { url }
      )
    )
  }
  return { fail: true }
}

/**
 * Answer every request the page makes, through the DevTools `Fetch` domain on our own
 * session: one message from Chromium and one back per request. (puppeteer's request
 * interception pairs each with its Network events and builds request objects first: for
 * the hundred-odd font files of a Chinese document that cost about 0.15 s of this
 * process's time and held every request up meanwhile.)
 */
function interceptRequests(cdp: CDPSession, current: () => PrintJob | undefined): void {
  cdp.on('Fetch.requestPaused', (event: Protocol.Fetch.RequestPausedEvent) => {
    const { requestId } = event
    const decided = answer(current(), event.request.url)
    const reply =
      'fulfill' in decided
        ? cdp.send('Fetch.fulfillRequest', {
            requestId,
            responseCode: 200,
            responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
            body: Buffer.from(decided.fulfill, 'utf8').toString('base64')
          })
        : 'continue' in decided
          ? cdp.send('Fetch.continueRequest', { requestId })
          : cdp.send('Fetch.failRequest', { requestId, errorReason: 'BlockedByClient' })
    // A request the page dropped meanwhile (a navigation) has nothing left to answer.
    reply.catch(() => undefined)
  })
}

function shorten(url: string): string {
  return url.length > 120 ? url.slice(0, 117) + '…' : url
}

/**
 * Open the page a browser session prints with. Listeners are attached once and
 * report into the current job.
 *
 * @param browser The puppeteer browser.
 */
export async function openPrintPage(browser: Browser): Promise<PrintPage> {
  // The tab Chromium opened at start (about:blank), else a new one.
  const page = (await browser.pages()).find((open) => open.url() === 'about:blank') ?? (await browser.newPage())
  let job: PrintJob | undefined
  let loadedKey: string | undefined
  await page.emulateMediaType('print')
  page.on('requestfailed', (request) => {
    const url = request.url()
    if (job === undefined || job.blocked.has(url) || url === job.documentUrl) return
    const text = request.failure()?.errorText ?? 'unknown error'
    job.diagnostics.push(pdfDiagnostic('request-failed', `Cannot load \`${shorten(url)}\`: \`${text}\``, { url }))
  })
  page.on('response', (response) => {
    const status = response.status()
    const url = response.url()
    if (job === undefined || status < 400 || url === job.documentUrl) return
    job.diagnostics.push(pdfDiagnostic('request-failed', `Cannot load \`${shorten(url)}\`: status ${status}`, { url }))
  })
  page.on('pageerror', (error) => {
    const text = error instanceof Error ? error.message : String(error)
    job?.diagnostics.push(pdfDiagnostic('page-error', `Unexpected script error in the print document: ${text}`))
  })
  page.on('console', (message) => {
    if (message.type() !== 'error' || job === undefined) return
    const text = message.text()
    // Failed loads are reported by `requestfailed`, with the URL.
    if (text.startsWith('Failed to load resource')) return
    job.diagnostics.push(pdfDiagnostic('console-error', `Unexpected console error: ${text}`, { severity: 'warning' }))
  })
  const cdp = await page.createCDPSession()
  await disableWebrtc(cdp, (attempt) => {
    const reason = `Unexpected \`${attempt.api}\` in a script of the print document, expected no WebRTC: it is switched off while printing (nothing may leave the machine)`
    const seen = job?.diagnostics.some(
      (found) => found.ruleId === 'webrtc-blocked' && found.reason === reason && found.line === attempt.line
    )
    if (!seen) job?.diagnostics.push(pdfDiagnostic('webrtc-blocked', reason, { line: attempt.line, column: attempt.column }))
  })
  interceptRequests(cdp, () => job)
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: '*', requestStage: 'Request' }] })
  await cdp.send('DOM.enable')
  await cdp.send('CSS.enable')

  return {
    page,
    cdp,
    async load(init, timeout) {
      const key = `${path.resolve(init.baseDir)}\n${init.key}`
      const reuse = job !== undefined && loadedKey === key && init.fresh !== true
      loadedKey = undefined
      if (reuse && job !== undefined) {
        job = { ...job, html: init.html, policy: init.policy, diagnostics: [], blocked: new Set() }
        await page.setContent(init.html, { waitUntil: 'load', timeout })
      } else {
        counter++
        const documentUrl = pathToFileURL(path.join(path.resolve(init.baseDir), `.masthead-print-${process.pid}-${counter}.html`)).href
        job = { documentUrl, html: init.html, policy: init.policy, diagnostics: [], blocked: new Set() }
        await page.goto(documentUrl, { waitUntil: 'load', timeout })
      }
      loadedKey = key
      return job
    },
    async close() {
      job = undefined
      await page.close().catch(() => undefined)
    }
  }
}
