import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Browser } from 'puppeteer-core'
import puppeteer from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLES, buildSample, root } from './sample.js'

const CHROMIUM = process.env['MASTHEAD_CHROMIUM'] ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'
/** Screenshots land here for a person to look at (`MASTHEAD_EMAIL_SHOTS=dir`), else in a temp folder. */
const SHOTS = process.env['MASTHEAD_EMAIL_SHOTS']

describe('the sample emails in headless Chromium', { tags: ['slow'] }, () => {
  let browser: Browser
  let dir: string

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'masthead-email-shots-'))
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      userDataDir: path.join(dir, 'profile'),
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
    })
  })

  afterAll(async () => {
    await browser?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it.each(SAMPLES)('%s has no horizontal scroll at 375 px and fits 600 px, light and dark', async (slug) => {
    // Images by file URL so the browser shows them; a CJK web font, as this machine has none.
    const assets = path.join(dir, slug)
    await mkdir(assets, { recursive: true })
    const { email } = await buildSample(slug, { assets: { mode: 'url', baseUrl: pathToFileURL(assets).href + '/' } })
    for (const asset of email.assets) await writeFile(path.join(assets, asset.filename), asset.content)
    const font = pathToFileURL(path.join(root, 'node_modules/@fontsource/noto-sans-sc/400.css')).href
    const file = path.join(assets, 'email.html')
    await writeFile(file, email.html.replace('</head>', `<link rel="stylesheet" href="${font}"></head>`))

    const page = await browser.newPage()
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(String(error)))
    try {
      for (const width of [375, 600]) {
        for (const scheme of ['light', 'dark'] as const) {
          await page.setViewport({ width, height: 800 })
          await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }])
          await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
          const metrics = await page.evaluate(() => ({
            scroll: document.documentElement.scrollWidth,
            client: document.documentElement.clientWidth,
            widest: Math.max(...Array.from(document.querySelectorAll('img, table')).map((element) => element.getBoundingClientRect().right)),
            broken: Array.from(document.images).filter((image) => !image.complete || image.naturalWidth === 0).map((image) => image.src)
          }))
          expect(metrics.scroll, `${width}px ${scheme}`).toBeLessThanOrEqual(metrics.client)
          expect(metrics.widest).toBeLessThanOrEqual(width)
          expect(metrics.broken).toEqual([])
          if (SHOTS) {
            await mkdir(SHOTS, { recursive: true })
            await page.screenshot({ path: path.join(SHOTS, `${slug}-${width}-${scheme}.png`) as `${string}.png`, fullPage: true })
          }
        }
      }
      expect(errors).toEqual([])
    } finally {
      await page.close()
    }
  })
})
