import { cp, mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Issue, VFile } from '@masthead/core'
import { report } from '@masthead/core'
import { parseIssue } from '@masthead/parse'
import { createLayout, loadSectionTypes } from '../src/index.js'

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const templatesDir = path.join(root, 'templates')
export const stylesDir = path.join(root, 'styles')

/** Load the section types and compile the templates of a project folder (default: the repository's). */
export async function openLayout(base = root) {
  const templates = path.join(base, 'templates')
  const { types, files: typeFiles } = await loadSectionTypes(templates)
  const { layout, files } = await createLayout({ templatesDir: templates, stylesDir: path.join(base, 'styles'), types })
  return { types, layout, files: [...typeFiles, ...files] }
}

/** A temporary project folder with a copy of `templates/` and `styles/`. */
export async function tempProject(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'masthead-layout-'))
  await cp(templatesDir, path.join(dir, 'templates'), { recursive: true })
  await cp(stylesDir, path.join(dir, 'styles'), { recursive: true })
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Frontmatter for a test issue. */
export function frontmatter(lang: 'zh-CN' | 'en'): string {
  return lang === 'zh-CN'
    ? '---\ntitle: 绿色丝路通讯\nissue: 2021年第1期\ndate: 2021-04-30\nlang: zh-CN\npublisher: 绿色联盟秘书处\n---\n\n'
    : '---\ntitle: Harbour Notes\nissue: No. 12\ndate: 2025-06-01\nlang: en\npublisher: Northsea Cooperative\n---\n\n'
}

/** Write `markdown` as `<dir>/issues/<name>/issue.md` and parse it; fails the test on parse errors. */
export async function parseMarkdown(
  dir: string,
  name: string,
  markdown: string,
  types: Awaited<ReturnType<typeof loadSectionTypes>>['types']
): Promise<Issue> {
  const issueDir = path.join(dir, 'issues', name)
  await mkdir(issueDir, { recursive: true })
  await writeFile(path.join(issueDir, 'issue.md'), markdown)
  const { issue, file } = await parseIssue(issueDir, { sections: types })
  if (!issue) throw new Error(report([file]))
  return issue
}

/** Every message of `files` as `path:line:column: reason`, paths relative to `cwd`. */
export function messages(files: readonly VFile[], cwd = root): string[] {
  return files.flatMap((file) =>
    file.messages.map((message) => {
      const name = path.relative(cwd, path.resolve(file.cwd, file.path))
      return `${name}${message.line ? `:${message.line}:${message.column}` : ''}: ${message.reason}`
    })
  )
}
