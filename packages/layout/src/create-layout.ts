import { access, readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Issue, SectionTypes } from '@masthead/core'
import { VFile, addError, warn } from '@masthead/core'
import Handlebars from 'handlebars'
import { ContextBuilder } from './build-context.js'
import type { SectionContext, TemplateContext } from './build-context.js'
import { compileTemplate } from './compile-template.js'
import type { HandlebarsEnv, Template } from './compile-template.js'
import { defaultFontCss } from './font-css.js'
import { formatDateValue } from './helpers/format-date.js'
import { helpers } from './helpers/index.js'
import { labelLang } from './labels.js'
import { pageGeometry } from './page-geometry.js'
import type { PageGeometry } from './page-geometry.js'
import { editions } from './section-schema.js'
import { reportTemplateError } from './template-error.js'
import { wrapHelper } from './wrap-helper.js'

const SOURCE = 'masthead:layout'

/**
 * The editions the layout renders: those a section type declares in its manifest, and
 * `text`, the email's plain-text part (`sections/<type>/text.hbs`, falling back to the
 * generic `partials/text-section.hbs`), compiled without HTML escaping.
 */
export const RENDERED_EDITIONS = [...editions, 'text'] as const

/** An edition of an issue. */
export type Edition = (typeof RENDERED_EDITIONS)[number]

/** The partial that opens a part of a section, before the section's template runs for the part's items. */
const PART_BANNER: Record<Edition, string> = {
  print: 'part-banner',
  web: 'part-banner',
  email: 'email-part-banner',
  text: 'text-part-banner'
}

/** Whether a template writes plain text (no HTML escaping): the text edition's and `partials/text-*`. */
const isTextTemplate = (name: string) => /(?:^|\/)text\.hbs$|^partials\/text-[^/]*\.hbs$/.test(name)

/** Options for {@link createLayout}. */
export interface LayoutOptions {
  /** The `templates/` folder: `layouts/`, `partials/`, `sections/<type>/`. */
  templatesDir: string
  /** The `styles/` folder: `print.css`, `tokens.css`, `sections/<type>.css`. */
  stylesDir: string
  /** The section types, from {@link loadSectionTypes}. */
  types: SectionTypes
}

/** Options for {@link Layout.render}. */
export interface RenderOptions {
  /** `A4` (default: the issue's `print.size`), `Letter`, or `170mm 240mm`. */
  paper?: string
  /** Add 3 mm bleed on every side (default: the issue's `print.bleed`). */
  bleed?: boolean
  /** Font stylesheet URLs to link instead of the bundled @fontsource ones. */
  fontCss?: string[]
}

/** The output of one edition and the messages rendering it produced. */
export interface RenderResult {
  output: string
  files: VFile[]
}

/** Renders editions of issues with one set of compiled templates. */
export interface Layout {
  /**
   * Render one edition of `issue`: `print` gives a complete HTML document for Chromium,
   * `email` whatever `templates/layouts/email.hbs` produces, `web` the web page
   * (`layouts/web.hbs`; a section type without `web.hbs` uses its `print.hbs`).
   */
  render(edition: Edition, issue: Issue, options?: RenderOptions): RenderResult
}

interface Compiled {
  /** Path relative to the templates folder, `sections/news/print.hbs`. */
  name: string
  path: string
  source: string
  run: Template
}

async function listHbs(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((name) => name.endsWith('.hbs')).sort()
  } catch {
    return []
  }
}

async function fileExists(file: string): Promise<boolean> {
  try {
    await access(file)
    return true
  } catch {
    return false
  }
}

/**
 * Compile every template under `templatesDir` into one isolated Handlebars environment:
 * `layouts/*.hbs`, `partials/*.hbs` (registered by file name: `{{> masthead}}`) and
 * `sections/<type>/<edition>.hbs` for each known type. Templates run in strict mode, with
 * only the helpers of `helpers/` known and prototype access denied.
 *
 * @param options Where the templates and styles are, and the section types.
 * @returns The layout, and one VFile per template (syntax errors are messages on them).
 */
export async function createLayout(options: LayoutOptions): Promise<{ layout: Layout; files: VFile[] }> {
  if (typeof options?.templatesDir !== 'string' || typeof options.stylesDir !== 'string' || !(options.types instanceof Map)) {
    throw new TypeError('Expected `{ templatesDir, stylesDir, types }`, with `types` from `loadSectionTypes()`')
  }
  const templatesDir = path.resolve(options.templatesDir)
  const stylesDir = path.resolve(options.stylesDir)
  const hbs: HandlebarsEnv = Handlebars.create()
  for (const [name, helper] of Object.entries(helpers)) hbs.registerHelper(name, wrapHelper(name, helper))
  const knownHelpers = Object.keys(helpers)
  const owner = new WeakMap<object, Compiled>()
  const compiled = new Map<string, Compiled>()
  const files: VFile[] = []

  async function load(name: string): Promise<Compiled | undefined> {
    const file = path.join(templatesDir, name)
    const source = await readFile(file, 'utf8')
    const vfile = new VFile({ path: file, value: source })
    files.push(vfile)
    const template = compileTemplate(hbs, vfile, knownHelpers, { noEscape: isTextTemplate(name) })
    if (!template) return undefined
    const entry: Compiled = {
      name,
      path: file,
      source,
      run(context, runtime) {
        try {
          return template(context, runtime)
        } catch (error) {
          // The innermost template (a partial, a section) owns the error.
          const key = typeof error === 'object' && error !== null ? error : new Error(String(error))
          if (!owner.has(key)) owner.set(key, entry)
          throw key
        }
      }
    }
    compiled.set(name, entry)
    return entry
  }

  for (const name of await listHbs(path.join(templatesDir, 'layouts'))) await load(`layouts/${name}`)
  for (const name of await listHbs(path.join(templatesDir, 'partials'))) {
    const entry = await load(`partials/${name}`)
    if (entry) hbs.registerPartial(name.slice(0, -'.hbs'.length), entry.run as Handlebars.Template)
  }
  for (const type of options.types.keys()) {
    for (const edition of RENDERED_EDITIONS) {
      const name = `sections/${type}/${edition}.hbs`
      if (await fileExists(path.join(templatesDir, name))) await load(name)
    }
  }

  const sectionStyles: string[] = []
  for (const type of options.types.keys()) {
    const css = path.join(stylesDir, 'sections', `${type}.css`)
    if (await fileExists(css)) sectionStyles.push(pathToFileURL(css).href)
  }

  const layout: Layout = {
    render(edition, issue, renderOptions = {}) {
      if (!(RENDERED_EDITIONS as readonly string[]).includes(edition)) {
        throw new TypeError(`Unexpected edition \`${String(edition)}\`, expected \`print\`, \`email\`, \`web\` or \`text\``)
      }
      return renderEdition({
        edition,
        issue,
        options: renderOptions,
        types: options.types,
        templatesDir,
        compiled,
        owner,
        knownHelpers,
        stylesheets: { main: pathToFileURL(path.join(stylesDir, `${edition}.css`)).href, sections: sectionStyles }
      })
    }
  }
  return { layout, files }
}

interface RenderState {
  edition: Edition
  issue: Issue
  options: RenderOptions
  types: SectionTypes
  templatesDir: string
  compiled: ReadonlyMap<string, Compiled>
  owner: WeakMap<object, Compiled>
  knownHelpers: readonly string[]
  stylesheets: { main: string; sections: string[] }
}

/** One render of one edition: what it renders with, and what it gathers. */
interface Run extends RenderState {
  /** The files that messages of this render went to, in the order they were first used. */
  files: Map<string, VFile>
  builder: ContextBuilder
  /** Section types already warned about for a missing template. */
  warned: Set<string>
}

function renderEdition(state: RenderState): RenderResult {
  const { edition, issue } = state
  const run: Run = {
    ...state,
    files: new Map(),
    builder: new ContextBuilder(state.types, edition === 'print' ? 'print' : 'email'),
    warned: new Set()
  }
  const result = (output: string): RenderResult => ({ output, files: [...run.files.values()] })

  const layoutTemplate = state.compiled.get(`layouts/${edition}.hbs`)
  if (!layoutTemplate) {
    addError(
      fileFor(run, path.join(state.templatesDir, 'layouts', `${edition}.hbs`)),
      `Missing layout \`layouts/${edition}.hbs\`, expected a template for the ${edition} edition (or it does not compile)`,
      {
        ruleId: 'missing-layout',
        source: SOURCE
      }
    )
    return result('')
  }
  const page = pageFor(run)
  const templates = issue.sections.map((section) => templateFor(run, section.type))
  const sections: SectionContext[] = issue.sections.map((section, index) =>
    run.builder.section(
      section,
      index,
      templates[index]?.name.startsWith('sections/') ? templates[index].name.split('/')[1]! : section.type
    )
  )
  assignPageGroups(sections, issue.meta.issue ?? formatDateValue(issue.meta.date, labelLang(issue.meta.lang)))
  const context = run.builder.root({
    issue,
    meta: run.builder.meta(issue.meta),
    lang: issue.meta.lang,
    edition,
    sections,
    page,
    stylesheets: {
      fonts: state.options.fontCss ?? defaultFontCss(issue.meta.lang),
      main: state.stylesheets.main,
      sections: state.stylesheets.sections
    }
  } satisfies TemplateContext)
  renderSections(run, sections, templates, context)
  try {
    return result(layoutTemplate.run(context))
  } catch (error) {
    report(run, error, layoutTemplate)
    return result('')
  }
}

/** The VFile of `file` for this render's messages, made on first use. */
function fileFor(run: Run, file: string, value?: string): VFile {
  let vfile = run.files.get(file)
  if (!vfile) {
    vfile = new VFile(value === undefined ? { path: file } : { path: file, value })
    run.files.set(file, vfile)
  }
  return vfile
}

/** The page geometry: the render's or the issue's paper and bleed; an unknown paper is an error, and A4 is used. */
function pageFor(run: Run): PageGeometry {
  const { issue, options } = run
  try {
    return pageGeometry(options.paper ?? issue.meta.editions.print.size, options.bleed ?? issue.meta.editions.print.bleed)
  } catch (error) {
    addError(fileFor(run, issue.source), (error as Error).message, { ruleId: 'paper-size', source: SOURCE })
    return pageGeometry('A4', options.bleed ?? false)
  }
}

/**
 * The template that renders a section of `type` in this edition: its own, else (web) its
 * print one, else (text) the generic text one, else `article`'s with a warning once per type.
 */
function templateFor(run: Run, type: string): Compiled | undefined {
  const { compiled, edition } = run
  const own = compiled.get(`sections/${type}/${edition}.hbs`)
  if (own) return own
  // The web edition is HTML like print: a type without `web.hbs` uses its print template, by design (no warning).
  const print = edition === 'web' ? compiled.get(`sections/${type}/print.hbs`) : undefined
  if (print) return print
  // The text edition's generic template lists every field a manifest declares: a type
  // added by files alone reaches the text part without a `text.hbs` of its own.
  const generic = edition === 'text' ? compiled.get('partials/text-section.hbs') : undefined
  if (generic) return generic
  const fallback = compiled.get(`sections/article/${edition}.hbs`)
  if (!run.warned.has(type)) {
    run.warned.add(type)
    const manifest = path.join(run.templatesDir, 'sections', type, 'section.json')
    const message = `Missing \`${edition}.hbs\` for section type \`${type}\`, ${fallback ? 'expected one; using the `article` template instead' : 'and no `article` template to fall back on'}`
    if (fallback) warn(fileFor(run, manifest), message, { ruleId: 'section-template-fallback', source: SOURCE })
    else addError(fileFor(run, manifest), message, { ruleId: 'missing-section-template', source: SOURCE })
  }
  return fallback
}

/** Run each section's template (once for its own items, then once per part after the part's banner) into its `html`. */
function renderSections(
  run: Run,
  sections: SectionContext[],
  templates: readonly (Compiled | undefined)[],
  context: TemplateContext
): void {
  const banner = run.compiled.get(`partials/${PART_BANNER[run.edition]}.hbs`)
  for (const [index, section] of sections.entries()) {
    const template = templates[index]
    if (!template) continue
    try {
      const runtime = { data: { root: context } }
      section.html = [
        template.run(section, runtime),
        ...section.parts.map((part) => {
          const partRun = run.builder.partRun(section, part)
          return (banner?.run(partRun, runtime) ?? '') + template.run(partRun, runtime)
        })
      ].join('')
    } catch (error) {
      report(run, error, template, `section \`${section.id}\``)
    }
  }
}

/** Report a template error on the innermost template that threw it (else `fallback`), naming the section it rendered. */
function report(run: Run, error: unknown, fallback: Compiled, sectionLabel?: string): void {
  const at = (typeof error === 'object' && error !== null && run.owner.get(error)) || fallback
  const section = sectionLabel === undefined ? undefined : run.builder.origins.get(sectionLabel)
  reportTemplateError(error, {
    file: fileFor(run, at.path, at.source),
    origins: run.builder.origins,
    issuePath: run.issue.source,
    ...(section ? { section } : {}),
    helpers: run.knownHelpers,
    partials: [...run.compiled.keys()].filter((name) => name.startsWith('partials/')).map((name) => path.basename(name, '.hbs'))
  })
}

/**
 * Group the sections into runs that share a named page: a run opens at the first section
 * and at each section whose `break` is `page`; the sections that flow on print under the
 * page name (and so the running header) of the run's first section.
 */
function assignPageGroups(sections: SectionContext[], issueLabel: string): void {
  let opener: SectionContext | undefined
  const runs: SectionContext[][] = []
  for (const section of sections) {
    if (!opener || section.break === 'page') {
      opener = section
      runs.push([])
    }
    section.startsPage = section === opener
    section.pageGroup = opener.id
    runs.at(-1)!.push(section)
  }
  for (const run of runs) {
    const title = run.length === 1 ? run[0]!.title : issueLabel
    for (const section of run) section.runningTitle = title
  }
}
