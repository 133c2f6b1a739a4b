/**
 * The real-clients matrix: each issue's email as mail clients show it: as sent, with its
 * `<style>` removed, rewritten as Gmail does, with images blocked, and in dark mode, at 320,
 * 375 and 600 px. Each view must scroll only vertically, show every text, and give every
 * text 4.5:1 against its background. One browser, one page, reused throughout.
 */
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { launchTestBrowser } from '../../../scripts/test-browser.mjs'
import type { Browser, Page } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmailBuild } from '../src/index.js'
import { gmailLike, withoutStyles } from './client-rewrites.js'
import { inspectEmailPage } from './inspect-email-page.js'
import { SAMPLES, buildFolderEmail, buildSample, root } from './sample.js'

const WIDTHS = [320, 375, 600] as const
const CORPUS = path.join(root, 'packages/cli/test/corpus')
/** Screenshots of every view at every width land here for a person to look at (`MASTHEAD_EMAIL_SHOTS=dir`). */
const SHOTS = process.env['MASTHEAD_EMAIL_SHOTS']
/**
 * Every view loads Noto Sans SC from its npm package (after the client's rewrite, as a
 * reader's own fonts would be there), so that Chinese text has its real widths whatever
 * fonts the machine has; without it Chinese falls back to boxes of no real width.
 */
const CJK_FONT = `<link rel="stylesheet" href="${pathToFileURL(path.join(root, 'node_modules/@fontsource/noto-sans-sc/400.css')).href}">`

interface View {
  name: string
  rewrite: (html: string) => string
  scheme: 'light' | 'dark'
  images: boolean
}

const VIEWS: View[] = [
  { name: 'as sent', rewrite: (html) => html, scheme: 'light', images: true },
  { name: 'styles removed', rewrite: withoutStyles, scheme: 'light', images: true },
  { name: 'Gmail-like', rewrite: (html) => gmailLike(html), scheme: 'light', images: true },
  { name: 'images blocked', rewrite: (html) => html, scheme: 'light', images: false },
  { name: 'dark mode', rewrite: (html) => html, scheme: 'dark', images: true }
]

describe('the real-clients matrix', { tags: ['slow'] }, () => {
  let browser: Browser
  let page: Page
  let dir: string
  let closeBrowser: (() => Promise<void>) | undefined
  let blockImages = false

  beforeAll(async () => {
    ;({ browser, dir, close: closeBrowser } = await launchTestBrowser('masthead-email-clients-'))
    page = await browser.newPage()
    await page.setRequestInterception(true)
    page.on('request', (request) => {
      if (!request.url().startsWith('file:') || (blockImages && request.resourceType() === 'image')) void request.abort()
      else void request.continue()
    })
  })

  afterAll(async () => {
    await closeBrowser?.()
  })

  /** Write the email and its images (URL assets, as a file: folder) and go through every view at every width. */
  async function matrix(name: string, email: EmailBuild): Promise<string[]> {
    const folder = path.join(dir, name)
    await mkdir(folder, { recursive: true })
    for (const asset of email.assets) await writeFile(path.join(folder, asset.filename), asset.content)
    const problems: string[] = []
    for (const view of VIEWS) {
      const file = path.join(folder, `${view.name.replace(/\W+/g, '-')}.html`)
      const html = view.rewrite(email.html)
      await writeFile(file, html.replace('</head>', `${CJK_FONT}</head>`))
      blockImages = !view.images
      await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: view.scheme }])
      for (const width of WIDTHS) {
        await page.setViewport({ width, height: 700 })
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
        await page.evaluate(() => document.fonts.ready)
        const report = await page.evaluate(inspectEmailPage)
        const at = `${name}, ${view.name}, ${width} px`
        const cjkLoaded = await page.evaluate(() => {
          let loaded = !/\p{Script=Han}/u.test(document.body.innerText)
          document.fonts.forEach((face) => {
            if (face.family.replaceAll('"', '') === 'Noto Sans SC' && face.status === 'loaded') loaded = true
          })
          return loaded
        })
        if (!cjkLoaded) problems.push(`${at}: Noto Sans SC did not load`)
        if (report.scrollWidth > report.clientWidth)
          problems.push(`${at}: scrolls sideways (${report.scrollWidth} > ${report.clientWidth})`)
        problems.push(...report.invisible.map((text) => `${at}: ${text}`), ...report.lowContrast.map((text) => `${at}: ${text}`))
        if (SHOTS) {
          await mkdir(SHOTS, { recursive: true })
          await page.screenshot({
            path: path.join(SHOTS, `${name}-${view.name.replace(/\W+/g, '-')}-${width}.png`) as `${string}.png`,
            fullPage: true
          })
        }
      }
    }
    return problems
  }

  const assetsFor = (name: string) => ({
    assets: { mode: 'url' as const, baseUrl: pathToFileURL(path.join(dir, name)).href + '/' },
    unsubscribeUrl: 'https://example.org/unsubscribe'
  })

  it.each(SAMPLES)('%s: every view, every width', async (slug) => {
    const { email } = await buildSample(slug, assetsFor(slug))
    expect(await matrix(slug, email)).toEqual([])
  })

  it.each(SAMPLES)('%s as a digest (button, read-more links): every view, every width', async (slug) => {
    const name = `${slug}-digest`
    const { email } = await buildSample(slug, { ...assetsFor(name), mode: 'digest' }, (issue) => ({
      ...issue,
      meta: { ...issue.meta, url: 'https://example.org/issues/x/' }
    }))
    expect(email.html).toContain('button-link')
    expect(await matrix(name, email)).toEqual([])
  })

  it('the corpus issues (packages/cli/test/corpus): every view, every width', async () => {
    const names = (await readdir(CORPUS, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
    expect(names.length).toBeGreaterThanOrEqual(5)
    const problems: string[] = []
    for (const name of names) {
      const { email } = await buildFolderEmail(path.join(CORPUS, name), assetsFor(name))
      problems.push(...(await matrix(name, email)))
    }
    expect(problems).toEqual([])
  })

  it('the digest button is one link over its whole area, and Outlook gets spacers inside that link', async () => {
    const { email } = await buildSample('2025-06-harbour-notes', { mode: 'digest' }, (issue) => ({
      ...issue,
      meta: { ...issue.meta, url: 'https://example.org/issues/x/' }
    }))
    expect(email.html).toMatch(
      /<a class="button-link" href="[^"]+"[^>]*><!--\[if mso\]><i style="mso-font-width:150%;mso-text-raise:24px" hidden>&emsp;<\/i><!\[endif\]--><span style="mso-text-raise:12px">/
    )
    await page.setContent(email.html, { waitUntil: 'load' })
    const boxes = await page.evaluate(() => {
      const link = document.querySelector('a.button-link')!
      const box = (element: Element) =>
        element.getBoundingClientRect().toJSON() as { width: number; height: number; left: number; top: number }
      return { link: box(link), cell: box(link.closest('td')!) }
    })
    expect(boxes.link.height).toBeGreaterThan(40)
    expect(boxes.link).toEqual(boxes.cell)
  })
})
