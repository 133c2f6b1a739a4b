import { execFileSync } from 'node:child_process'
import { appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

/**
 * Issue 14, print layout for issues of other shapes, through the real CLI: sections flow,
 * the cover keeps its colophon while the contents run on to page 2, a long table repeats
 * its header row, a special issue without a number, and the flow preflight
 * (`sparse-page`, `stranded-heading`) at its source lines. The PDF is read back page by
 * page with poppler.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const fixtures = path.join(here, 'fixtures')
const squash = (text: string): string => text.replace(/\s+/g, '')
let project: string

const run = (args: string[]) => runMain(args, project)

interface JsonMessage {
  line: number | null
  column: number | null
  severity: string
  message: string
  ruleId: string
}

async function check(slug: string): Promise<JsonMessage[]> {
  const { out } = await run(['check', slug, '--format', 'json'])
  return (JSON.parse(out) as { messages: JsonMessage[] }).messages
}

/** The PDF's pages as text (`-layout` keeps lines), and each page's words with their boxes. */
function readPdf(file: string) {
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' })
  const count = Number(/Pages:\s+(\d+)/.exec(info)![1])
  const page = (index: number, ...flags: string[]) =>
    execFileSync('pdftotext', [...flags, '-f', String(index), '-l', String(index), file, '-'], { encoding: 'utf8' })
  const pages = Array.from({ length: count }, (_, index) => page(index + 1, '-layout'))
  const size = /Page size:\s+([\d.]+) x ([\d.]+) pts/.exec(info)!
  // The lowest word of the body on each page (in pt from the top), from pdftotext -bbox.
  const bottoms = Array.from({ length: count }, (_, index) => {
    const html = page(index + 1, '-bbox')
    const words = [...html.matchAll(/<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">/g)].map((match) => ({
      top: Number(match[1]),
      bottom: Number(match[2])
    }))
    return Math.max(
      0,
      ...words.filter((word) => word.top > MARGIN_TOP && word.bottom < Number(size[2]) - MARGIN_BOTTOM).map((word) => word.bottom)
    )
  })
  return { info, pages, bottoms, height: Number(size[2]) }
}

// styles/tokens.css: --margin-top 22mm, --margin-bottom 20mm (the running header and the
// folio sit in them).
const MM = 72 / 25.4
const MARGIN_TOP = 22 * MM
const MARGIN_BOTTOM = 20 * MM

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-print-flow-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  for (const slug of ['issue-14-conference-special', 'issue-14-contents-run-on', 'issue-14-sparse-page']) {
    await cp(path.join(fixtures, slug), path.join(project, 'issues', slug), { recursive: true })
  }
  // A project set up for mailing: `check` would otherwise warn that the email has no unsubscribe link.
  await writeFile(path.join(project, 'masthead.config.json'), JSON.stringify({ email: { unsubscribeUrl: '*|UNSUB|*' } }))
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('a conference special: no number, a long contents list, sections of very different lengths', () => {
  const slug = 'issue-14-conference-special'
  let source: string
  let pdf: ReturnType<typeof readPdf>

  beforeAll(async () => {
    source = await readFile(path.join(fixtures, slug, 'issue.md'), 'utf8')
    const built = await run(['build', slug, '--pdf'])
    expect(built.err).not.toMatch(/error/)
    expect(built.code).toBe(0)
    pdf = readPdf(path.join(project, 'dist', slug, 'print.pdf'))
  })

  it('passes `masthead check` without an error or a warning: no sparse page, no stranded heading', async () => {
    const messages = await check(slug)
    expect(
      messages
        .filter((message) => message.severity !== 'info')
        .map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.message}`)
    ).toEqual([])
  })

  it('prints the title of a special issue once: the PDF title and the cover', () => {
    expect(pdf.info).toMatch(/Title:\s+共建绿色丝绸之路圆桌会暨可持续发展论坛特刊\n/)
    expect(squash(pdf.pages[0]!).match(/论坛特刊/g)).toHaveLength(1)
  })

  it('breaks the cover title only between words', () => {
    const lines = pdf.pages[0]!.split('\n')
      .map(squash)
      .filter((line) => /共建|论坛特刊/.test(line) || line.includes('圆桌'))
    expect(lines.join('')).toContain('共建绿色丝绸之路圆桌会暨可持续发展论坛特刊')
    for (const word of ['圆桌会', '可持续', '发展', '论坛', '特刊'])
      expect(
        lines.some((line) => line.includes(word)),
        word
      ).toBe(true)
  })

  it('keeps the colophon on the cover and continues the contents on page 2 under their own heading', () => {
    expect(squash(pdf.pages[0]!)).toContain('主办：“一带一路”绿色发展国际联盟秘书处')
    expect(pdf.pages.slice(1).some((text) => text.includes('主办'))).toBe(false)
    const second = pdf.pages[1]!.split('\n').filter((line) => line.trim() !== '')
    expect(squash(second[0]!)).toBe('目录（续）')
    // Page 2 holds contents entries, not a stray colophon.
    expect(second.filter((line) => /\s\d{1,2}\s*$/.test(line)).length).toBeGreaterThan(3)
  })

  it('prints every contents page number where that heading is', () => {
    const entries: Array<{ text: string; page: number }> = []
    let pending = ''
    for (const line of [pdf.pages[0]!, pdf.pages[1]!].join('\n').split('\n')) {
      const match = /^(.*\S)\s{2,}(\d{1,3})\s*$/.exec(line)
      if (match) {
        entries.push({ text: squash(pending + match[1]!), page: Number(match[2]) })
        pending = ''
      } else pending = line.trim() === '' ? '' : pending + line
    }
    let inContacts = false
    const headings: string[] = []
    for (const line of source.split('\n')) {
      const section = /^:::(\w+)\[(.+?)\]/.exec(line)
      if (section) {
        inContacts = section[1] === 'contacts'
        headings.push(section[2]!)
      } else if (line.startsWith('## ') && !inContacts) headings.push(line.slice(3).trim())
    }
    expect(entries).toHaveLength(headings.length)
    for (const heading of headings) {
      const key = squash(heading).slice(0, 10)
      const entry = entries.find((candidate) => candidate.text.includes(key))
      expect(entry, heading).toBeDefined()
      expect(squash(pdf.pages[entry!.page - 1]!), `“${heading}” on page ${entry!.page}`).toContain(key)
      expect(
        pdf.pages.slice(2, entry!.page - 1).some((text) => squash(text).includes(squash(heading))),
        `“${heading}” before page ${entry!.page}`
      ).toBe(false)
    }
  })

  it('lets sections flow on: no body page but the last ends in the top 30 % of its text area', () => {
    const area = pdf.height - MARGIN_TOP - MARGIN_BOTTOM
    const body = pdf.pages.map((_, index) => index).filter((index) => index >= 2 && index < pdf.pages.length - 1)
    expect(body.length).toBeGreaterThan(4)
    for (const index of body) expect((pdf.bottoms[index]! - MARGIN_TOP) / area, `page ${index + 1}`).toBeGreaterThanOrEqual(0.3)
    // Fewer pages than sections after the cover: they share pages.
    expect(pdf.pages.length - 2).toBeLessThan(source.match(/^:::\w/gm)!.length + 4)
  })

  it('never leaves a headline with less than two lines of its text at a page foot', () => {
    const headlines = source
      .split('\n')
      .filter((line) => line.startsWith('## '))
      .map((line) => squash(line.slice(3)).slice(0, 6))
    for (const headline of headlines) {
      const index = pdf.pages.findIndex((text, at) => at >= 2 && squash(text).includes(headline))
      expect(index, headline).toBeGreaterThan(1)
      const lines = pdf.pages[index]!.split('\n').filter((line) => line.trim() !== '')
      const at = lines.findIndex((line) => squash(line).includes(headline.slice(0, 4)))
      // After the headline: at least two lines of text besides the folio.
      if (index < pdf.pages.length - 1) expect(lines.length - 1 - at - 1, `“${headline}” on page ${index + 1}`).toBeGreaterThanOrEqual(2)
    }
  })

  it('splits the 42-row table across pages with its header row on each', () => {
    const withRows = pdf.pages.filter((text) => /\d+\s+\S+(研究院|合作中心|技术协会|保护基金会|能源公司|城市联盟)\s/.test(text))
    expect(withRows.length).toBeGreaterThanOrEqual(2)
    for (const text of withRows) expect(text).toMatch(/序号\s+单位名称\s+国家\s+类别/)
    const rows = withRows.join('\n').match(/^\s*\d+\s+\S+(研究院|合作中心|技术协会|保护基金会|能源公司|城市联盟)\s/gm) ?? []
    expect(rows).toHaveLength(42)
  })

  it('sets the contact cards right after the blurb', () => {
    const page = pdf.pages.at(-1)!.split('\n')
    const blurbEnd = page.findIndex((line) => line.includes('欢迎各方垂询'))
    const card = page.findIndex((line) => line.includes('会议秘书组'))
    expect(blurbEnd).toBeGreaterThan(0)
    expect(card - blurbEnd).toBeLessThan(6)
    expect(squash(pdf.pages.at(-1)!)).toContain('扫码访问会议网站')
  })
})

describe('contents that just miss the cover: a conference special with one more section', () => {
  const slug = 'issue-14-contents-run-on'

  it('carries at least the last three sections on to page 2, not one or two stray entries, and keeps the colophon on the cover', async () => {
    const built = await run(['build', slug, '--pdf'])
    expect(built.code).toBe(0)
    const pdf = readPdf(path.join(project, 'dist', slug, 'print.pdf'))
    expect(squash(pdf.pages[0]!)).toContain('主办：城市绿色转型合作网络秘书处')
    const second = pdf.pages[1]!.split('\n').filter((line) => line.trim() !== '')
    expect(squash(second[0]!)).toBe('目录（续）')
    // Section entries are numbered (`05 编后记  8`); page 2 holds the last three of the seven.
    const sections = second.filter((line) => /^\s*0\d\s/.test(line)).map((line) => squash(line).replace(/\d+$/, ''))
    expect(sections.slice(-3)).toEqual(['05编后记', '06附录', '07联系我们'])
    expect(second.length).toBeGreaterThanOrEqual(6)
  })
})

describe('flow preflight: messages at the source line where the break happens', () => {
  const slug = 'issue-14-sparse-page'

  it('reports a page left sparse by `{break=page}` at the section that asked for it', async () => {
    const messages = (await check(slug)).filter((message) => message.ruleId === 'sparse-page')
    expect(messages.map((message) => `${message.line}:${message.column} ${message.severity}`)).toEqual(['15:1 warning'])
    expect(messages[0]!.message).toMatch(
      /^Unexpected sparse page 2: its text ends \d+ % down the text area, expected it to reach 30 % \(`--preflight-sparse-page`\); page 3 starts here \(“From the editor”\)$/
    )
  })

  it('follows the designer’s threshold', async () => {
    await appendFile(path.join(project, 'styles/tokens.css'), '\n:root { --preflight-sparse-page: 10%; }\n')
    expect((await check(slug)).filter((message) => message.ruleId === 'sparse-page')).toEqual([])
  })

  it('reports a heading left at a page foot without its text, at the heading', async () => {
    // A designer's rule that pushes the text after every headline to the next page.
    await appendFile(path.join(project, 'styles/print.css'), '\n.item-headline { break-after: page !important; }\n')
    const messages = (await check(slug)).filter((message) => message.ruleId === 'stranded-heading')
    expect(messages.map((message) => `${message.line}:${message.column} ${message.message}`)).toEqual([
      '10:1 Unexpected heading (“The quay is painted”) at the foot of page 2 with nothing of what follows it, expected it on the next page with its text',
      '16:1 Unexpected heading (“A short note”) at the foot of page 4 with nothing of what follows it, expected it on the next page with its text'
    ])
  })
})
