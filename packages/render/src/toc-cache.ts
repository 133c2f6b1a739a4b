import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'

/**
 * Where each issue's table-of-contents pages are kept between builds, as LaTeX keeps its
 * `.aux` file: the next build fills them in before its first print, and when nothing moved
 * one print is enough instead of two. Only ever a hint — the PDF step checks the numbers
 * against where the headings really landed and prints again when they differ — so a stale,
 * foreign or broken file costs a print, never a wrong page number.
 *
 * The folder is `node_modules/.cache/masthead/` under the project root (the convention of
 * Babel, ESLint and friends, and git-ignored with node_modules); a project without
 * `node_modules` keeps nothing.
 */
export interface TocCache {
  read(slug: string, key: string): Promise<Record<string, number> | undefined>
  write(slug: string, key: string, pages: Record<string, number>): Promise<void>
}

/** The file's shape. */
interface Entry {
  key: string
  pages: Record<string, number>
}

const isPages = (value: unknown): value is Record<string, number> =>
  typeof value === 'object' && value !== null && Object.values(value).every((page) => Number.isInteger(page) && (page as number) > 0)

/**
 * The cache of a project.
 *
 * @param root The project root.
 */
export function tocCache(root: string): TocCache {
  const modules = path.join(root, 'node_modules')
  const dir = path.join(modules, '.cache', 'masthead', 'toc')
  const file = (slug: string) =>
    path.join(dir, `${path.basename(slug).replace(/[^\w.-]+/g, '_')}-${createHash('sha256').update(slug).digest('hex').slice(0, 8)}.json`)
  return {
    async read(slug, key) {
      try {
        const entry = JSON.parse(await readFile(file(slug), 'utf8')) as Partial<Entry>
        return entry.key === key && isPages(entry.pages) ? entry.pages : undefined
      } catch {
        return undefined
      }
    },
    async write(slug, key, pages) {
      if (!existsSync(modules)) return
      try {
        await mkdir(dir, { recursive: true })
        const target = file(slug)
        const temporary = `${target}.${process.pid}.tmp`
        await writeFile(temporary, JSON.stringify({ key, pages } satisfies Entry) + '\n')
        await rename(temporary, target)
      } catch {
        // A read-only or full disk: the next build prints twice, nothing worse.
      }
    }
  }
}
