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

  it.each(SAMPLES)('%s under Outlook’s conditional style: system faces on every text element, a serif pull quote, the Apple and format-detection metas', async (slug) => {
    const { email } = await buildSample(slug, {})
    expect(email.html).toContain('<meta name="x-apple-disable-message-reformatting">')
    expect(email.html).toMatch(/<meta name="format-detection" content="telephone=no[^"]*">/)
    const mso = /<!--\[if mso\]>(<style>[\s\S]*?<\/style>)<!\[endif\]-->/.exec(email.html)?.[1]
    expect(mso, 'the Outlook-only <style>').toBeDefined()
    expect(mso).toMatch(/mso-line-height-rule:\s?exactly/)
    // What Word sees: the conditional style applied, as Outlook for Windows applies it.
    const page = await browser.newPage()
    try {
      await page.setContent(email.html.replace('</head>', `${mso!}</head>`), { waitUntil: 'load' })
      const faces = await page.evaluate(() => {
        const face = (element: Element) => getComputedStyle(element).fontFamily.split(',')[0]!.replace(/["']/g, '').trim()
        const text = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, span, td, a')).filter((element) => !element.closest('.quote'))
        return { text: [...new Set(text.map(face))], quotes: Array.from(document.querySelectorAll('.quote')).map(face), quoteCount: document.querySelectorAll('.quote').length }
      })
      expect(faces.text).toEqual([slug.startsWith('2021') ? 'Microsoft YaHei' : 'Segoe UI'])
      expect(faces.quoteCount).toBeGreaterThan(0)
      expect([...new Set(faces.quotes)]).toEqual(['Georgia'])
    } finally {
      await page.close()
    }
  })
})
