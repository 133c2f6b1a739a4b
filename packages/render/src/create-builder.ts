import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Issue } from '@masthead/core'
import { VFile, addError, hasErrors, warn } from '@masthead/core'
import type { EmailAsset, EmailConfig, EmailStyles, EmailViews } from '@masthead/email'
import type * as EmailModule from '@masthead/email'
import type * as WebModule from '@masthead/web'
import type { Layout } from '@masthead/layout'
import { createLayout, fontRoots as layoutFontRoots, loadSectionTypes } from '@masthead/layout'
import { parseIssue } from '@masthead/parse'
import type { PdfBrowser, StartedChromium } from '@masthead/pdf'
import { archival, assertOrigins, findChromium, fontRoots, launchBrowser, pressReady } from '@masthead/pdf'
import type { BuildResult, Edition, EditionName } from './build-issue.js'
import { isEditionOutput } from './build-issue.js'
import type { Project } from './open-project.js'
import { printWithRetry } from './print-with-retry.js'
import { linkToWebEdition, webEditionUrl } from './site-links.js'
import { addFindings } from './to-messages.js'
import { tocCache } from './toc-cache.js'

/** Options for {@link createBuilder}. */
export interface BuilderOptions {
  /** The Chromium binary; default: found through `env` (see `@masthead/pdf`'s `findChromium`). */
  chromium?: string
  env?: Readonly<Record<string, string | undefined>>
  /** Milliseconds for Chromium to start, and for one PDF render. */
  launchTimeout?: number
  renderTimeout?: number
  /** `http(s)://host[:port]` origins a print document may load from (config `network.allow`); all other network requests are blocked. */
  allowedOrigins?: readonly string[]
  /**
   * Paper and bleed for every issue, over each issue's frontmatter; `pressReady` and
   * `archival` also make `print-press.pdf` (PDF/X-4) and `print-archival.pdf` (PDF/A-2b),
   * `overprint` makes small black text overprint in the press file.
   */
  print?: { paper?: string; bleed?: boolean; pressReady?: boolean; archival?: boolean; overprint?: boolean }
  /** Email settings (sender, unsubscribe URL, UTM tags, asset base …). */
  email?: EmailConfig
  /**
   * Where `dist/` is published (config `site.url`): each web edition is at `<url><slug>/`,
   * its canonical URL; the email's "view in browser" and "read more" links lead there.
   */
  site?: { url?: string }
  /**
   * Start Chromium at once, so its launch overlaps parsing and layout (for a build that will
   * print). A launch failure surfaces at the first print, as without it. Or a Chromium the
   * caller started earlier still (`startChromium` of `@masthead/pdf/start`, before loading
   * this package): the builder adopts it when it is the binary and allowed origins these
   * options ask for, and kills it otherwise. Either way the builder owns it from then on.
   */
  prelaunch?: boolean | StartedChromium
}

/** The editions a builder can make: those of {@link Edition}, and `print-html` — the print HTML without the PDF (fast, for previews). */
export type BuilderEdition = Edition | 'print-html'

/** Options of one build. */
export interface BuildRequest {
  /** Which editions to build (default: `model`, `print`, `email`, `web`). `print` includes `print-html`. */
  editions?: readonly BuilderEdition[]
  /**
   * An earlier result of the same issue from this builder to continue from: its parsed issue
   * (and its print HTML) are reused instead of parsing and rendering again. Ignored when the
   * templates were reloaded since. A live preview builds `print-html`, then `email`, then
   * `print` from the first result.
   */
  from?: BuildResult
  /**
   * Files the print document links (images, stylesheets) may have changed on disk since the
   * last PDF: load it afresh rather than over the warm page, whose memory cache would print
   * the old ones. Implied after {@link Builder.reload}.
   */
  fresh?: boolean
  /**
   * Called as soon as the email's HTML and text are final and the build has no errors so
   * far, before the .eml is composed (a live preview shows them meanwhile). What it throws
   * is ignored.
   */
  onEmailViews?: (views: EmailViews) => void
  /**
   * Called as soon as the PDF is saved and the build has no errors so far, before the
   * preflight's findings are in (they follow in the result's files): a live preview shows
   * the pages meanwhile. What it throws is ignored.
   */
  onPdf?: (pdf: Uint8Array) => void
  /**
   * Run the press preflight when the issue is press-ready, but make neither the press nor
   * the archival file (`masthead check`: findings only, no Ghostscript). Implies `flow`.
   */
  checkOnly?: boolean
  /**
   * Also check how the body flowed over the pages (`sparse-page`, `stranded-heading`): one
   * more print of the page, so `masthead check` and the live preview ask for it and a plain
   * build does not.
   */
  flow?: boolean
}

/**
 * Milliseconds per step of one build (only the steps that ran), and how many times the PDF
 * was printed (`prints`: 1, or 2–3 when the table of contents had to be filled in or moved).
 */
export type BuildTimings = Partial<Record<'parse' | 'print-html' | 'pdf' | 'pdf-load' | 'pdf-print' | 'pdf-preflight' | 'pdf-finish' | 'pdf-press' | 'pdf-archival' | 'email' | 'web' | 'prints', number>>

/** The email's views a live preview shows before the .eml is composed (from @masthead/email). */
export type { EmailViews }

/** What a builder's build returns: a {@link BuildResult}, plus what previews want. */
export interface BuilderResult extends BuildResult {
  /** The email's images (CID attachments or files to upload): a preview serves them. */
  emailAssets: EmailAsset[]
  timings: BuildTimings
}

/** Builds issues with shared state: compiled templates, one warm browser. */
export interface Builder {
  /** Build one issue's editions in memory. */
  build(slug: string, request?: BuildRequest): Promise<BuilderResult>
  /** Re-read the section manifests, recompile templates and reload styles (after a designer's edit). */
  reload(): Promise<VFile[]>
  /** Close the browser. Safe to call twice. */
  close(): Promise<void>
  /** The folders a print document may load files from, besides its issue folder (templates, styles, fonts). */
  readonly assetRoots: readonly string[]
}

/** What a result leaves for a later build `from` it. */
interface Parsed {
  generation: number
  issue: Issue
  file: VFile
  /** The print HTML as rendered (without `<base>`). */
  printHtml?: string
}

const since = (start: number): number => Math.round(performance.now() - start)

/** A copy of a VFile with its messages, so a later build adds findings to its own file. */
function copyFile(file: VFile): VFile {
  const copy = new VFile({ path: file.path, cwd: file.cwd, value: file.value })
  copy.messages.push(...file.messages)
  return copy
}

/**
 * Create a builder for a project. The browser starts on the first print build and is
 * reused by every later one, across issues.
 *
 * @param project The opened project.
 */
export async function createBuilder(project: Project, options: BuilderOptions = {}): Promise<Builder> {
  let layout: Layout | undefined
  let layoutFiles: VFile[] = []
  let styles: EmailStyles | undefined
  let browser: Promise<PdfBrowser> | undefined
  let closing = false
  let types = project.types
  /** Bumped by every reload: results from before cannot be continued from. */
  let generation = 0
  const parsed = new WeakMap<BuildResult, Parsed>()
  const tocPages = tocCache(project.paths.root)
  // The font packages the layout links, and those the PDF step knows of.
  const assetRoots = [...new Set([project.paths.templates, project.paths.styles, ...layoutFontRoots(), ...fontRoots()])]
  /**
   * Bumped when linked files may have changed. The warm print page keeps its document (and
   * Chromium's memory cache of stylesheets and images) while the allowed roots stay the same,
   * so a new epoch adds a root that names it (a folder that does not exist), which makes the
   * page navigate afresh once. TODO: a `fresh` input of `renderPdf` in @masthead/pdf.
   */
  let epoch = 0
  const pdfRoots = () => (epoch === 0 ? assetRoots : [...assetRoots, path.join(project.paths.root, '.masthead-no-such-folder', `epoch-${epoch}`)])

  const load = async (manifests: VFile[]): Promise<VFile[]> => {
    const created = await createLayout({ templatesDir: project.paths.templates, stylesDir: project.paths.styles, types })
    layout = hasErrors(created.files) || hasErrors(manifests) ? undefined : created.layout
    layoutFiles = [...manifests, ...created.files]
    // Read at the next email build: the email package loads on first use.
    styles = undefined
    generation++
    return layoutFiles
  }
  // The project's own manifest messages are the caller's to report (they came with `openProject`).
  await load([])

  const reload = async (): Promise<VFile[]> => {
    const loaded = await loadSectionTypes(project.paths.templates)
    types = loaded.types
    epoch++
    return load(loaded.files)
  }

  let early = typeof options.prelaunch === 'object' ? options.prelaunch : undefined
  /** Whether the early Chromium is the one these options would start. */
  const fits = (started: StartedChromium): boolean => {
    try {
      const wanted = options.chromium ?? findChromium(options.env ?? process.env)
      const origins = assertOrigins(options.allowedOrigins ?? [])
      return started.executablePath === wanted && !started.exited() && origins.join(' ') === started.allowedOrigins.join(' ')
    } catch {
      return false
    }
  }
  const getBrowser = (): Promise<PdfBrowser> => {
    // Closed (or closing): no Chromium is started that nothing would close again.
    if (closing) return Promise.reject(new Error('Cannot print: the builder is closed'))
    const started = early && fits(early) ? early : undefined
    if (early && !started) early.kill()
    early = undefined
    browser ??= launchBrowser({
      ...(started ? { started } : {}),
      ...(options.chromium ? { executablePath: options.chromium } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.launchTimeout ? { launchTimeout: options.launchTimeout } : {}),
      ...(options.renderTimeout ? { renderTimeout: options.renderTimeout } : {}),
      ...(options.allowedOrigins?.length ? { allowedOrigins: options.allowedOrigins } : {})
    })
    return browser
  }
  if (options.prelaunch) void getBrowser().catch(() => undefined)
  /** A crashed, killed or hung browser is closed and forgotten; the retry launches a fresh one. */
  const slot = {
    get: getBrowser,
    async drop(failed: Promise<PdfBrowser>) {
      if (browser === failed) browser = undefined
      await (await failed.catch(() => undefined))?.close()
    },
    closing: () => closing
  }

  const parse = async (slug: string, request: BuildRequest): Promise<{ parsed: Parsed | undefined; file: VFile; ms?: number }> => {
    const earlier = request.from ? parsed.get(request.from) : undefined
    if (earlier && earlier.generation === generation) return { parsed: earlier, file: copyFile(earlier.file) }
    const start = performance.now()
    const dir = path.isAbsolute(slug) ? slug : path.join(project.paths.issues, slug)
    const { issue, file } = await parseIssue(dir, { sections: types, cwd: project.paths.root })
    return { parsed: issue ? { generation, issue, file } : undefined, file, ms: since(start) }
  }

  const build = async (slug: string, request: BuildRequest = {}): Promise<BuilderResult> => {
    const editions = new Set(request.editions ?? ['model', 'print', 'email', 'web'])
    if (request.fresh && editions.has('print')) epoch++
    const dir = path.isAbsolute(slug) ? slug : path.join(project.paths.issues, slug)
    const { parsed: state, file, ms } = await parse(slug, request)
    const issue = state?.issue
    const result: BuilderResult = {
      slug: path.basename(dir),
      issue,
      files: [file, ...layoutFiles.filter((f) => f.messages.length > 0)],
      outputs: new Map(),
      editionFiles: {},
      emailAssets: [],
      timings: ms === undefined ? {} : { parse: ms }
    }
    /** What every edition shares: the source, the layout, the manifests. */
    const common = [...result.files]
    const current = layout
    if (!state || !issue || hasErrors(result.files) || !current) return result
    const next: Parsed = { ...state }
    parsed.set(result, next)
    if (editions.has('model')) result.outputs.set('issue.json', JSON.stringify(issue, null, 2) + '\n')
    let email: Promise<void> | undefined
    const startEmail = (): Promise<void> => {
      if (email === undefined) {
        email = buildEmailEdition(current, linkToWebEdition(issue, webEditionUrl(issue, options.site?.url)), result, request.onEmailViews)
        // Awaited below; until then a failure must not count as unhandled.
        email.catch(() => undefined)
      }
      return email
    }
    let printed: Promise<void> | undefined
    let web: Promise<void> | undefined
    const startWeb = (): void => {
      if (web !== undefined || !editions.has('web') || hasErrors(common)) return
      web = buildWeb(current, issue, file, result, printed)
      web.catch(() => undefined)
    }
    // The email and the web page are made while Chromium prints, once the print document
    // has loaded (main-thread work before would stall the answers to its requests).
    const onLoaded = editions.has('email') || editions.has('web') ? () => {
      if (editions.has('email')) void startEmail()
      startWeb()
    } : undefined
    if (editions.has('print') || editions.has('print-html')) {
      const html = renderPrintHtml(current, issue, next, result)
      if (html !== undefined && editions.has('print')) {
        printed = buildPdf(html, issue, file, result, onLoaded, request.onPdf, request.checkOnly === true, request.flow === true || request.checkOnly === true)
        await printed
      }
    }
    if (editions.has('email')) await startEmail()
    startWeb()
    if (web) await web
    if (hasErrors(common)) result.outputs.clear()
    // Editions are independent: one that failed loses its own outputs, the others stay.
    for (const [edition, files] of Object.entries(result.editionFiles ?? {}) as Array<[EditionName, VFile[]]>) {
      if (hasErrors(files)) for (const name of [...result.outputs.keys()]) if (isEditionOutput(edition, name)) result.outputs.delete(name)
    }
    return result
  }

  /** The files of one edition's own steps, kept in the result as well. */
  const editionFiles = (result: BuilderResult, edition: EditionName): VFile[] => {
    const map = (result.editionFiles ??= {})
    return (map[edition] ??= [])
  }
  /** A VFile for one edition's findings on the issue source (reported with the source's own messages). */
  const editionFile = (result: BuilderResult, edition: EditionName, source: VFile): VFile => {
    const own = new VFile({ path: source.path, cwd: source.cwd, value: source.value })
    editionFiles(result, edition).push(own)
    result.files.push(own)
    return own
  }

  const renderPrintHtml = (layout: Layout, issue: Issue, state: Parsed, result: BuilderResult): string | undefined => {
    if (state.printHtml === undefined) {
      const start = performance.now()
      const rendered = layout.render('print', issue, {
        ...(options.print?.paper ? { paper: options.print.paper } : {}),
        ...(options.print?.bleed === undefined ? {} : { bleed: options.print.bleed })
      })
      result.timings['print-html'] = since(start)
      const withMessages = rendered.files.filter((f) => f.messages.length > 0)
      result.files.push(...withMessages)
      editionFiles(result, 'print').push(...withMessages)
      if (hasErrors(rendered.files)) return undefined
      state.printHtml = rendered.output
    }
    result.outputs.set('print.html', withBase(state.printHtml, issue.dir))
    return state.printHtml
  }

  const buildPdf = async (html: string, issue: Issue, source: VFile, result: BuilderResult, onLoaded?: () => void, onPdf?: (pdf: Uint8Array) => void, checkOnly = false, flow = false) => {
    const start = performance.now()
    const file = editionFile(result, 'print', source)
    const printOk = () => !hasErrors(result.files.filter((f) => !(result.editionFiles?.email ?? []).includes(f)))
    const title = issue.meta.issue === undefined ? issue.meta.title : `${issue.meta.title} ${issue.meta.issue}`
    const tocKey = JSON.stringify([title, options.print?.paper ?? issue.meta.editions.print.size])
    const tocHint = await tocPages.read(issue.dir, tocKey)
    const metadata = {
      title,
      author: issue.meta.publisher,
      subject: issue.meta.subject ?? issue.sections.map((section) => section.title).join(' · '),
      keywords: issue.meta.keywords,
      lang: issue.meta.lang
    }
    const wantPress = options.print?.pressReady ?? issue.meta.editions.print.pressReady ?? false
    const wantArchival = !checkOnly && (options.print?.archival ?? issue.meta.editions.print.archival ?? false)
    let outcome
    try {
      outcome = await printWithRetry(slot, {
        html,
        baseDir: issue.dir,
        allowedRoots: pdfRoots(),
        metadata,
        bleed: options.print?.bleed ?? issue.meta.editions.print.bleed,
        withoutBleed: wantArchival,
        press: wantPress,
        flow,
        ...(onLoaded ? { onLoaded } : {}),
        ...(onPdf
          ? {
              onSaved: (pdf, diagnostics) => {
                if (printOk() && !diagnostics.some((d) => d.severity === 'error')) onPdf(pdf)
              }
            }
          : {}),
        ...(tocHint ? { tocHint } : {})
      })
    } catch (error) {
      if (error instanceof TypeError) throw error
      addError(file, (error as Error).message, { ruleId: 'pdf-failed', source: 'masthead:pdf', cause: error as Error })
      return
    }
    if (outcome.retried) {
      warn(file, `Unexpected failure printing \`${title}\` (${outcome.retried.message}), printed on a fresh browser instead`, { ruleId: 'pdf-retried', source: 'masthead:pdf' })
    }
    const pdf = outcome.result
    addFindings(file, pdf.diagnostics)
    result.outputs.set('print.pdf', pdf.pdf)
    result.timings.pdf = since(start)
    result.timings.prints = pdf.timings.print.length
    result.timings['pdf-load'] = Math.round(pdf.timings.load)
    result.timings['pdf-print'] = Math.round(pdf.timings.toc)
    result.timings['pdf-preflight'] = Math.round(pdf.timings.preflight)
    result.timings['pdf-finish'] = Math.round(pdf.timings.finish)
    if (Object.keys(pdf.tocPages).length > 0 && JSON.stringify(pdf.tocPages) !== JSON.stringify(tocHint)) await tocPages.write(issue.dir, tocKey, pdf.tocPages)
    if (hasErrors([file])) return
    // The press and archival files are made from the finished print, side by side.
    await Promise.all([
      wantPress && !checkOnly && makeFile(file, result, 'pdf-press', 'print-press.pdf', 'press-ready-failed', async () => (await pressReady(pdf.pdf, metadata, { overprintBlack: options.print?.overprint === true, env: options.env ?? process.env })).pdf),
      wantArchival && makeFile(file, result, 'pdf-archival', 'print-archival.pdf', 'archival-failed', () => archival(pdf.pdfWithoutBleed ?? pdf.pdf, metadata, { bleed: pdf.pdfWithoutBleed !== undefined }))
    ])
  }

  const makeFile = async (file: VFile, result: BuilderResult, timing: 'pdf-press' | 'pdf-archival', name: string, ruleId: string, make: () => Promise<Uint8Array>) => {
    const start = performance.now()
    try {
      result.outputs.set(name, await make())
    } catch (error) {
      addError(file, `Cannot make \`${name}\`: ${(error as Error).message}`, { ruleId, source: 'masthead:pdf', cause: error as Error })
    }
    result.timings[timing] = since(start)
  }

  let emailModule: Promise<typeof EmailModule> | undefined
  const buildEmailEdition = async (layout: Layout, issue: Issue, result: BuilderResult, onViews?: (views: EmailViews) => void) => {
    const start = performance.now()
    const own = editionFiles(result, 'email')
    const emailOk = (files: readonly VFile[]) => !hasErrors([...result.files.filter((f) => !(result.editionFiles?.print ?? []).includes(f)), ...files])
    const { buildEmail, loadEmailStyles } = await (emailModule ??= import('@masthead/email'))
    let email: Awaited<ReturnType<typeof buildEmail>>
    try {
      styles ??= await loadEmailStyles(project.paths.styles)
      email = await buildEmail({
        issue,
        render: (emailIssue) => layout.render('email', emailIssue),
        renderText: (emailIssue) => layout.render('text', emailIssue),
        config: { ...options.email, ...(styles ? { styles } : {}) },
        ...(onViews
          ? {
              onViews: (views, files) => {
                if (emailOk(files)) onViews(views)
              }
            }
          : {})
      })
    } catch (error) {
      if (error instanceof TypeError) throw error
      // A failing email step fails the email edition, not the print one.
      const file = new VFile({ path: issue.source, cwd: project.paths.root })
      addError(file, `Cannot build the email edition: ${(error as Error).message}`, { ruleId: 'email-failed', source: 'masthead:email', cause: error as Error })
      own.push(file)
      result.files.push(file)
      return
    }
    const withMessages = email.files.filter((f) => f.messages.length > 0)
    result.files.push(...withMessages)
    own.push(...withMessages)
    result.outputs.set('email.html', email.html)
    result.outputs.set('email.txt', email.text)
    result.outputs.set('email.eml', email.eml)
    result.emailAssets = email.assets
    result.timings.email = since(start)
  }

  let webModule: Promise<typeof WebModule> | undefined
  /** The web edition: `index.html` and its images, and `cover.jpg` from the PDF's first page when the PDF was built. */
  /**
   * The web edition. With `printed` (the PDF being made), the page and its images are made
   * meanwhile, and the cover from the PDF's first page once it is there; should there be no
   * cover after all, the page is made again without pointing at one.
   */
  const buildWeb = async (layout: Layout, issue: Issue, source: VFile, result: BuilderResult, printed?: Promise<void>) => {
    // A project from before the web edition has no web layout: it builds the other editions as it did.
    if (!existsSync(path.join(project.paths.templates, 'layouts', 'web.hbs'))) return
    const start = performance.now()
    const file = editionFile(result, 'web', source)
    const own = editionFiles(result, 'web')
    const { buildWebEdition, renderCover } = await (webModule ??= import('@masthead/web'))
    const url = webEditionUrl(issue, options.site?.url)
    const forWeb = url ? { ...issue, meta: { ...issue.meta, url } } : issue
    const rendered = layout.render('web', forWeb)
    const renderedFiles = rendered.files.filter((f) => f.messages.length > 0)
    result.files.push(...renderedFiles)
    own.push(...renderedFiles)
    if (hasErrors(rendered.files)) return
    const make = (cover: boolean) => buildWebEdition({ issue: forWeb, html: rendered.output, ...(url ? { url } : {}), cover, feed: Boolean(options.site?.url) })
    const early = printed ? make(true) : undefined
    early?.catch(() => undefined)
    await printed?.catch(() => undefined)
    const pdf = result.outputs.get('print.pdf')
    let cover: Uint8Array | undefined
    if (pdf instanceof Uint8Array) {
      try {
        cover = await renderCover(pdf)
      } catch (error) {
        warn(file, `${(error as Error).message}; the archive shows this issue without its cover`, { ruleId: 'web-cover', source: 'masthead:web' })
      }
    }
    const web = early && cover ? await early : await make(cover !== undefined)
    const webFiles = web.files.filter((f) => f.messages.length > 0)
    result.files.push(...webFiles)
    own.push(...webFiles)
    for (const [name, data] of web.outputs) result.outputs.set(name, data)
    if (cover) result.outputs.set('cover.jpg', cover)
    result.timings.web = since(start)
  }

  return {
    build,
    reload,
    assetRoots,
    async close() {
      closing = true
      early?.kill()
      early = undefined
      const open = browser
      browser = undefined
      if (open) await (await open.catch(() => undefined))?.close()
    }
  }
}

/**
 * The print HTML resolves images against the issue folder; written to `dist/<issue>/`,
 * it needs a `<base>` pointing back there to open in a browser.
 */
function withBase(html: string, dir: string): string {
  if (/<base\s/i.test(html)) return html
  const href = 'file://' + encodeURI(dir.split(path.sep).join('/')) + '/'
  return html.replace(/<head([^>]*)>/i, `<head$1>\n<base href="${href}">`)
}
