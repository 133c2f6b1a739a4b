/** Builds the sample issues' web editions end to end (parse → layout → web) for the tests. */
import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Issue } from '@masthead/core'
import { editionUrl, hasErrors, report } from '@masthead/core'
import type { Layout } from '@masthead/layout'
import { createLayout, loadSectionTypes } from '@masthead/layout'
import { parseIssue } from '@masthead/parse'
import type { WebEdition } from '../src/index.js'
import { buildWebEdition } from '../src/index.js'

export const root = path.resolve(fileURLToPath(import.meta.url), '../../../..')
export const SAMPLES = ['2025-06-harbour-notes', '2021-green-silk-road'] as const
/** Where the tests pretend `dist/` is published. */
export const SITE = 'https://news.example.org/archive/'

let project: Promise<{ layout: Layout; types: Awaited<ReturnType<typeof loadSectionTypes>>['types'] }> | undefined

function openProject() {
  project ??= (async () => {
    const templates = path.join(root, 'templates')
    const { types } = await loadSectionTypes(templates)
    const { layout, files } = await createLayout({ templatesDir: templates, stylesDir: path.join(root, 'styles'), types })
    if (hasErrors(files)) throw new Error(report(files, { cwd: root }))
    return { layout, types }
  })()
  return project
}

/** Parse a sample issue, its `url` set to where the site would publish it (as `@masthead/render` does with `site.url`). */
export async function sampleIssue(slug: string): Promise<Issue> {
  const { types } = await openProject()
  const { issue, file } = await parseIssue(path.join(root, 'issues', slug), { sections: types, cwd: root })
  if (!issue || hasErrors([file])) throw new Error(`Cannot parse sample \`${slug}\`:\n${report([file], { cwd: root })}`)
  return { ...issue, meta: { ...issue.meta, url: editionUrl(SITE, slug) } }
}

/** The web edition of `issue` through the real templates. */
export async function buildWeb(issue: Issue, cover = false): Promise<WebEdition> {
  const { layout } = await openProject()
  const rendered = layout.render('web', issue)
  if (hasErrors(rendered.files)) throw new Error(report(rendered.files, { cwd: root }))
  return buildWebEdition({ issue, html: rendered.output, ...(issue.meta.url ? { url: issue.meta.url } : {}), cover })
}

/** The print HTML of `issue` (for a PDF to render a cover from). */
export async function printHtml(issue: Issue): Promise<string> {
  const { layout } = await openProject()
  return layout.render('print', issue).output
}

/** Write a web edition's files into `dir`. */
export async function writeEdition(dir: string, web: WebEdition): Promise<void> {
  for (const [name, data] of web.outputs) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), data)
  }
}
