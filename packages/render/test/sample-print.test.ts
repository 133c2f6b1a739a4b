import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Issue } from '@masthead/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Builder } from '../src/index.js'
import { createBuilder, openProject, projectPaths } from '../src/index.js'

/**
 * The print edition of both sample issues, read back from the real PDF with poppler:
 * page size, fonts, the table of contents against where each heading really is, running
 * headers, bookmarks and metadata.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const squash = (text: string) => text.replace(/\s+/g, '')

let builder: Builder
let folder: string

beforeAll(async () => {
  builder = await createBuilder(await openProject(projectPaths(root)))
  folder = await mkdtemp(path.join(os.tmpdir(), 'masthead-sample-print-'))
}, 120_000)

afterAll(async () => {
  await builder.close()
  await rm(folder, { recursive: true, force: true })
})

describe.each(['2021-green-silk-road', '2025-06-harbour-notes'])('print edition of %s', (slug) => {
  let file: string
  let issue: Issue
  let pages: string[]
  const run = (tool: string, ...args: string[]) => execFileSync(tool, [...args, file], { encoding: 'utf8' })

  beforeAll(async () => {
    const result = await builder.build(slug, { editions: ['print'] })
    expect(
      result.files
        .flatMap((f) => f.messages)
        .filter((m) => m.fatal !== undefined)
        .map(String)
    ).toEqual([])
    issue = result.issue!
    file = path.join(folder, `${slug}.pdf`)
    await writeFile(file, result.outputs.get('print.pdf')!)
    const count = Number(/Pages:\s+(\d+)/.exec(run('pdfinfo'))![1])
    pages = Array.from({ length: count }, (_, index) =>
      execFileSync('pdftotext', ['-f', String(index + 1), '-l', String(index + 1), file, '-'], { encoding: 'utf8' })
    )
  }, 120_000)

  it('is A4 with a sane page count and the issue’s metadata', () => {
    const info = run('pdfinfo')
    expect(info).toMatch(/Page size:\s+59[45]\.\d+ x 84[12]\.\d+ pts \(A4\)/)
    expect(pages.length).toBeGreaterThanOrEqual(issue.sections.length + 1)
    expect(pages.length).toBeLessThanOrEqual(40)
    expect(info).toContain(`Title:           ${issue.meta.title} ${issue.meta.issue!}`)
    expect(info).toContain(`Author:          ${issue.meta.publisher}`)
    expect(info).toMatch(/Tagged:\s+yes/)
  })

  it('embeds every font as a subset TrueType font, with no Type 3 font, CJK fonts included', () => {
    const rows = run('pdffonts')
      .split('\n')
      .slice(2)
      .filter((line) => line.trim() !== '')
    expect(rows.length).toBeGreaterThan(0)
    for (const row of rows) {
      expect(row).not.toMatch(/Type 3/)
      expect(row).toMatch(/CID TrueType\s+Identity-H\s+yes\s+yes\s+yes/)
      expect(row).toMatch(/^[A-Z]{6}\+/)
    }
    expect(rows.some((row) => /NotoSansSC|NotoSerifSC/.test(row))).toBe(true)
  })

  it('prints every section and item page number in the contents where that heading really is', () => {
    // The contents, as laid out: an entry ends on the line that carries its page number.
    const entries: Array<{ text: string; page: number }> = []
    let pending = ''
    const layout = execFileSync('pdftotext', ['-layout', '-f', '1', '-l', '2', file, '-'], { encoding: 'utf8' })
    for (const line of layout.split('\n')) {
      const match = /^(.*\S)\s{2,}(\d{1,3})\s*$/.exec(line)
      if (match) {
        entries.push({ text: squash(pending + match[1]!), page: Number(match[2]) })
        pending = ''
      } else {
        pending = line.trim() === '' ? '' : pending + line
      }
    }
    const headings = issue.sections.flatMap((section) => [
      section.title,
      ...(section.type === 'contacts' ? [] : section.items.flatMap((item) => (item.headline ? [item.headline] : [])))
    ])
    for (const title of headings) {
      const key = squash(title).slice(0, 12)
      const entry = entries.find((candidate) => candidate.text.includes(key))
      expect(entry, `contents entry “${title}”`).toBeDefined()
      expect(entry!.page, `page of “${title}”`).toBeGreaterThan(1)
      expect(entry!.page).toBeLessThanOrEqual(pages.length)
      expect(squash(pages[entry!.page - 1]!), `“${title}” on page ${entry!.page}`).toContain(key)
      const earlier = pages.slice(1, entry!.page - 1).some((text) => squash(text).includes(squash(title)))
      expect(earlier, `“${title}” already before page ${entry!.page}`).toBe(false)
    }
    expect(entries.length).toBe(headings.length)
  })

  it('heads each page group with the newsletter and the section, or the issue when sections share the pages (issue 14)', () => {
    // A section starts a page group when it starts a new page: the editor's `break`, else its type's.
    const breakOf = (type: string, own: string | undefined): string =>
      own ??
      (JSON.parse(readFileSync(path.join(root, 'templates/sections', type, 'section.json'), 'utf8')) as { break?: string }).break ??
      'auto'
    const groups: Array<typeof issue.sections> = []
    issue.sections.forEach((section, index) => {
      if (index === 0 || breakOf(section.type, section.break) === 'page') groups.push([])
      groups.at(-1)!.push(section)
    })
    expect(groups.length).toBeGreaterThan(1)
    for (const group of groups) {
      const opener = group[0]!
      const page = pages.findIndex((text, index) => index > 0 && squash(text).includes(squash(opener.title)))
      expect(page, opener.title).toBeGreaterThan(0)
      const top = execFileSync('pdftotext', ['-layout', '-f', String(page + 1), '-l', String(page + 1), file, '-'], { encoding: 'utf8' })
        .split('\n')
        .find((line) => line.trim() !== '')!
      expect(squash(top)).toContain(squash(issue.meta.title))
      expect(squash(top)).toContain(squash(group.length === 1 ? opener.title : issue.meta.issue!))
    }
  })

  it('keeps the colophon on the cover: no later page holds it (issue 14)', () => {
    const colophon = squash(`${issue.meta.lang === 'en' ? 'Published by: ' : '主办：'}${issue.meta.publisher}`)
    expect(pages.map((text) => squash(text).includes(colophon))).toEqual(pages.map((_, index) => index === 0))
  })

  it('has a bookmark for every section', () => {
    const bookmarks = execFileSync('pdfinfo', ['-dests', file], { encoding: 'utf8' })
    for (const section of issue.sections) expect(bookmarks, section.id).toContain(section.id)
  })
})
