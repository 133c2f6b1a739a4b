import { execFileSync } from 'node:child_process'
import { access, appendFile, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

/**
 * Issue 18, the press preflight's safe zone, through the real CLI: a designer's stylesheet
 * narrows the outer page margin to 1.5 mm and pads the cover's masthead 1.5 mm from the top.
 * `masthead build --bleed --press-ready` warns at the paragraph's line and on the cover, the
 * press file is still written, and the warning's distance agrees with where poppler finds
 * the words in the press file, measured from its TrimBox. The designer's
 * `--preflight-safe-zone` moves the limit.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const SLUG = 'issue-18-safe-zone'
const MM = 72 / 25.4
let project: string

const run = (args: string[]) => runMain(args, project)

interface JsonMessage {
  line: number | null
  column: number | null
  severity: string
  message: string
  ruleId: string
}

async function check(): Promise<JsonMessage[]> {
  const { out } = await run(['check', SLUG, '--format', 'json'])
  return (JSON.parse(out) as { messages: JsonMessage[] }).messages.filter((message) => message.ruleId === 'safe-zone')
}

/** The 1-based line of the first line of `source` that starts with `start`. */
const lineOf = (source: string, start: string): number => source.split('\n').findIndex((line) => line.startsWith(start)) + 1

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-safe-zone-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await cp(path.join(here, 'fixtures', SLUG), path.join(project, 'issues', SLUG), { recursive: true })
  await writeFile(path.join(project, 'masthead.config.json'), JSON.stringify({ email: { unsubscribeUrl: '*|UNSUB|*' } }))
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('press preflight: text within the safe zone from the trim', { tags: ['slow'] }, () => {
  it('reports nothing for the stylesheet as it ships', async () => {
    expect(await check()).toEqual([])
  }, 120_000)

  it('warns where a stylesheet pushes text towards the trim, with bleed, and still writes the press file', async () => {
    // A 1.5 mm outer margin (the samples' is 19 mm) and a cover masthead padded 1.5 mm from the top.
    await appendFile(path.join(project, 'styles/tokens.css'), '\n:root { --margin-outer: 1.5mm; }\n')
    await appendFile(path.join(project, 'styles/print.css'), '\n.masthead { padding-top: calc(1.5mm + var(--bleed)); }\n')
    // No --press-ready: the issue's frontmatter asks for the press file (`print.pressReady`).
    const built = await run(['build', SLUG, '--pdf', '--bleed'])
    expect(built.code).toBe(0)
    const source = await readFile(path.join(project, 'issues', SLUG, 'issue.md'), 'utf8')
    const warnings = built.err.split('\n').filter((line) => /\ssafe-zone\s/.test(line))
    const found = warnings.map((line) =>
      /(?:issue\.md:(\d+):\d+|issue\.md)\s+warning\s+Unexpected text \(“(.*?)”\) ([\d.]+) mm from the trim's (\w+) edge on page (\d+), expected at least 3\.0 mm inside the trim/.exec(
        line
      )
    )
    expect(found.every(Boolean), warnings.join('\n')).toBe(true)
    // The masthead's first line (the publisher; no source line: it comes from the frontmatter) …
    const cover = found.find((match) => match![2] === 'Northsea Cooperative')
    expect(cover?.[4], warnings.join('\n')).toBe('top')
    expect(cover?.[5]).toBe('1')
    expect(cover?.[1]).toBeUndefined()
    // … and the long paragraph, justified to the 1.5 mm margin, at its item's line (the
    // nearest element with a source line).
    const paragraph = found.find((match) => match![1] === String(lineOf(source, '## The quay is painted')))
    expect(paragraph?.[4], warnings.join('\n')).toBe('right')
    expect(Number(paragraph![3])).toBeLessThan(3)
    expect(execFileSync('pdfinfo', [path.join(project, 'dist', SLUG, 'print-press.pdf')], { encoding: 'utf8' })).toMatch(
      /PDF version:\s+1\.6/
    )
    await expect(access(path.join(project, 'dist', SLUG, 'print-archival.pdf'))).rejects.toThrow()
    // Where poppler finds the publisher's name in the printed file (the press file's fonts,
    // rewritten by Ghostscript, have other bounding boxes): that far below the TrimBox's top.
    const file = path.join(project, 'dist', SLUG, 'print.pdf')
    const boxes = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '1', file], { encoding: 'utf8' })
    const top = (name: string): number => Number(new RegExp(`${name}:\\s+(?:[-\\d.]+\\s+){3}([-\\d.]+)`).exec(boxes)![1])
    const words = execFileSync('pdftotext', ['-bbox', '-f', '1', '-l', '1', file, '-'], { encoding: 'utf8' })
    const word = /<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">Northsea<\/word>/.exec(words)
    expect(word, words).not.toBeNull()
    const fromTrim = (Number(word![1]) - (top('MediaBox') - top('TrimBox'))) / MM
    expect(Math.abs(Number(cover![3]) - fromTrim)).toBeLessThan(1)
  }, 300_000)

  it('takes the designer’s `--preflight-safe-zone`: a smaller zone passes, a wider one catches more, `0` turns it off', async () => {
    await appendFile(path.join(project, 'styles/tokens.css'), '\n:root { --preflight-safe-zone: 0.5mm; }\n')
    expect(await check()).toEqual([])
    // 25 mm: the body text, 19 mm inside the trim on the inner side, is now too close as well.
    await appendFile(path.join(project, 'styles/tokens.css'), '\n:root { --preflight-safe-zone: 25mm; }\n')
    const wide = await check()
    expect(wide.length).toBeGreaterThan(2)
    expect(wide.every((message) => / (left|right|top|bottom) edge on page \d+, expected at least 25\.0 mm/.test(message.message))).toBe(
      true
    )
    await appendFile(path.join(project, 'styles/tokens.css'), '\n:root { --preflight-safe-zone: 0; }\n')
    expect(await check()).toEqual([])
  }, 300_000)

  it('writes the archival file when the config asks (`print.archival`), the press file when the frontmatter does', async () => {
    await writeFile(
      path.join(project, 'masthead.config.json'),
      JSON.stringify({ print: { archival: true }, email: { unsubscribeUrl: '*|UNSUB|*' } })
    )
    await rm(path.join(project, 'dist', SLUG), { recursive: true, force: true })
    const built = await run(['build', SLUG, '--pdf'])
    expect(built.code).toBe(0)
    for (const file of ['print-archival.pdf', 'print-press.pdf']) await access(path.join(project, 'dist', SLUG, file))
    const archive = path.join(project, 'dist', SLUG, 'print-archival.pdf')
    expect(execFileSync('pdfinfo', [archive], { encoding: 'utf8' })).toMatch(/Tagged:\s+yes/)
    expect(execFileSync('qpdf', ['--show-object=trailer', archive], { encoding: 'utf8' })).toMatch(/\/ID/)
  }, 300_000)
})
