import { existsSync } from 'node:fs'
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Issue } from '@masthead/core'
import { shorten } from '@masthead/core'
import { parseIssue } from '@masthead/parse'
import { listIssues } from '@masthead/render'
import type { Io } from '../context.js'
import { EXIT, UsageError, loadWorkspace } from '../context.js'

/** Options of `masthead new`. */
export interface NewOptions {
  title?: string | undefined
  lang?: 'zh-CN' | 'en' | undefined
  publisher?: string | undefined
  /** Create issue.md in an existing folder (never over an existing issue.md). */
  force: boolean
  /** Today, for the issue date (tests pass a fixed one). */
  now?: Date
}

const SLUG = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

/**
 * The longest issue name. It names a folder in `issues/` and `dist/`, and Linux refuses file
 * names over 255 bytes (ENAMETOOLONG); a slug is also part of URLs and file names in mail tools.
 */
export const MAX_SLUG_LENGTH = 100

/**
 * `masthead new <slug>`: scaffold `issues/<slug>/issue.md` with metadata carried over from
 * the latest issue (title, publisher, language, the next issue number), today's date, and
 * the example of every section type (`templates/sections/<type>/example.md`).
 *
 * @returns The exit code.
 */
export async function newIssue(slug: string, options: NewOptions, io: Io): Promise<number> {
  if (!SLUG.test(slug)) {
    throw new UsageError(
      `Unexpected issue name \`${shorten(slug, 60)}\`, expected letters, digits, \`-\`, \`_\` or \`.\` (e.g. \`2025-07\`)`
    )
  }
  if (slug.length > MAX_SLUG_LENGTH) {
    throw new UsageError(
      `Unexpected issue name of ${slug.length} characters (\`${shorten(slug, 60)}\`), expected at most ${MAX_SLUG_LENGTH} (e.g. \`2025-07\`)`
    )
  }
  const { project } = await loadWorkspace(io)
  const dir = path.join(project.paths.issues, slug)
  const target = path.join(dir, 'issue.md')
  if (existsSync(target)) {
    throw new UsageError(`Refusing to overwrite ${path.relative(io.cwd, target)}: it exists (choose another name, or delete it yourself)`)
  }
  if (existsSync(dir) && !options.force) {
    throw new UsageError(
      `Refusing to use the existing folder ${path.relative(io.cwd, dir)}/ (pass --force to add issue.md to it; nothing in it is changed)`
    )
  }
  const latest = await latestIssue(project.paths.issues, project.types, await listIssues(project.paths))
  const lang = options.lang ?? latest?.meta.lang ?? 'en'
  const today = (options.now ?? new Date()).toISOString().slice(0, 10)
  const frontmatter = [
    '---',
    `title: ${yamlString(options.title ?? latest?.meta.title ?? (lang === 'en' ? 'Newsletter' : '通讯'))}`,
    `issue: ${yamlString(nextNumber(latest?.meta.issue, lang))}`,
    `date: ${today}`,
    `lang: ${lang}`,
    `publisher: ${yamlString(options.publisher ?? latest?.meta.publisher ?? 'Publisher')}`,
    '---',
    ''
  ].join('\n')
  const examples: string[] = []
  // A type that starts a page of its own (`"break": "page"`, the contacts' back page)
  // goes last: in the middle it would leave the page before it mostly empty.
  const order = [...project.types.values()].sort((a, b) => Number(a.break === 'page') - Number(b.break === 'page')).map((type) => type.name)
  for (const name of order) {
    const example = path.join(project.paths.templates, 'sections', name, 'example.md')
    if (existsSync(example)) examples.push((await readFile(example, 'utf8')).trim() + '\n')
  }
  await mkdir(dir, { recursive: true })
  await writeFile(target, frontmatter + '\n' + examples.join('\n'), { flag: 'wx' })
  io.stdout.write(
    `Created ${path.relative(io.cwd, target)} with ${examples.length} example sections.\nEdit it, then run \`masthead dev ${slug}\` to preview it or \`masthead build ${slug}\`.\n`
  )
  return EXIT.ok
}

/** The issue with the latest date among the existing ones that parse. */
async function latestIssue(
  issuesDir: string,
  types: Parameters<typeof parseIssue>[1]['sections'],
  slugs: readonly string[]
): Promise<Issue | undefined> {
  let latest: Issue | undefined
  for (const slug of slugs) {
    const { issue } = await parseIssue(path.join(issuesDir, slug), { sections: types })
    if (issue && (!latest || issue.meta.date.iso > latest.meta.date.iso)) latest = issue
  }
  return latest
}

/** The next issue number: the last number in the latest one, plus one (`No. 12` → `No. 13`). */
export function nextNumber(previous: string | undefined, lang: string): string {
  if (!previous) return lang === 'en' ? 'No. 1' : '第1期'
  const matches = [...previous.matchAll(/\d+/g)]
  const last = matches.at(-1)
  if (last?.index === undefined) return previous
  const next = String(Number(last[0]) + 1).padStart(last[0].length, '0')
  return previous.slice(0, last.index) + next + previous.slice(last.index + last[0].length)
}

function yamlString(value: string): string {
  return /^[\w\u4e00-\u9fff][^:#"'\n]*$/u.test(value) && !/\s$/.test(value) ? value : JSON.stringify(value)
}
