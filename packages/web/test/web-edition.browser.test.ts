import { readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Issue } from '@masthead/core'
import { buildEmail, loadEmailStyles } from '@masthead/email'
import { createLayout, loadSectionTypes } from '@masthead/layout'
import * as cheerio from 'cheerio'
import { launchTestBrowser } from '../../../scripts/test-browser.mjs'
import type { Browser, Page } from 'puppeteer-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildArchive, renderCover, siteIssue, readStyles, COVER_WIDTH } from '../src/index.js'
import { SAMPLES, SITE, buildWeb, printHtml, root, sampleIssue, writeEdition } from './sample.js'

/** Screenshots land here for a person to look at (`MASTHEAD_WEB_SHOTS=dir`). */
const SHOTS = process.env['MASTHEAD_WEB_SHOTS']
const WIDTHS = [320, 768, 1280] as const
const AXE = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')
// This machine has no CJK fonts: the pages get the @fontsource ones, so what is measured is what a reader with them sees.
const FONTS = ['noto-sans-sc', 'noto-serif-sc'].map(
  (name) => pathToFileURL(path.join(root, 'node_modules/@fontsource', name, '400.css')).href
)

interface AxeViolation {
  id: string
  impact: string | null
  nodes: Array<{ target: unknown }>
}

async function open(page: Page, file: string, width: number): Promise<void> {
  await page.setViewport({ width, height: 800 })
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
  for (const url of FONTS) await page.addStyleTag({ url })
  await page.evaluate(async () => {
    await document.fonts.ready
    // Lazy images load as they scroll into view: load them all to check them.
    for (const image of Array.from(document.images)) image.loading = 'eager'
    await Promise.all(Array.from(document.images).map((image) => image.decode().catch(() => undefined)))
  })
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE })
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: AxeViolation[] }> } }).axe
    return (await axe.run(document, { resultTypes: ['violations'] })).violations
  })
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${JSON.stringify(v.nodes.map((node) => node.target))}`)
}

/** Every id an email may link to: sections, items, timeline entries. */
function anchors(issue: Issue): string[] {
  return issue.sections.flatMap((section) => [
    section.id,
    ...section.items.map((item) => item.id),
    ...section.entries.map((entry) => entry.id)
  ])
}

describe('the web edition in headless Chromium', { tags: ['slow'] }, () => {
  let browser: Browser
  let dir: string
  let closeBrowser: (() => Promise<void>) | undefined

  beforeAll(async () => {
    ;({ browser, dir, close: closeBrowser } = await launchTestBrowser('masthead-web-'))
  })

  afterAll(async () => {
    await closeBrowser?.()
  })

  it.each(SAMPLES)(
    '%s: no horizontal scroll at 320, 768 and 1280 px, every image loads, no serious or critical axe violation',
    async (slug) => {
      const issue = await sampleIssue(slug)
      const web = await buildWeb(issue)
      const folder = path.join(dir, 'site', slug)
      await writeEdition(folder, web)
      const page = await browser.newPage()
      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(String(error)))
      try {
        for (const width of WIDTHS) {
          await open(page, path.join(folder, 'index.html'), width)
          const metrics = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
            // Anything sticking out to the right of the viewport (a wide table, a long URL).
            widest: Math.max(
              ...Array.from(document.querySelectorAll('main *, header *')).map((element) => element.getBoundingClientRect().right)
            ),
            broken: Array.from(document.images)
              .filter((image) => image.naturalWidth === 0)
              .map((image) => image.src),
            images: document.images.length
          }))
          expect(metrics.scroll, `${slug} at ${width}px`).toBeLessThanOrEqual(metrics.client)
          expect(metrics.widest, `${slug} at ${width}px`).toBeLessThanOrEqual(width + 0.5)
          expect(metrics.broken).toEqual([])
          expect(metrics.images).toBeGreaterThan(0)
          expect(await seriousViolations(page), `${slug} at ${width}px`).toEqual([])
          if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `${slug}-${width}.png`), fullPage: true })
        }
        expect(errors).toEqual([])
      } finally {
        await page.close()
      }
    }
  )

  it.each(SAMPLES)('%s: landmarks, one h1, headings without gaps, lang, a skip link to <main>, every anchor once', async (slug) => {
    const issue = await sampleIssue(slug)
    const web = await buildWeb(issue)
    const folder = path.join(dir, 'structure', slug)
    await writeEdition(folder, web)
    const page = await browser.newPage()
    try {
      await open(page, path.join(folder, 'index.html'), 768)
      const found = await page.evaluate(
        (ids) => ({
          lang: document.documentElement.lang,
          landmarks: ['header', 'nav', 'main', 'footer'].filter((name) => document.querySelector(name)),
          h1: document.querySelectorAll('h1').length,
          levels: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((heading) => Number(heading.tagName[1])),
          skip: document.querySelector('a.skip-link')?.getAttribute('href'),
          main: document.querySelector('main')?.id,
          counts: ids.map((id) => document.querySelectorAll(`[id="${CSS.escape(id)}"]`).length)
        }),
        anchors(issue)
      )
      expect(found.lang).toBe(issue.meta.lang)
      expect(found.landmarks).toEqual(['header', 'nav', 'main', 'footer'])
      expect(found.h1).toBe(1)
      expect(found.levels[0]).toBe(1)
      for (const [index, level] of found.levels.entries())
        if (index > 0) expect(level - found.levels[index - 1]!, `heading ${index}`).toBeLessThanOrEqual(1)
      expect(found.skip).toBe('#main')
      expect(found.main).toBe('main')
      expect(found.counts).toEqual(anchors(issue).map(() => 1))
      // The skip link is the first thing a keyboard reaches.
      await page.keyboard.press('Tab')
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link')
    } finally {
      await page.close()
    }
  })

  it.each(SAMPLES)('%s: every link of its email, digest and full, into the web edition lands on an element of the page', async (slug) => {
    const issue = await sampleIssue(slug)
    const web = await buildWeb(issue)
    const page$ = cheerio.load(String(web.outputs.get('index.html')))
    const templates = path.join(root, 'templates')
    const { types } = await loadSectionTypes(templates)
    const { layout } = await createLayout({ templatesDir: templates, stylesDir: path.join(root, 'styles'), types })
    const styles = await loadEmailStyles(path.join(root, 'styles'))
    const edition = issue.meta.url!
    let followed = 0
    for (const mode of ['digest', 'full'] as const) {
      const email = await buildEmail({
        issue,
        render: (emailIssue) => layout.render('email', emailIssue),
        config: { styles, mode, utm: false }
      })
      const hrefs = cheerio
        .load(email.html)('a[href]')
        .toArray()
        .map((a) => a.attribs['href']!)
      const textUrls = email.text.match(/https?:\/\/\S+/g) ?? []
      for (const href of [...hrefs, ...textUrls].filter((url) => url.startsWith(edition))) {
        const fragment = decodeURIComponent(new URL(href).hash.slice(1))
        if (fragment !== '') expect(page$(`[id="${fragment}"]`).length, `${mode}: ${href}`).toBe(1)
        followed++
      }
    }
    // The digest links "view in browser" and every item to the web edition.
    expect(followed).toBeGreaterThan(issue.sections.flatMap((section) => section.items).length)
  })

  it("renders the cover from the PDF's first page, and the archive lists both samples with it, newest first", async () => {
    const issues = await Promise.all(SAMPLES.map((slug) => sampleIssue(slug)))
    const site = path.join(dir, 'archive')
    const page = await browser.newPage()
    try {
      for (const issue of issues) {
        await writeFile(
          path.join(dir, `${issue.slug}.print.html`),
          (await printHtml(issue)).replace('<head>', `<head><base href="${pathToFileURL(issue.dir).href}/">`)
        )
        await page.goto(pathToFileURL(path.join(dir, `${issue.slug}.print.html`)).href, { waitUntil: 'load' })
        await page.evaluate(() => document.fonts.ready)
        const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true })
        const cover = await renderCover(pdf)
        const meta = await sharp(cover).metadata()
        expect(meta.format).toBe('jpeg')
        expect(meta.width).toBe(COVER_WIDTH)
        // A4: 210 × 297.
        expect(Math.abs(meta.height! / meta.width! - 297 / 210)).toBeLessThan(0.01)
        await writeEdition(path.join(site, issue.slug), await buildWeb(issue, true))
        await writeFile(path.join(site, issue.slug, 'cover.jpg'), cover)
      }
      const css = await readStyles(path.join(root, 'styles', 'web.css'))
      await writeFile(
        path.join(site, 'index.html'),
        buildArchive(
          issues.map((issue) => siteIssue(issue, { cover: true, pdf: false })),
          { css, siteUrl: SITE }
        )
      )
      for (const width of WIDTHS) {
        await open(page, path.join(site, 'index.html'), width)
        const found = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
          titles: Array.from(document.querySelectorAll('.archive-title a')).map((a) => a.getAttribute('href')),
          covers: Array.from(document.querySelectorAll<HTMLImageElement>('.archive-cover img')).map((image) => image.naturalWidth)
        }))
        expect(found.scroll).toBeLessThanOrEqual(found.client)
        expect(found.titles).toEqual(['2025-06-harbour-notes/', '2021-green-silk-road/'])
        expect(found.covers).toEqual([COVER_WIDTH, COVER_WIDTH])
        expect(await seriousViolations(page), `archive at ${width}px`).toEqual([])
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `archive-${width}.png`), fullPage: true })
      }
      // Each web edition names its cover for link previews.
      const harbour = await readFile(path.join(site, '2025-06-harbour-notes', 'index.html'), 'utf8')
      expect(cheerio.load(harbour)('meta[property="og:image"]').attr('content')).toBe(`${SITE}2025-06-harbour-notes/cover.jpg`)
    } finally {
      await page.close()
    }
  })
})
