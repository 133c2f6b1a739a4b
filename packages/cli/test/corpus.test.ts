/**
 * The corpus: issues of real shapes (issue 14), each built through the real CLI and its
 * PDF read back page by page. Each folder under test/corpus/ is one issue (issue.md and its
 * images); expected.json next to it lists the flow failures that are known and not yet
 * fixed, so that a new one fails the test and a fixed one too (then remove it from the list).
 *
 * Checked for every issue, from the PDF alone:
 * - no sparse page: a page, other than the cover and the last, whose body ends above 30 %
 *   of the text area;
 * - no stranded heading: a heading with fewer than three lines under it at the foot of a
 *   page while its text goes on overleaf;
 * - the printed contents give the page each entry's heading landed on;
 * - the bookmarks list every section, part and titled item at its level (speeches by
 *   their speaker, parts between their section and their items);
 * - every edition builds (print, email, text) and the build reports no warnings or errors
 *   (overflow, missing glyphs, links, images, an email too large for Gmail…);
 * - the text of every paragraph, list item, table cell and caption of the source is in the
 *   PDF's body text (`pdftotext -raw` of each page's text area).
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Issue, Item } from '@masthead/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Destination, Margins, PdfPage } from './corpus-pdf.js'
import { layoutText, normalize, rawBodyText, readBookmarks, readDestinations, readPages } from './corpus-pdf.js'
import { runMain } from './run-main.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const corpus = path.join(here, 'corpus')
const names = (await readdir(corpus)).filter((name) => existsSync(path.join(corpus, name, 'issue.md'))).sort()

/** What is known to fail in an issue's layout, and why (flow is issue 14, item 1). */
interface Expected {
  sparsePages?: number[]
  strandedHeadings?: string[]
  /** Bookmarks whose title Chromium writes twice over (`TitleTitle`). */
  doubledBookmarks?: string[]
  why?: string
}

const SPARSE = 0.3
const MM = 72 / 25.4
let project: string
let built: { code: number; out: string; err: string }

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-corpus-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await mkdir(path.join(project, 'issues'))
  for (const name of names) await cp(path.join(corpus, name), path.join(project, 'issues', name), { recursive: true })
  built = await runMain(['build', ...names, '--json'], project)
}, 600_000)

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

/** The page margins of the design, from styles/tokens.css, in points. */
async function margins(): Promise<Margins> {
  const tokens = await readFile(path.join(root, 'styles/tokens.css'), 'utf8')
  const mm = (name: string) => Number(new RegExp(`--margin-${name}:\\s*([\\d.]+)mm`).exec(tokens)?.[1])
  return { top: mm('top') * MM, bottom: mm('bottom') * MM }
}

/** A heading the contents and the bookmarks know: a section, part or item title. */
interface Heading {
  id: string
  title: string
  inContents: boolean
  /** Its level in the bookmarks: 1 a section, 2 a part or an item, 3 an item of a part. */
  depth: number
}

function headings(issue: Issue): Heading[] {
  const list: Heading[] = []
  for (const section of issue.sections) {
    const listed = section.type !== 'contacts'
    const items = (items: Item[], depth: number) => {
      for (const item of items) if (item.title) list.push({ id: item.id, title: item.title, inContents: listed, depth })
    }
    list.push({ id: section.id, title: section.title, inContents: true, depth: 1 })
    items(section.items, 2)
    for (const part of section.parts) {
      list.push({ id: part.id, title: part.title, inContents: true, depth: 2 })
      items(part.items, 3)
    }
  }
  return list
}

/** The source's texts: titles, intros, and each paragraph, list item, table cell and caption of every body. */
function sourceTexts(issue: Issue): string[] {
  const texts: string[] = []
  const add = (text: string) => {
    for (const block of text.split(/\n{2,}/)) {
      for (const line of block.split('\n')) {
        const bare = line.replace(/^(?:•|\d+\.|>)\s+/, '').replace(/^\[(.*)\]$/, '$1')
        for (const cell of bare.split(' | ')) if (cell.trim()) texts.push(cell.trim())
      }
    }
  }
  for (const section of issue.sections) {
    add(section.title)
    add(section.intro.text)
    const items = (items: Item[]) => {
      for (const item of items) {
        if (item.title) add(item.title)
        add(item.body.text)
      }
    }
    items(section.items)
    for (const part of section.parts) {
      add(part.title)
      add(part.intro.text)
      items(part.items)
    }
  }
  return texts
}

/** Pages whose body ends above {@link SPARSE} of the text area (not the cover, not the last page). */
function sparsePages(pages: readonly PdfPage[], area: Margins): number[] {
  return pages
    .filter((page) => page.number > 1 && page.number < pages.length)
    .filter((page) => {
      const bottom = Math.max(area.top, ...page.lines.map((line) => line.yMax))
      return (bottom - area.top) / (page.height - area.top - area.bottom) < SPARSE
    })
    .map((page) => page.number)
}

/**
 * Headings with fewer than three lines of text under them on their page while what follows
 * them goes on overleaf (the next heading is on a later page, and that page does not start
 * with it).
 */
function strandedHeadings(list: readonly Heading[], dests: ReadonlyMap<string, Destination>, pages: readonly PdfPage[]): string[] {
  const placed = list.filter((heading) => dests.has(heading.id))
  const stranded: string[] = []
  for (const [index, heading] of placed.entries()) {
    const at = dests.get(heading.id)!
    const page = pages[at.page - 1]!
    const below = page.lines.filter((line) => line.yMin >= at.top - 2)
    // The heading's own lines: as many as its title takes.
    const title = normalize(heading.title)
    let taken = ''
    let own = 0
    while (
      own < below.length &&
      taken.length < title.length &&
      title.startsWith(taken + normalize(below[own]!.text).slice(0, title.length - taken.length))
    ) {
      taken += normalize(below[own]!.text)
      own++
    }
    const after = below.length - Math.max(own, 1)
    if (after >= 3) continue
    const next = placed[index + 1]
    const nextAt = next ? dests.get(next.id)! : undefined
    const goesOn = nextAt ? nextAt.page > at.page : at.page < pages.length
    if (!goesOn) continue
    // An item that simply ends at the foot of the page, with the next heading opening the next page, is not stranded.
    const firstLine = pages[at.page]?.lines[0]
    const nextOpensOverleaf =
      next !== undefined &&
      nextAt?.page === at.page + 1 &&
      firstLine !== undefined &&
      normalize(next.title).startsWith(normalize(firstLine.text).slice(0, 6))
    if (nextOpensOverleaf) continue
    stranded.push(`${heading.title} (page ${at.page})`)
  }
  return stranded
}

/** The page number the printed contents give for each entry, in order. */
function contentsNumbers(file: string, list: readonly Heading[], contentsPages: number): Map<string, number | undefined> {
  const lines = Array.from({ length: contentsPages }, (_, index) => layoutText(file, index + 1).split('\n')).flat()
  const numbers = new Map<string, number | undefined>()
  // The contents start under their heading (the cover's masthead may repeat a title).
  let from = lines.findIndex((line) => /^\s*(?:Contents|目\s*录)\s*$/.test(line)) + 1
  for (const heading of list.filter((entry) => entry.inContents)) {
    const start = normalize(heading.title).slice(0, 8)
    const at = lines.findIndex((line, index) => index >= from && normalize(line).includes(start))
    if (at === -1) {
      numbers.set(heading.id, undefined)
      continue
    }
    let number: number | undefined
    for (let index = at; index < Math.min(lines.length, at + 4) && number === undefined; index++) {
      const match = /\s(\d+)\s*$/.exec(lines[index]!)
      if (match) {
        number = Number(match[1])
        from = index + 1
      }
    }
    numbers.set(heading.id, number)
  }
  return numbers
}

describe('the corpus of real shapes (issue 14)', { tags: ['slow'] }, () => {
  it('has at least five issues besides the samples, and builds them all without warnings', () => {
    expect(names.length).toBeGreaterThanOrEqual(5)
    expect(built.err).toBe('')
    const report = JSON.parse(built.out) as {
      ok: boolean
      messages: Array<{ severity: string; message: string; ruleId: string; line: number | null; file: string }>
    }
    expect(
      report.messages
        .filter((message) => message.severity !== 'info')
        .map((message) => `${message.file}:${message.line ?? 0} ${message.ruleId} ${message.message}`)
    ).toEqual([])
    expect(report.ok).toBe(true)
    expect(built.code).toBe(0)
  })

  describe.each(names)('%s', (name) => {
    const file = () => path.join(project, 'dist', name, 'print.pdf')

    it('has no sparse page and no stranded heading, its contents give the right pages, and every source text is printed', async () => {
      const expected = existsSync(path.join(corpus, name, 'expected.json'))
        ? (JSON.parse(await readFile(path.join(corpus, name, 'expected.json'), 'utf8')) as Expected)
        : {}
      const issue = JSON.parse(await readFile(path.join(project, 'dist', name, 'issue.json'), 'utf8')) as Issue
      const area = await margins()
      const pages = readPages(file(), area)
      const dests = readDestinations(file(), pages[0]!.height)
      const list = headings(issue)

      expect(sparsePages(pages, area), 'sparse pages').toEqual(expected.sparsePages ?? [])
      expect(strandedHeadings(list, dests, pages), 'stranded headings').toEqual(expected.strandedHeadings ?? [])

      // The contents fill the pages before the first section's.
      const contentsPages = Math.max(1, Math.min(...[...dests.values()].map((dest) => dest.page)) - 1)
      const printed = contentsNumbers(file(), list, contentsPages)
      for (const heading of list.filter((entry) => entry.inContents)) {
        expect({ id: heading.id, page: printed.get(heading.id) }, heading.title).toEqual({
          id: heading.id,
          page: dests.get(heading.id)?.page
        })
      }

      // Sections, parts and titled items in order and at their level; the items' own
      // subheadings (h3/h4 in a body) may come between them, one level further down.
      const bookmarks = readBookmarks(file())
      const doubled = bookmarks
        .filter(({ title }) => title.length % 2 === 0 && title.slice(0, title.length / 2) === title.slice(title.length / 2))
        .map(({ title }) => title.slice(0, title.length / 2))
      expect(doubled, 'bookmarks with their title written twice').toEqual(expected.doubledBookmarks ?? [])
      // Compared without whitespace: Chromium drops the space where a heading's line wraps.
      const single = bookmarks.map(({ depth, title }) => ({
        depth,
        title: normalize(doubled.includes(title.slice(0, title.length / 2)) ? title.slice(0, title.length / 2) : title)
      }))
      const wanted = list.map(({ depth, title }) => ({ depth, title: normalize(title) }))
      expect(
        single.filter((bookmark) => wanted.some((heading) => heading.title === bookmark.title && heading.depth === bookmark.depth)),
        'bookmarks'
      ).toEqual(wanted)

      const body = normalize(rawBodyText(file(), pages, area))
      const bodyWithoutDigits = body.replace(/\d/g, '')
      const missing = sourceTexts(issue).filter((text) => {
        const wanted = normalize(text)
        // Endnote markers (superscript numbers) sit inside the printed text but not in the source's.
        return !body.includes(wanted) && !bodyWithoutDigits.includes(wanted.replace(/\d/g, ''))
      })
      expect(missing, 'source texts not found in the PDF').toEqual([])
    })
  })
})

describe('the corpus: a long table (issue 14)', { tags: ['slow'] }, () => {
  it('splits the 43-row member table of the conference special across pages, its header row on top of each', () => {
    const file = path.join(project, 'dist', 'conference-special', 'print.pdf')
    const header = normalize('序号 中文名称 English name 国家/地区')
    const pageCount = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1])
    const row = /^\s*(\d+)\s+\S*[\u4e00-\u9fff]\S*\s+.*[A-Za-z]/
    const spanned = Array.from({ length: pageCount }, (_, index) => layoutText(file, index + 1).split('\n'))
      .map((lines, index) => ({ number: index + 1, lines }))
      .filter((page) => page.lines.some((line) => row.test(line)))
    expect(spanned.length).toBeGreaterThan(1)
    const rows = spanned.flatMap((page) =>
      page.lines
        .map((line) => row.exec(line)?.[1])
        .filter((n) => n !== undefined)
        .map(Number)
    )
    expect(rows).toEqual(Array.from({ length: 43 }, (_, index) => index + 1))
    for (const page of spanned) {
      const headerAt = page.lines.findIndex((line) => normalize(line) === header)
      const firstRow = page.lines.findIndex((line) => row.test(line))
      expect(headerAt, `page ${page.number}`).toBeGreaterThanOrEqual(0)
      expect(headerAt, `page ${page.number}`).toBeLessThan(firstRow)
    }
  })
})

describe('the corpus: the text part of the conference special (issue 14)', { tags: ['slow'] }, () => {
  it('opens each part under its title underlined with ~, the section title once, and titles a speech by its speaker without repeating it', async () => {
    const text = await readFile(path.join(project, 'dist', 'conference-special', 'email.txt'), 'utf8')
    expect(text.match(/^第一场.城市转型的三条路径\n=+$/gm)).toHaveLength(1)
    expect(text).toContain('（一）交通与街道\n~~~~~~~~~~~~~~~~\n\n公交优先街道的五年评估\n----------------------\n')
    expect(text).toContain('（三）水务与韧性\n~~~~~~~~~~~~~~~~\n')
    expect(text).toContain('林晓舟\n------\n\n城市绿色转型合作网络理事长\n\n各位来宾')
    expect(text).toContain('东道国生态环境部门代表\n----------------------\n\n女士们、先生们')
  })
})
