import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { launchTestBrowser } from '../../../scripts/test-browser.mjs'
import type { Browser } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SAMPLES, buildSample, root } from './sample.js'

/** Screenshots land here for a person to look at (`MASTHEAD_EMAIL_SHOTS=dir`), else in a temp folder. */
const SHOTS = process.env['MASTHEAD_EMAIL_SHOTS']

describe('the sample emails in headless Chromium', { tags: ['slow'] }, () => {
  let browser: Browser
  let dir: string
  let closeBrowser: (() => Promise<void>) | undefined

  beforeAll(async () => {
    ;({ browser, dir, close: closeBrowser } = await launchTestBrowser('masthead-email-shots-'))
  })

  afterAll(async () => {
    await closeBrowser?.()
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
            widest: Math.max(
              ...Array.from(document.querySelectorAll('img, table')).map((element) => element.getBoundingClientRect().right)
            ),
            broken: Array.from(document.images)
              .filter((image) => !image.complete || image.naturalWidth === 0)
              .map((image) => image.src)
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

  it.each(SAMPLES)(
    '%s under Outlook’s conditional style: system faces on every text element, a serif pull quote, the Apple and format-detection metas',
    async (slug) => {
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
          const text = Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6, p, li, span, td, a')).filter(
            (element) => !element.closest('.quote')
          )
          return {
            text: [...new Set(text.map(face))],
            quotes: Array.from(document.querySelectorAll('.quote')).map(face),
            quoteCount: document.querySelectorAll('.quote').length
          }
        })
        expect(faces.text).toEqual([slug.startsWith('2021') ? 'Microsoft YaHei' : 'Segoe UI'])
        expect(faces.quoteCount).toBeGreaterThan(0)
        expect([...new Set(faces.quotes)]).toEqual(['Georgia'])
      } finally {
        await page.close()
      }
    }
  )

  it.each(
    SAMPLES.flatMap(
      (slug) =>
        [
          [slug, 'full'],
          [slug, 'digest']
        ] as const
    )
  )('%s in %s mode: every text and its background reach 4.5:1 in light and dark mode', async (slug, mode) => {
    // With a web edition, so that the digest has its button and its "read more" links.
    const { email } = await buildSample(slug, { mode, unsubscribeUrl: 'https://example.org/unsubscribe' }, (issue) => ({
      ...issue,
      meta: { ...issue.meta, url: 'https://example.org/issues/x/' }
    }))
    if (mode === 'digest') expect(email.html).toContain('https://example.org/issues/x/?utm_')
    const page = await browser.newPage()
    try {
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }])
        await page.setContent(email.html, { waitUntil: 'load' })
        const low = await page.evaluate(() => {
          type Rgba = [number, number, number, number]
          const parse = (value: string): Rgba => {
            const parts = /rgba?\(([^)]+)\)/
              .exec(value)?.[1]
              ?.split(/[,\s/]+/)
              .filter(Boolean)
              .map(Number) ?? [0, 0, 0, 0]
            return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1]
          }
          const luminance = ([r, g, b]: Rgba) => {
            const channel = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
            return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
          }
          const background = (element: Element | null): Rgba => {
            for (let node = element; node; node = node.parentElement) {
              const colour = parse(getComputedStyle(node).backgroundColor)
              if (colour[3] > 0) return colour
              const attribute = node.getAttribute('bgcolor')
              if (attribute) {
                const probe = document.createElement('i')
                probe.style.color = attribute
                document.body.append(probe)
                const value = parse(getComputedStyle(probe).color)
                probe.remove()
                return value
              }
            }
            return [255, 255, 255, 1]
          }
          const found: string[] = []
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const element = node.parentElement
            if (!element || !node.textContent?.trim()) continue
            const rect = element.getBoundingClientRect()
            const style = getComputedStyle(element)
            if (
              rect.width === 0 ||
              rect.height === 0 ||
              style.visibility === 'hidden' ||
              style.display === 'none' ||
              Number(style.opacity) === 0
            )
              continue
            if (element.closest('[style*="max-height:0"], [style*="max-height: 0"]')) continue
            const [l1, l2] = [luminance(parse(style.color)), luminance(background(element))]
            const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)
            if (ratio < 4.5)
              found.push(
                `${ratio.toFixed(2)}:1 ${style.color} on ${getComputedStyle(element).backgroundColor} «${node.textContent.trim().slice(0, 30)}» (${element.tagName.toLowerCase()}.${element.className})`
              )
          }
          return found
        })
        expect(low, scheme).toEqual([])
      }
    } finally {
      await page.close()
    }
  })
})
