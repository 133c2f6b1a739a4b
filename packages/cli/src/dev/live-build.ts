import path from 'node:path'
import type { VFile } from '@masthead/core'
import type { Builder, BuilderResult, EmailViews } from '@masthead/render'

/** An image of the email edition (a CID attachment in the .eml). */
export type EmailAsset = BuilderResult['emailAssets'][number]
import type { Problem } from './to-problems.js'
import { thrownProblem, toProblems } from './to-problems.js'
import { isPageAsset } from './serve-file.js'

/** What a change needs redone: the issue only, or templates and styles first. */
export type ChangeKind = 'issue' | 'reload'

/** The files the preview serves, by name. */
export const VIEW_NAMES = ['print.html', 'print.pdf', 'email.html', 'email.txt', 'email.eml', 'index.html'] as const
export type ViewName = (typeof VIEW_NAMES)[number]

/** What the preview page is told on every change (as JSON over server-sent events). */
export interface PreviewState {
  slug: string
  /** The issue's title and number, once parsed. */
  title: string
  /** Counts rebuilds: a view whose round went up has new content. */
  round: number
  /** For each view, the round of the content served now (0: none yet). */
  views: Record<ViewName, number>
  /** Work under way. */
  busy: { html: boolean; pdf: boolean }
  /** Milliseconds from the change to each part being ready, for the last round. */
  timings: { html: number | null; email: number | null; pdf: number | null }
  /** Problems of the last round: errors (the overlay), then warnings and hints. */
  problems: Problem[]
  errors: number
  /** Paths (relative to the project) of the last change. */
  changed: string[]
}

/** A file the preview serves and the round it was built in. */
export interface Output {
  body: string | Uint8Array
  round: number
}

/** Options for {@link createLiveBuild}. */
export interface LiveBuildOptions {
  builder: Builder
  /** The issue (its folder name under `issues/`, or an absolute path). */
  slug: string
  /** The project root: problems name files relative to it. */
  root: string
  /** The issue's source, relative to the root (for errors that name no file). */
  source: string
  /** Called at each step of a round, for timing traces (`MASTHEAD_TRACE=1`). */
  trace?: (step: string) => void
}

/** An image the preview serves. */
export interface ServedAsset {
  contentType: string
  content: Uint8Array
}

/** What the preview server reads: the state, the outputs and the email's images. */
export interface LiveView {
  readonly state: PreviewState
  /** The last good output of each view. */
  readonly outputs: ReadonlyMap<ViewName, Output>
  /** The email's images, by Content-ID (and file name). */
  readonly assets: ReadonlyMap<string, ServedAsset>
  /** The web edition's images, by file name (served under `/web/images/`); absent in views that have none. */
  readonly webImages?: ReadonlyMap<string, Uint8Array>
  /** Call `listener` on every state change; returns the unsubscribe function. */
  subscribe(listener: (state: PreviewState) => void): () => void
}

/** Rebuilds one issue on every change, fast parts first, and keeps the last good outputs. */
export interface LiveBuild extends LiveView {
  readonly assets: ReadonlyMap<string, EmailAsset>
  readonly webImages: ReadonlyMap<string, Uint8Array>
  /**
   * Schedule a rebuild. Changes that arrive while one runs are merged into the next.
   *
   * @param at `performance.now()` when the change was seen: timings count from it.
   */
  change(kind: ChangeKind, paths: readonly string[], at?: number): void
  /** Resolves when nothing is running or queued (the PDF included). */
  idle(): Promise<void>
  /** Stop taking changes and wait for the work under way. */
  close(): Promise<void>
}

interface Round {
  id: number
  kind: ChangeKind
  paths: string[]
  at: number
}

/** The files of each part of the current round, for its problems; thrown errors as problems. */
interface RoundFiles {
  html: VFile[]
  email: VFile[]
  pdf: VFile[]
  thrown: Problem[]
}

/** The rebuild loop's state. */
interface Live {
  options: LiveBuildOptions
  state: PreviewState
  listeners: Set<(state: PreviewState) => void>
  outputs: Map<ViewName, Output>
  assets: Map<string, EmailAsset>
  webImages: Map<string, Uint8Array>
  /** The next round, merging the changes that arrive while one runs. */
  queued: Round | undefined
  htmlLoop: Promise<void> | undefined
  /** The PDF to print next: of the newest round whose HTML is out. */
  pdfWanted: { round: Round; from: BuilderResult; fresh: boolean } | undefined
  pdfLoop: Promise<void> | undefined
  closed: boolean
  counter: number
  roundFiles: RoundFiles
  trace: (step: string) => void
}

const noFiles = (): RoundFiles => ({ html: [], email: [], pdf: [], thrown: [] })

/**
 * Create the rebuild loop of `masthead dev`. Each round builds the print HTML (and tells
 * the page), then the email edition (and tells the page), then queues the PDF on the
 * warm browser; a newer round supersedes a queued PDF. A round whose sources have errors
 * keeps the last good outputs and reports the problems; a thrown error becomes a problem.
 */
export function createLiveBuild(options: LiveBuildOptions): LiveBuild {
  const live: Live = {
    options,
    state: {
      slug: path.basename(options.slug),
      title: path.basename(options.slug),
      round: 0,
      views: { 'print.html': 0, 'print.pdf': 0, 'email.html': 0, 'email.txt': 0, 'email.eml': 0, 'index.html': 0 },
      busy: { html: false, pdf: false },
      timings: { html: null, email: null, pdf: null },
      problems: [],
      errors: 0,
      changed: []
    },
    listeners: new Set(),
    outputs: new Map(),
    assets: new Map(),
    webImages: new Map(),
    queued: undefined,
    htmlLoop: undefined,
    pdfWanted: undefined,
    pdfLoop: undefined,
    closed: false,
    counter: 0,
    roundFiles: noFiles(),
    trace: options.trace ?? (() => {})
  }
  return {
    state: live.state,
    outputs: live.outputs,
    assets: live.assets,
    webImages: live.webImages,
    change: (kind, paths, at = performance.now()) => change(live, kind, paths, at),
    subscribe(listener) {
      live.listeners.add(listener)
      return () => live.listeners.delete(listener)
    },
    async idle() {
      while (live.htmlLoop || live.pdfLoop) await Promise.all([live.htmlLoop, live.pdfLoop])
    },
    async close() {
      live.closed = true
      live.listeners.clear()
      await Promise.all([live.htmlLoop, live.pdfLoop])
    }
  }
}

/** Schedule a rebuild; a change that arrives while one runs is merged into the next. */
function change(live: Live, kind: ChangeKind, paths: readonly string[], at: number): void {
  if (live.closed) return
  if (live.queued) {
    live.queued.kind = live.queued.kind === 'reload' || kind === 'reload' ? 'reload' : 'issue'
    live.queued.paths = [...new Set([...live.queued.paths, ...paths])]
  } else {
    live.queued = { id: ++live.counter, kind, paths: [...paths], at }
  }
  live.htmlLoop ??= runHtml(live).finally(() => {
    live.htmlLoop = undefined
  })
}

/** Tell the listeners the state. */
function tell(live: Live): void {
  for (const listener of live.listeners) listener(live.state)
}

/**
 * Tell the listeners, then let the event loop run: a response's writes are flushed on the
 * next tick, which would otherwise wait for the next build step's synchronous work.
 */
async function emit(live: Live): Promise<void> {
  live.trace(`emit round ${live.state.round}`)
  tell(live)
  await new Promise((resolve) => setImmediate(resolve))
}

async function publishProblems(live: Live): Promise<void> {
  const { roundFiles, state } = live
  const problems = [
    ...roundFiles.thrown,
    ...(await toProblems([...roundFiles.html, ...roundFiles.email, ...roundFiles.pdf], live.options.root))
  ]
  state.problems = problems.sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'))
  state.errors = problems.filter((problem) => problem.severity === 'error').length
}

/** Serve the outputs `names` of `result` as the round's. */
function keep(live: Live, result: BuilderResult, names: readonly ViewName[], round: Round): void {
  for (const name of names) {
    const body = result.outputs.get(name)
    if (body === undefined) continue
    live.outputs.set(name, { body, round: round.id })
    live.state.views[name] = round.id
  }
}

/** Run `work`; what it throws becomes a problem of the round (while it is the current one). */
async function attempt<T>(live: Live, round: Round, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work()
  } catch (error) {
    if (round.id === live.state.round) live.roundFiles.thrown.push(thrownProblem(error, live.options.source))
    return undefined
  }
}

async function runHtml(live: Live): Promise<void> {
  while (live.queued && !live.closed) {
    const round = live.queued
    live.queued = undefined
    await runRound(live, round)
  }
}

/** One round: the print HTML, then the email's views, the web edition, and the PDF queued. */
async function runRound(live: Live, round: Round): Promise<void> {
  const { state } = live
  state.round = round.id
  state.changed = round.paths
  state.busy.html = true
  live.roundFiles = noFiles()
  await emit(live)
  const print = await buildPrintHtml(live, round)
  const pdf = pdfQueue(live, round, print)
  if (print?.issue !== undefined) {
    await buildEmail(live, round, print, pdf)
    // The web edition (no cover: that needs the PDF) once the email is out.
    await buildWeb(live, round, print)
  }
  state.busy.html = false
  pdf()
  await publishProblems(live)
  await emit(live)
}

/** Reload the templates when the round asks for it, then build the print HTML and tell the page. */
async function buildPrintHtml(live: Live, round: Round): Promise<BuilderResult | undefined> {
  const { builder, slug } = live.options
  const reloaded = round.kind === 'reload' ? await attempt(live, round, () => builder.reload()) : undefined
  live.trace(`round ${round.id} start (${Math.round(performance.now() - round.at)} ms after the event)`)
  const print = await attempt(live, round, () => builder.build(slug, { editions: ['print-html'] }))
  live.trace(`print-html built (parse ${print?.timings.parse} ms, render ${print?.timings['print-html']} ms)`)
  if (print?.issue) live.state.title = [print.issue.meta.title, print.issue.meta.issue].filter(Boolean).join(' · ')
  live.roundFiles.html = print?.files ?? reloaded ?? []
  if (print) keep(live, print, ['print.html'], round)
  live.state.timings = { html: print?.outputs.has('print.html') ? Math.round(performance.now() - round.at) : null, email: null, pdf: null }
  await publishProblems(live)
  await emit(live)
  return print
}

/**
 * Queue the round's PDF, once: after the email's views, which are what an editor watches
 * first (and on two cores a print under way slows the email build down). Only the .eml
 * is left to compose then, beside the PDF's load.
 */
function pdfQueue(live: Live, round: Round, print: BuilderResult | undefined): () => void {
  const sourcePath = path.resolve(live.options.root, live.options.source)
  let queued = false
  return () => {
    if (queued || !print?.outputs.has('print.html')) return
    queued = true
    // An image, stylesheet or font changed: the warm page must not print its cached copy.
    // (Other files, such as an editor's temporary copy of the source, are not in its cache.)
    const fresh = round.paths.some((file) => path.resolve(live.options.root, file) !== sourcePath && isPageAsset(file))
    live.pdfWanted = { round, from: print, fresh: fresh || live.pdfWanted?.fresh === true }
    live.state.busy.pdf = true
    live.pdfLoop ??= runPdfs(live).finally(() => {
      live.pdfLoop = undefined
    })
  }
}

/** Serve the email's HTML, text and images as the round's. */
function showEmail(live: Live, round: Round, views: EmailViews): void {
  const { outputs, state, assets } = live
  outputs.set('email.html', { body: views.html, round: round.id })
  outputs.set('email.txt', { body: views.text, round: round.id })
  state.views['email.html'] = round.id
  state.views['email.txt'] = round.id
  assets.clear()
  for (const asset of views.assets) {
    if (asset.cid) assets.set(asset.cid, asset)
    assets.set(asset.filename, asset)
  }
  state.timings.email = Math.round(performance.now() - round.at)
}

/** The email edition from the round's parsed issue: the page gets its views as soon as they are final, the .eml follows. */
async function buildEmail(live: Live, round: Round, print: BuilderResult, queuePdf: () => void): Promise<void> {
  const onEmailViews = (views: EmailViews) => {
    showEmail(live, round, views)
    live.trace('email views out')
    tell(live)
    queuePdf()
  }
  const email = await attempt(live, round, () =>
    live.options.builder.build(live.options.slug, { editions: ['email'], from: print, onEmailViews })
  )
  live.trace(`email built (${email?.timings.email} ms)`)
  if (!email) return
  live.roundFiles.email = email.files
  keep(live, email, ['email.eml'], round)
  const [html, text] = [email.outputs.get('email.html'), email.outputs.get('email.txt')]
  if (typeof html === 'string' && typeof text === 'string' && live.state.views['email.html'] !== round.id)
    showEmail(live, round, { html, text, assets: email.emailAssets })
}

/** The web edition from the round's parsed issue, and its images. */
async function buildWeb(live: Live, round: Round, print: BuilderResult): Promise<void> {
  const web = await attempt(live, round, () => live.options.builder.build(live.options.slug, { editions: ['web'], from: print }))
  live.trace(`web built (${web?.timings.web} ms)`)
  if (!web) return
  // The first file is the issue's, whose messages the print HTML's round already has.
  live.roundFiles.email = [...live.roundFiles.email, ...web.files.slice(1)]
  keep(live, web, ['index.html'], round)
  if (web.outputs.has('index.html')) {
    live.webImages.clear()
    for (const [name, body] of web.outputs)
      if (name.startsWith('images/')) live.webImages.set(name.slice('images/'.length), body as Uint8Array)
  }
}

/** Print the wanted PDFs, newest round first; one whose round was superseded meanwhile is dropped. */
async function runPdfs(live: Live): Promise<void> {
  const { state } = live
  while (live.pdfWanted && !live.closed) {
    const { round, from, fresh } = live.pdfWanted
    live.pdfWanted = undefined
    const stale = () => live.pdfWanted !== undefined || round.id !== state.round
    // The page gets the pages as soon as they are saved; the preflight's findings follow.
    const onPdf = (body: Uint8Array) => {
      if (stale() || live.closed) return
      live.outputs.set('print.pdf', { body, round: round.id })
      state.views['print.pdf'] = round.id
      state.timings.pdf = Math.round(performance.now() - round.at)
      state.busy.pdf = false
      live.trace('pdf out')
      tell(live)
    }
    const pdf = await attempt(live, round, () =>
      live.options.builder.build(live.options.slug, { editions: ['print'], from, fresh, onPdf, flow: true })
    )
    live.trace(`pdf built (${pdf?.timings.pdf} ms)`)
    // A newer round's HTML is out: its own PDF follows, this one is already stale.
    if (stale()) continue
    if (pdf) {
      live.roundFiles.pdf = pdf.files
      const body = pdf.outputs.get('print.pdf')
      if (body !== undefined && state.views['print.pdf'] !== round.id) onPdf(body as Uint8Array)
    }
    state.busy.pdf = false
    await publishProblems(live)
    await emit(live)
  }
  state.busy.pdf = false
  await emit(live)
}
