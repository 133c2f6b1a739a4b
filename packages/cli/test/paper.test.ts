import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

/**
 * Issue 18, page geometry in one place, through the real CLI: the same paper value means
 * the same sheet on the command line (`--paper`), in the config (`print.paper`) and in the
 * frontmatter (`print.size`): named sizes with `landscape`, custom sizes, and bleed. The
 * PDF's boxes are read back with poppler.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const SLUG = 'flyer'
const MM = 72 / 25.4
let project: string
let source: string

/** Page 1's MediaBox, TrimBox and BleedBox, in millimetres (width, height), to the nearest half millimetre (Chromium rounds the page to whole CSS pixels: A4's 210 mm comes out 209.9). */
function boxes(): Record<'media' | 'trim' | 'bleed', [number, number]> {
  const info = execFileSync('pdfinfo', ['-box', '-f', '1', '-l', '1', path.join(project, 'dist', SLUG, 'print.pdf')], { encoding: 'utf8' })
  const size = (name: string): [number, number] => {
    const [x0, y0, x1, y1] = new RegExp(`${name}:\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)\\s+([-\\d.]+)`)
      .exec(info)!
      .slice(1)
      .map(Number) as [number, number, number, number]
    return [Math.round(((x1 - x0) / MM) * 2) / 2, Math.round(((y1 - y0) / MM) * 2) / 2]
  }
  return { media: size('MediaBox'), trim: size('TrimBox'), bleed: size('BleedBox') }
}

async function build(...args: string[]): Promise<void> {
  const built = await runMain(['build', SLUG, '--pdf', '--force', ...args], project)
  expect(built.err).not.toMatch(/\serror\s|✗/)
  expect(built.code).toBe(0)
}

const setConfig = (print: Record<string, unknown>): Promise<void> =>
  writeFile(path.join(project, 'masthead.config.json'), JSON.stringify({ print }))
/** The flyer's frontmatter with `print:` keys of its own. */
const setFrontmatter = (print: string): Promise<void> =>
  writeFile(path.join(project, 'issues', SLUG, 'issue.md'), source.replace(/^---\n/, `---\nprint:\n${print}\n`))

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-paper-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await cp(path.join(here, 'corpus', SLUG), path.join(project, 'issues', SLUG), { recursive: true })
  source = await readFile(path.join(project, 'issues', SLUG, 'issue.md'), 'utf8')
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('one paper value, three places to write it', { tags: ['slow'] }, () => {
  it('`--paper "A4 landscape"` on the command line', async () => {
    await build('--paper', 'A4 landscape')
    expect(boxes().media).toEqual([297, 210])
  }, 120_000)

  it('`"paper": "A4 landscape"` in the config', async () => {
    await setConfig({ paper: 'A4 landscape' })
    await build()
    expect(boxes().media).toEqual([297, 210])
  }, 120_000)

  it('`size: A4 landscape` in the frontmatter; the config wins over it, the command line over both', async () => {
    await setConfig({})
    await setFrontmatter('  size: A4 landscape')
    await build()
    expect(boxes().media).toEqual([297, 210])
    await setConfig({ paper: 'A5' })
    await build()
    expect(boxes().media).toEqual([148, 210])
    await build('--paper', 'letter landscape')
    expect(boxes().media).toEqual([279.5, 216])
  }, 240_000)

  it('a custom size with bleed: TrimBox at the size, BleedBox 3 mm outside, from the command line and the frontmatter alike', async () => {
    await setConfig({})
    await setFrontmatter('  size: A4')
    await build('--paper', '170mm 240mm', '--bleed')
    expect(boxes().trim).toEqual([170, 240])
    expect(boxes().bleed).toEqual([176, 246])
    await setFrontmatter('  size: 6in 9in\n  bleed: true')
    await build()
    expect(boxes().trim).toEqual([152.5, 228.5])
    expect(boxes().bleed).toEqual([158.5, 234.5])
  }, 240_000)

  it('refuses a paper value the parser does not know, with the same message in each place', async () => {
    // From the command line it is bad usage (exit 2) naming the option, and nothing is built.
    await rm(path.join(project, 'dist'), { recursive: true, force: true })
    const cli = await runMain(['build', SLUG, '--pdf', '--paper', 'A4 sideways'], project)
    expect(cli.code).toBe(2)
    expect(cli.err).toBe(
      'masthead: Unexpected --paper `A4 sideways`, expected a paper size (`A4`, `A5`, `Letter` …), optionally `landscape` (`A4 landscape`), or a width and height such as `170mm 240mm`\n'
    )
    expect(existsSync(path.join(project, 'dist'))).toBe(false)
    await setConfig({ paper: 'A4 sideways' })
    const config = await runMain(['build', SLUG, '--pdf'], project)
    expect(config.code).toBe(1)
    expect(config.err).toMatch(
      /masthead\.config\.json:1:\d+\s+error\s+Unexpected `print\.paper` value "A4 sideways", expected a paper size/
    )
    await setConfig({})
    await setFrontmatter('  size: A4 sideways')
    const frontmatter = await runMain(['build', SLUG, '--pdf'], project)
    expect(frontmatter.code).toBe(1)
    expect(frontmatter.err).toMatch(/issue\.md:3:\d+\s+error\s+.*A4 sideways.*expected a paper size/)
  }, 120_000)
})
