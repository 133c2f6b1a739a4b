import path from 'node:path'
import type { Issue, VFile } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import type { EmailConfig, EmailStyles } from '@masthead/email'
import { buildEmail, loadEmailStyles } from '@masthead/email'
import type { Layout } from '@masthead/layout'
import { createLayout } from '@masthead/layout'
import { parseIssue } from '@masthead/parse'
import type { PdfBrowser } from '@masthead/pdf'
import { fontRoots, launchBrowser } from '@masthead/pdf'
import type { BuildResult, Edition } from './build-issue.js'
import type { Project } from './open-project.js'
import { addFindings } from './to-messages.js'

/** Options for {@link createBuilder}. */
export interface BuilderOptions {
  /** The Chromium binary; default: found through `env` (see `@masthead/pdf`'s `findChromium`). */
  chromium?: string
  env?: Readonly<Record<string, string | undefined>>
  /** Milliseconds for Chromium to start, and for one PDF render. */
  launchTimeout?: number
  renderTimeout?: number
  /** Paper and bleed for every issue, over each issue's frontmatter. */
  print?: { paper?: string; bleed?: boolean }
  /** Email settings (sender, unsubscribe URL, UTM tags, asset base …). */
  email?: EmailConfig
}

/** Options of one build. */
export interface BuildRequest {
  /** Which editions to build (default: all). */
  editions?: readonly Edition[]
}

/** Builds issues with shared state: compiled templates, one warm browser. */
export interface Builder {
  /** Build one issue's editions in memory. */
  build(slug: string, request?: BuildRequest): Promise<BuildResult>
  /** Recompile templates and reload styles (after a designer's edit). */
  reload(): Promise<VFile[]>
  /** Close the browser. Safe to call twice. */
  close(): Promise<void>
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

  const reload = async (): Promise<VFile[]> => {
    const created = await createLayout({ templatesDir: project.paths.templates, stylesDir: project.paths.styles, types: project.types })
    layout = hasErrors(created.files) ? undefined : created.layout
    layoutFiles = created.files
    styles = await loadEmailStyles(project.paths.styles)
    return layoutFiles
  }
  await reload()

  const getBrowser = () => {
    browser ??= launchBrowser({
      ...(options.chromium ? { executablePath: options.chromium } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.launchTimeout ? { launchTimeout: options.launchTimeout } : {}),
      ...(options.renderTimeout ? { renderTimeout: options.renderTimeout } : {})
    })
    return browser
  }

  const build = async (slug: string, request: BuildRequest = {}): Promise<BuildResult> => {
    const editions = new Set(request.editions ?? ['model', 'print', 'email'])
    const dir = path.isAbsolute(slug) ? slug : path.join(project.paths.issues, slug)
    const { issue, file } = await parseIssue(dir, { sections: project.types, cwd: project.paths.root })
    const result: BuildResult = { slug: path.basename(dir), issue, files: [file, ...layoutFiles.filter((f) => f.messages.length > 0)], outputs: new Map() }
    if (!issue || hasErrors(result.files) || !layout) return result
    if (editions.has('model')) result.outputs.set('issue.json', JSON.stringify(issue, null, 2) + '\n')
    if (editions.has('print')) await buildPrint(layout, issue, file, result)
    if (editions.has('email')) await buildEmailEdition(layout, issue, result)
    if (hasErrors(result.files)) result.outputs.clear()
    return result
  }

  const buildPrint = async (layout: Layout, issue: Issue, file: VFile, result: BuildResult) => {
    const rendered = layout.render('print', issue, {
      ...(options.print?.paper ? { paper: options.print.paper } : {}),
      ...(options.print?.bleed === undefined ? {} : { bleed: options.print.bleed })
    })
    result.files.push(...rendered.files.filter((f) => f.messages.length > 0))
    if (hasErrors(rendered.files)) return
    const pdf = await (await getBrowser()).renderPdf({
      html: rendered.output,
      baseDir: issue.dir,
      allowedRoots: [project.paths.templates, project.paths.styles, ...fontRoots()],
      metadata: {
        title: `${issue.meta.title} ${issue.meta.issue}`,
        author: issue.meta.publisher,
        subject: issue.meta.subject ?? issue.sections.map((section) => section.title).join(' · '),
        keywords: issue.meta.keywords,
        lang: issue.meta.lang
      },
      bleed: options.print?.bleed ?? issue.meta.editions.print.bleed
    })
    addFindings(file, pdf.diagnostics)
    result.outputs.set('print.html', withBase(rendered.output, issue.dir))
    result.outputs.set('print.pdf', pdf.pdf)
  }

  const buildEmailEdition = async (layout: Layout, issue: Issue, result: BuildResult) => {
    const email = await buildEmail({
      issue,
      render: (emailIssue) => layout.render('email', emailIssue),
      config: { ...options.email, ...(styles ? { styles } : {}) }
    })
    result.files.push(...email.files.filter((f) => f.messages.length > 0))
    result.outputs.set('email.html', email.html)
    result.outputs.set('email.txt', email.text)
    result.outputs.set('email.eml', email.eml)
  }

  return {
    build,
    reload,
    async close() {
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
