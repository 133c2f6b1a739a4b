import { existsSync } from 'node:fs'
import { cp, mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SAMPLES = ['2025-06-harbour-notes', '2021-green-silk-road']
const SITE = 'https://news.example.org/letters/'
let project: string

const run = (args: string[]) => runMain(args, project)

/** The file and fragment of the built site a URL under {@link SITE} names (its query, the UTM tags, left off). */
function target(url: string): { file: string; fragment: string } {
  const parsed = new URL(url)
  const rest = decodeURIComponent(parsed.pathname.slice(new URL(SITE).pathname.length))
  return {
    file: path.join(project, 'dist', rest.endsWith('/') || rest === '' ? path.join(rest, 'index.html') : rest),
    fragment: decodeURIComponent(parsed.hash.slice(1))
  }
}

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-publish-'))
  for (const folder of ['templates', 'styles']) await cp(path.join(root, folder), path.join(project, folder), { recursive: true })
  for (const slug of SAMPLES) await cp(path.join(root, 'issues', slug), path.join(project, 'issues', slug), { recursive: true })
  await mkdir(path.join(project, 'dist'), { recursive: true })
  await writeFile(path.join(project, 'masthead.config.json'), JSON.stringify({ site: { url: SITE } }, null, 2))
}, 60_000)

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('masthead build with site.url: the published site', { tags: ['slow'] }, () => {
  it('writes the web editions, covers, the archive and the feed, and every link of each email into the site lands on a file and an element', async () => {
    const { code, err } = await run(['build', '-q'])
    expect(err).toBe('')
    expect(code).toBe(0)
    for (const file of [
      'index.html',
      'feed.xml',
      ...SAMPLES.flatMap((slug) => [`${slug}/index.html`, `${slug}/cover.jpg`, `${slug}/print.pdf`])
    ]) {
      expect(existsSync(path.join(project, 'dist', file)), file).toBe(true)
    }
    let followed = 0
    for (const slug of SAMPLES) {
      const html = await readFile(path.join(project, 'dist', slug, 'email.html'), 'utf8')
      const text = await readFile(path.join(project, 'dist', slug, 'email.txt'), 'utf8')
      const links = [
        ...cheerio
          .load(html)('a[href]')
          .toArray()
          .map((a) => a.attribs['href']!),
        ...(text.match(/https?:\/\/\S+/g) ?? [])
      ]
      // No link is left relative: a mail client has nothing to resolve it against.
      for (const link of links) expect(link, `${slug}: ${link}`).toMatch(/^(https?:|mailto:|tel:)/)
      const intoSite = links.filter((link) => link.startsWith(SITE))
      // "View in browser" at least, and in the digest every item's "read more".
      expect(intoSite.length, slug).toBeGreaterThan(slug === '2021-green-silk-road' ? 10 : 0)
      for (const link of intoSite) {
        const { file, fragment } = target(link)
        expect(existsSync(file), `${slug}: ${link} → ${path.relative(project, file)}`).toBe(true)
        if (fragment) {
          const page = cheerio.load(await readFile(file, 'utf8'))
          expect(page(`[id="${fragment}"]`).length, `${slug}: ${link}`).toBe(1)
        }
        followed++
      }
      // The web edition says where it lives.
      const page = cheerio.load(await readFile(path.join(project, 'dist', slug, 'index.html'), 'utf8'))
      expect(page('link[rel="canonical"]').attr('href')).toBe(`${SITE}${slug}/`)
      expect(page('meta[property="og:image"]').attr('content')).toBe(`${SITE}${slug}/cover.jpg`)
    }
    expect(followed).toBeGreaterThan(10)
    // The archive links every issue's web edition and PDF, and the feed each web edition.
    const archive = cheerio.load(await readFile(path.join(project, 'dist', 'index.html'), 'utf8'))
    for (const href of archive('main a[href]')
      .toArray()
      .map((a) => a.attribs['href']!)) {
      expect(existsSync(path.join(project, 'dist', href.endsWith('/') ? path.join(href, 'index.html') : href)), href).toBe(true)
    }
    const feed = await readFile(path.join(project, 'dist', 'feed.xml'), 'utf8')
    expect(feed).toContain(`<link href="${SITE}2021-green-silk-road/"/>`)
  })

  it('skips an issue whose inputs did not change, rebuilds the one that did, and --force rebuilds all', async () => {
    const pdf = (slug: string) => readFile(path.join(project, 'dist', slug, 'print.pdf'))
    const before = await Promise.all(SAMPLES.map(pdf))
    const again = await run(['build', '--json'])
    expect(again.code).toBe(0)
    const summary = (text: string) => (JSON.parse(text) as { issues: Array<{ slug: string; skipped?: boolean; outputs: string[] }> }).issues
    expect(summary(again.out).map((issue) => [issue.slug, issue.skipped ?? false])).toEqual([
      ['2021-green-silk-road', true],
      ['2025-06-harbour-notes', true]
    ])
    // An edit to one issue's text: that issue alone is built again.
    const source = path.join(project, 'issues', SAMPLES[0]!, 'issue.md')
    await writeFile(source, (await readFile(source, 'utf8')).replace('Three things that changed', 'Three things that have changed'))
    const edited = await run(['build', '--json'])
    expect(summary(edited.out).map((issue) => [issue.slug, issue.skipped ?? false])).toEqual([
      ['2021-green-silk-road', true],
      ['2025-06-harbour-notes', false]
    ])
    expect(await pdf(SAMPLES[1]!)).toEqual(before[1])
    // A designer's edit (a stylesheet) is an input of every issue; so is --force.
    await writeFile(
      path.join(project, 'styles', 'web.css'),
      (await readFile(path.join(project, 'styles', 'web.css'), 'utf8')) + '\n/* edited */\n'
    )
    expect(summary((await run(['build', '--json', '--web'])).out).every((issue) => !issue.skipped)).toBe(true)
    expect(summary((await run(['build', '--json', '--web'])).out).every((issue) => issue.skipped)).toBe(true)
    expect(summary((await run(['build', '--json', '--web', '--force'])).out).every((issue) => !issue.skipped)).toBe(true)
    // A flag that adds a file is an input too: after a plain build, --archival builds and writes it.
    expect(summary((await run(['build', '--json', '--pdf', SAMPLES[1]!])).out).map((issue) => issue.skipped ?? false)).toEqual([false])
    const archival = await run(['build', '--json', '--pdf', '--archival', SAMPLES[1]!])
    expect(summary(archival.out).map((issue) => issue.skipped ?? false)).toEqual([false])
    expect(existsSync(path.join(project, 'dist', SAMPLES[1]!, 'print-archival.pdf'))).toBe(true)
    expect(
      summary((await run(['build', '--json', '--pdf', '--archival', SAMPLES[1]!])).out).map((issue) => issue.skipped ?? false)
    ).toEqual([true])
  })
})
