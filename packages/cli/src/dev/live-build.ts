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

/**
 * Create the rebuild loop of `masthead dev`. Each round builds the print HTML (and tells
 * the page), then the email edition (and tells the page), then queues the PDF on the
 * warm browser; a newer round supersedes a queued PDF. A round whose sources have errors
 * keeps the last good outputs and reports the problems; a thrown error becomes a problem.
 */
export function createLiveBuild(options: LiveBuildOptions): LiveBuild {
  const { builder, slug, root } = options
  const listeners = new Set<(state: PreviewState) => void>()
  const outputs = new Map<ViewName, Output>()
  const assets = new Map<string, EmailAsset>()
  const webImages = new Map<string, Uint8Array>()
  const state: PreviewState = {
    slug: path.basename(slug),
    title: path.basename(slug),
    round: 0,
    views: { 'print.html': 0, 'print.pdf': 0, 'email.html': 0, 'email.txt': 0, 'email.eml': 0, 'index.html': 0 },
    busy: { html: false, pdf: false },
    timings: { html: null, email: null, pdf: null },
    problems: [],
    errors: 0,
    changed: []
  }
  let queued: Round | undefined
  let htmlLoop: Promise<void> | undefined
  let pdfWanted: { round: Round; from: BuilderResult; fresh: boolean } | undefined
  const sourcePath = path.resolve(root, options.source)
  let pdfLoop: Promise<void> | undefined
  let closed = false
  let counter = 0
  /** The files of each part of the current round, for its problems. */
  let roundFiles: { html: VFile[]; email: VFile[]; pdf: VFile[]; thrown: Problem[] } = { html: [], email: [], pdf: [], thrown: [] }

  const trace = options.trace ?? (() => {})
  /**
   * Tell the listeners, then let the event loop run: a response's writes are flushed on the
   * next tick, which would otherwise wait for the next build step's synchronous work.
   */
  const tell = () => {
    for (const listener of listeners) listener(state)
  }
  const emit = async () => {
    trace(`emit round ${state.round}`)
    tell()
    await new Promise((resolve) => setImmediate(resolve))
  }

  const publishProblems = async () => {
    const problems = [...roundFiles.thrown, ...(await toProblems([...roundFiles.html, ...roundFiles.email, ...roundFiles.pdf], root))]
    state.problems = problems.sort((a, b) => Number(b.severity === 'error') - Number(a.severity === 'error'))
    state.errors = problems.filter((problem) => problem.severity === 'error').length
  }

  const keep = (result: BuilderResult, names: readonly ViewName[], round: Round) => {
    for (const name of names) {
      const body = result.outputs.get(name)
      if (body === undefined) continue
      outputs.set(name, { body, round: round.id })
      state.views[name] = round.id
    }
  }

  const attempt = async <T>(round: Round, work: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await work()
    } catch (error) {
      if (round.id === state.round) roundFiles.thrown.push(thrownProblem(error, options.source))
      return undefined
    }
  }

  const runRound = async (round: Round) => {
    state.round = round.id
    state.changed = round.paths
    state.busy.html = true
    roundFiles = { html: [], email: [], pdf: [], thrown: [] }
    await emit()
    const reloaded = round.kind === 'reload' ? await attempt(round, () => builder.reload()) : undefined
    trace(`round ${round.id} start (${Math.round(performance.now() - round.at)} ms after the event)`)
    const print = await attempt(round, () => builder.build(slug, { editions: ['print-html'] }))
    trace(`print-html built (parse ${print?.timings.parse} ms, render ${print?.timings['print-html']} ms)`)
    if (print?.issue) state.title = [print.issue.meta.title, print.issue.meta.issue].filter(Boolean).join(' · ')
    roundFiles.html = print?.files ?? reloaded ?? []
    if (print) keep(print, ['print.html'], round)
    state.timings = { html: print?.outputs.has('print.html') ? Math.round(performance.now() - round.at) : null, email: null, pdf: null }
    await publishProblems()
    await emit()

    const parsed = print?.issue !== undefined
    const showEmail = (views: EmailViews) => {
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
    // The PDF after the email's views: the HTML views are what an editor watches first (and
    // on two cores a print under way slows the email build down). Only the .eml is left to
    // compose then, beside the PDF's load.
    let pdfQueued = false
    const queuePdf = () => {
      if (pdfQueued || !print?.outputs.has('print.html')) return
      pdfQueued = true
      // An image, stylesheet or font changed: the warm page must not print its cached copy.
      // (Other files, such as an editor's temporary copy of the source, are not in its cache.)
      const fresh = round.paths.some((file) => path.resolve(root, file) !== sourcePath && isPageAsset(file))
      pdfWanted = { round, from: print, fresh: fresh || pdfWanted?.fresh === true }
      state.busy.pdf = true
      pdfLoop ??= runPdfs().finally(() => {
        pdfLoop = undefined
      })
    }
    // The page gets the email's views as soon as they are final; the .eml follows.
    const onEmailViews = (views: EmailViews) => {
      showEmail(views)
      trace('email views out')
      tell()
      queuePdf()
    }
    const email = parsed ? await attempt(round, () => builder.build(slug, { editions: ['email'], from: print, onEmailViews })) : undefined
    trace(`email built (${email?.timings.email} ms)`)
    if (email) {
      roundFiles.email = email.files
      keep(email, ['email.eml'], round)
      const [html, text] = [email.outputs.get('email.html'), email.outputs.get('email.txt')]
      if (typeof html === 'string' && typeof text === 'string' && state.views['email.html'] !== round.id) showEmail({ html, text, assets: email.emailAssets })
    }
    // The web edition (no cover: that needs the PDF) once the email is out.
    const web = parsed ? await attempt(round, () => builder.build(slug, { editions: ['web'], from: print })) : undefined
    trace(`web built (${web?.timings.web} ms)`)
    if (web) {
      // The first file is the issue's, whose messages the print HTML's round already has.
      roundFiles.email = [...roundFiles.email, ...web.files.slice(1)]
      keep(web, ['index.html'], round)
      if (web.outputs.has('index.html')) {
        webImages.clear()
        for (const [name, body] of web.outputs) if (name.startsWith('images/')) webImages.set(name.slice('images/'.length), body as Uint8Array)
      }
    }
    state.busy.html = false
    queuePdf()
    await publishProblems()
    await emit()
  }

  const runPdfs = async () => {
    while (pdfWanted && !closed) {
      const { round, from, fresh } = pdfWanted
      pdfWanted = undefined
      const stale = () => pdfWanted !== undefined || round.id !== state.round
      // The page gets the pages as soon as they are saved; the preflight's findings follow.
      const onPdf = (body: Uint8Array) => {
        if (stale() || closed) return
        outputs.set('print.pdf', { body, round: round.id })
        state.views['print.pdf'] = round.id
        state.timings.pdf = Math.round(performance.now() - round.at)
        state.busy.pdf = false
        trace('pdf out')
        tell()
      }
      const pdf = await attempt(round, () => builder.build(slug, { editions: ['print'], from, fresh, onPdf, flow: true }))
      trace(`pdf built (${pdf?.timings.pdf} ms)`)
      // A newer round's HTML is out: its own PDF follows, this one is already stale.
      if (stale()) continue
      if (pdf) {
        roundFiles.pdf = pdf.files
        const body = pdf.outputs.get('print.pdf')
        if (body !== undefined && state.views['print.pdf'] !== round.id) onPdf(body as Uint8Array)
      }
      state.busy.pdf = false
      await publishProblems()
      await emit()
    }
    state.busy.pdf = false
    await emit()
  }

  const runHtml = async () => {
    while (queued && !closed) {
      const round = queued
      queued = undefined
      await runRound(round)
    }
  }

  return {
    state,
    outputs,
    assets,
    webImages,
    change(kind, paths, at = performance.now()) {
      if (closed) return
      if (queued) {
        queued.kind = queued.kind === 'reload' || kind === 'reload' ? 'reload' : 'issue'
        queued.paths = [...new Set([...queued.paths, ...paths])]
      } else {
        queued = { id: ++counter, kind, paths: [...paths], at }
      }
      htmlLoop ??= runHtml().finally(() => {
        htmlLoop = undefined
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async idle() {
      while (htmlLoop || pdfLoop) await Promise.all([htmlLoop, pdfLoop])
    },
    async close() {
      closed = true
      listeners.clear()
      await Promise.all([htmlLoop, pdfLoop])
    }
  }
}
