/** Builds the sample issues end to end (parse → layout → email) for the tests. */
import { cp, mkdtemp, readdir, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Issue } from '@masthead/core'
import { hasErrors, report } from '@masthead/core'
import { createLayout, loadSectionTypes } from '@masthead/layout'
import { parseIssue } from '@masthead/parse'
import type { BuildEmailOptions, EmailBuild, EmailConfig } from '../src/index.js'
import { buildEmail, loadEmailStyles } from '../src/index.js'

export const root = path.resolve(fileURLToPath(import.meta.url), '../../../..')
export const SAMPLES = ['2025-06-harbour-notes', '2021-green-silk-road'] as const

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false
  )
}

/**
 * The templates folder; while print templates are still being written elsewhere, a copy
 * with stub `print.hbs` files (the registry wants one per declared edition).
 */
async function templatesDir(): Promise<string> {
  const real = path.join(root, 'templates')
  const sections = await readdir(path.join(real, 'sections'))
  const complete = (await Promise.all(sections.map((type) => exists(path.join(real, 'sections', type, 'print.hbs'))))).every(Boolean)
  if (complete && (await exists(path.join(real, 'layouts', 'print.hbs')))) return real
  const copy = await mkdtemp(path.join(tmpdir(), 'masthead-email-templates-'))
  await cp(real, copy, { recursive: true })
  for (const type of sections) {
    const file = path.join(copy, 'sections', type, 'print.hbs')
    if (!(await exists(file))) await writeFile(file, '<section></section>')
  }
  if (!(await exists(path.join(copy, 'layouts', 'print.hbs')))) await writeFile(path.join(copy, 'layouts', 'print.hbs'), '<html></html>')
  return copy
}

type Render = (issue: Issue) => ReturnType<Awaited<ReturnType<typeof createLayout>>['layout']['render']>
let project: Promise<{ render: Render; renderText: Render; types: Awaited<ReturnType<typeof loadSectionTypes>>['types'] }> | undefined

function openProject() {
  project ??= (async () => {
    const templates = await templatesDir()
    const { types } = await loadSectionTypes(templates)
    const { layout } = await createLayout({ templatesDir: templates, stylesDir: path.join(root, 'styles'), types })
    return { render: (issue: Issue) => layout.render('email', issue), renderText: (issue: Issue) => layout.render('text', issue), types }
  })()
  return project
}

/** Parse a sample issue. */
export async function sampleIssue(slug: string): Promise<Issue> {
  const { types } = await openProject()
  const { issue, file } = await parseIssue(path.join(root, 'issues', slug), { sections: types, cwd: root })
  if (!issue || hasErrors([file])) throw new Error(`Cannot parse sample \`${slug}\`:\n${report([file], { cwd: root })}`)
  return issue
}

/** Build the email edition of a sample issue through the real layout. */
export async function buildSample(
  slug: string,
  config: EmailConfig = {},
  edit?: (issue: Issue) => Issue
): Promise<{ issue: Issue; email: EmailBuild }> {
  const { render, renderText } = await openProject()
  const parsed = await sampleIssue(slug)
  const issue = edit ? edit(parsed) : parsed
  const styles = await loadEmailStyles(path.join(root, 'styles'))
  const email = await buildEmail({ issue, render, renderText, config: { styles, ...config } })
  return { issue, email }
}

/** Parse Markdown written to a temporary issue folder (for section examples). */
export async function markdownIssue(name: string, markdown: string): Promise<Issue> {
  const { types } = await openProject()
  const dir = await mkdtemp(path.join(tmpdir(), `masthead-email-${name}-`))
  await writeFile(path.join(dir, 'issue.md'), markdown)
  const { issue, file } = await parseIssue(dir, { sections: types, cwd: dir })
  if (!issue || hasErrors([file])) throw new Error(`Cannot parse \`${name}\`:\n${report([file], { cwd: dir })}`)
  return issue
}

/** Build the email edition of any issue through the real layout. */
export async function buildIssueEmail(issue: Issue, config: EmailConfig = {}, onViews?: BuildEmailOptions['onViews']): Promise<EmailBuild> {
  const { render, renderText } = await openProject()
  const styles = await loadEmailStyles(path.join(root, 'styles'))
  return buildEmail({ issue, render, renderText, config: { styles, ...config }, ...(onViews ? { onViews } : {}) })
}

/** Every message of a build, as the reporter prints it. */
export function messages(email: EmailBuild): string {
  return report(email.files, { cwd: root })
}

/** Build the email edition of an issue folder anywhere (the CLI's corpus, say) through the real layout. */
export async function buildFolderEmail(dir: string, config: EmailConfig = {}): Promise<{ issue: Issue; email: EmailBuild }> {
  const { types } = await openProject()
  const { issue, file } = await parseIssue(dir, { sections: types, cwd: root })
  if (!issue || hasErrors([file])) throw new Error(`Cannot parse \`${dir}\`:\n${report([file], { cwd: root })}`)
  return { issue, email: await buildIssueEmail(issue, config) }
}
