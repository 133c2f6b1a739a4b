import { execFileSync } from 'node:child_process'
import { cp, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

/**
 * With `--bleed` the sheet grows beyond the trim, so whatever Chromium draws off the
 * trimmed page shows in the slug. The cover's first page has no top margin, and its
 * "Contents (continued)" box (meant for the cover's second page only) once printed above
 * the trim there. Through the real CLI: every word of every page of both samples, and of
 * an issue whose contents run on to page 2, lies inside the page's TrimBox; the run-on
 * page still carries its heading. Read back with poppler (pdfinfo -box, pdftotext -bbox).
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const SAMPLES = ['2021-green-silk-road', '2025-06-harbour-notes']
const RUN_ON = 'issue-14-contents-run-on'
let project: string

type Box = [x0: number, y0: number, x1: number, y1: number]

interface Word {
  page: number
  text: string
  /** In PDF user space (y up), like the page's boxes. */
  box: Box
}

/** Every word of the PDF with the page's TrimBox, from pdfinfo -box and pdftotext -bbox. */
function readWords(file: string): { words: Word[]; trims: Box[] } {
  const info = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '9999', file], { encoding: 'utf8' })
  const count = Number(/Pages:\s+(\d+)/.exec(info)![1])
  const box = (page: number, name: string): Box =>
    new RegExp(`Page +${page} ${name}:\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)`).exec(info)!.slice(1).map(Number) as Box
  const words: Word[] = []
  const trims: Box[] = []
  for (let page = 1; page <= count; page++) {
    // pdftotext -bbox measures from the CropBox's top-left corner, y down.
    const crop = box(page, 'CropBox')
    trims.push(box(page, 'TrimBox'))
    const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
    for (const match of html.matchAll(/<word xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">([^<]*)<\/word>/g)) {
      const [xMin, yMin, xMax, yMax] = match.slice(1, 5).map(Number) as Box
      words.push({ page, text: match[5]!, box: [crop[0] + xMin, crop[3] - yMax, crop[0] + xMax, crop[3] - yMin] })
    }
  }
  return { words, trims }
}

/** The words printed outside their page's trim, as `page N: text`. */
function outsideTrim({ words, trims }: ReturnType<typeof readWords>): string[] {
  return words
    .filter(({ page, box }) => {
      const trim = trims[page - 1]!
      return box[0] < trim[0] || box[1] < trim[1] || box[2] > trim[2] || box[3] > trim[3]
    })
    .map(({ page, text }) => `page ${page}: ${text}`)
}

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-cover-bleed-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  for (const slug of SAMPLES) await cp(path.join(root, 'issues', slug), path.join(project, 'issues', slug), { recursive: true })
  await cp(path.join(here, 'fixtures', RUN_ON), path.join(project, 'issues', RUN_ON), { recursive: true })
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('--bleed: no margin-box text outside the trim', { tags: ['slow'] }, () => {
  it.each([...SAMPLES, RUN_ON])(
    '%s: every word of every page lies inside the TrimBox',
    async (slug) => {
      const built = await runMain(['build', slug, '--pdf', '--bleed', '--force'], project)
      expect(built.err).not.toMatch(/\serror\s|✗/)
      expect(built.code).toBe(0)
      const read = readWords(path.join(project, 'dist', slug, 'print.pdf'))
      expect(read.words.length).toBeGreaterThan(100)
      // The sheet is larger than the trim (else nothing could lie outside it).
      expect(read.trims[0]![0]).toBeGreaterThan(0)
      expect(outsideTrim(read)).toEqual([])
      if (slug === RUN_ON) {
        // The heading of the contents' second page is still printed, inside the trim.
        const heading = read.words.filter((word) => word.page === 2 && word.text.includes('目录'))
        expect(heading.map((word) => word.text).join('')).toBe('目录（续）')
      }
    },
    120_000
  )
})
