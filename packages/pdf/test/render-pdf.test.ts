import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { PDFArray, PDFDict, PDFDocument, PDFName } from 'pdf-lib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fontRoots } from '../src/font-roots.js'
import { launchBrowser, type PdfBrowser } from '../src/launch-browser.js'
import type { PdfMetadata } from '../src/set-metadata.js'
import { pdfOutline } from '../src/toc/pdf-outline.js'
import { fixtureHtml } from './fixture-html.js'
import { poppler, removePopplerFiles } from './poppler.js'

const metadata: PdfMetadata = {
  title: '星火通讯 第12期',
  author: '星火出版社',
  subject: '二〇二五年六月刊',
  keywords: ['通讯', '大事记', 'annual report'],
  lang: 'zh-CN'
}

const render = (
  browser: PdfBrowser,
  name: string,
  extra: { bleed?: boolean; remote?: string } = {}
): ReturnType<PdfBrowser['renderPdf']> => {
  const { html, baseDir } = fixtureHtml(name, extra.remote)
  return browser.renderPdf({
    html,
    baseDir,
    allowedRoots: fontRoots(),
    metadata,
    ...(extra.bleed === undefined ? {} : { bleed: extra.bleed })
  })
}

const near = (actual: number, expected: number, tolerance = 1): void => {
  expect(Math.abs(actual - expected), `${actual} ≈ ${expected}`).toBeLessThanOrEqual(tolerance)
}

const boxes = (info: Record<string, string>, name: string): number[] => (info[name] ?? '').split(/\s+/).map(Number)

const processAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

describe('renderPdf', { tags: ['slow'] }, () => {
  let browser: PdfBrowser

  beforeAll(async () => {
    browser = await launchBrowser()
  })

  afterAll(async () => {
    removePopplerFiles()
    const pid = browser.pid
    await browser.close()
    if (pid !== undefined) expect(processAlive(pid)).toBe(false)
  })

  it('prints A4 with metadata, embedded subset CJK fonts and no Type 3 fonts', async () => {
    const result = await render(browser, 'toc')
    expect(result.diagnostics).toEqual([])
    const pdf = poppler(result.pdf)
    const info = pdf.info()
    const [width = 0, height = 0] = (/([\d.]+) x ([\d.]+) pts/.exec(info['Page size'] ?? '') ?? []).slice(1).map(Number)
    near(width, 595.28)
    near(height, 841.89)
    expect(Number(info.Pages)).toBe(result.pageCount)
    expect(result.pageCount).toBeGreaterThanOrEqual(6)
    expect(result.pageCount).toBeLessThanOrEqual(8)
    expect(info).toMatchObject({
      Title: metadata.title,
      Author: metadata.author,
      Subject: metadata.subject,
      Keywords: '通讯, 大事记, annual report',
      Creator: 'Masthead',
      Producer: 'Masthead',
      Tagged: 'yes'
    })
    const fonts = pdf.fonts()
    expect(fonts.length).toBeGreaterThan(0)
    expect(fonts.filter((font) => font.type.includes('Type 3'))).toEqual([])
    for (const font of fonts) expect(font, font.name).toMatchObject({ emb: 'yes', sub: 'yes', type: 'CID TrueType' })
    expect(fonts.some((font) => font.name.includes('NotoSerifSC'))).toBe(true)
  })

  it('fills the table of contents with the pages the headings landed on', async () => {
    const result = await render(browser, 'toc')
    const pdf = poppler(result.pdf)
    const toc = pdf.pageText(1, true)
    const entries = [...toc.matchAll(/^\s*(\S+)\s{2,}(\d+)\s*$/gm)].map((match) => ({ title: match[1] ?? '', page: Number(match[2]) }))
    expect(entries.map((entry) => entry.title)).toEqual(['要闻', '大事记', '后来的消息', '观点', '附录'])
    expect(result.tocPages).toEqual({
      news: 2,
      milestones: 3,
      late: entries[2]?.page,
      viewpoints: entries[3]?.page,
      appendix: entries[4]?.page
    })
    for (const entry of entries) {
      const lines = (page: number): string[] =>
        pdf
          .pageText(page)
          .split('\n')
          .map((line) => line.trim())
      expect(lines(entry.page), `${entry.title} on page ${entry.page}`).toContain(entry.title)
      if (entry.page > 2) expect(lines(entry.page - 1)).not.toContain(entry.title)
    }
    // Headings land on pages 2, 3, 5… and `late` mid-page, not at a page top.
    expect(new Set(entries.map((entry) => entry.page)).size).toBe(5)
    expect(
      pdf
        .pageText(entries[2]?.page ?? 0)
        .trim()
        .startsWith('后来的消息')
    ).toBe(false)
    expect(result.timings.print.length).toBeLessThanOrEqual(3)
  })

  it('prints once when the remembered pages still hold, and recovers from a wrong hint', async () => {
    const first = await render(browser, 'toc')
    const again = await render(browser, 'toc')
    expect(again.timings.print).toHaveLength(1)
    expect(again.tocPages).toEqual(first.tocPages)
    expect(again.diagnostics).toEqual([])
    const { html, baseDir } = fixtureHtml('toc')
    const wrong = await browser.renderPdf({ html, baseDir, allowedRoots: fontRoots(), metadata, tocHint: { news: 9, milestones: 1 } })
    expect(wrong.timings.print.length).toBeGreaterThanOrEqual(2)
    expect(wrong.tocPages).toEqual(first.tocPages)
    expect(wrong.diagnostics).toEqual([])
    const toc = poppler(wrong.pdf).pageText(1, true)
    expect(toc).toMatch(new RegExp(`要闻\\s+${first.tocPages.news}\\s`))
  })

  it('keeps bookmarks, named destinations and tags through the metadata save', async () => {
    const result = await render(browser, 'toc')
    const doc = await PDFDocument.load(result.pdf)
    const outline = pdfOutline(doc)
    expect(outline.map((entry) => entry.title)).toEqual(
      expect.arrayContaining(['星火通讯', '要闻', '大事记', '后来的消息', '观点', '附录'])
    )
    expect(outline.find((entry) => entry.title === '观点')?.page).toBe(result.tocPages.viewpoints)
    expect(result.bookmarks).toEqual(outline)
    expect(doc.catalog.get(PDFName.of('StructTreeRoot'))).toBeDefined()
    expect(doc.catalog.lookupMaybe(PDFName.of('MarkInfo'), PDFDict)?.get(PDFName.of('Marked'))?.toString()).toBe('true')
    expect(doc.catalog.lookupMaybe(PDFName.of('Dests'), PDFDict)?.get(PDFName.of('news'))).toBeDefined()
    expect(String(doc.catalog.get(PDFName.of('Lang')))).toBe('(zh-CN)')
  })

  it('reports blocked, failed and outside requests, without touching the network', async () => {
    let hits = 0
    const server: Server = createServer((_, response) => {
      hits++
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const remote = `http://127.0.0.1:${(server.address() as AddressInfo).port}/photo.png`
    try {
      const result = await render(browser, 'preflight', { remote })
      const byRule = (ruleId: string): unknown[] => result.diagnostics.filter((d) => d.ruleId === ruleId)
      expect(hits).toBe(0)
      expect(byRule('blocked-request')).toEqual([
        expect.objectContaining({ url: remote, line: 8, column: 1, severity: 'error' }),
        expect.objectContaining({ url: 'file:///etc/hostname', line: 13, reason: expect.stringContaining('outside the allowed folders') })
      ])
      expect(byRule('request-failed')).toEqual([
        expect.objectContaining({
          url: expect.stringMatching(/missing\.png$/),
          line: 12,
          reason: expect.stringContaining('ERR_FILE_NOT_FOUND')
        })
      ])
    } finally {
      server.close()
    }
  })

  it('keeps WebSockets, which request interception cannot see, off the network', async () => {
    let hits = 0
    const server: Server = createServer((_, response) => {
      hits++
      response.end()
    })
    server.on('upgrade', (_, socket: { destroy: () => void }) => {
      hits++
      socket.destroy()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const result = await render(browser, 'websocket', { remote: `ws://127.0.0.1:${(server.address() as AddressInfo).port}/` })
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(hits).toBe(0)
      expect(result.diagnostics.map((d) => d.ruleId)).toContain('console-error')
    } finally {
      server.close()
    }
  })

  it('preflights low-dpi images, overflow, broken links, missing glyphs and TOC targets, with source places', async () => {
    const result = await render(browser, 'preflight')
    const found = result.diagnostics
      // Whether the runes also print as boxes (`glyph-not-drawn`) depends on the machine's
      // fallback fonts; the CLI's issue-13 tests check that rule on text no font here has.
      .filter((d) => !d.ruleId.endsWith('request') && d.ruleId !== 'request-failed' && d.ruleId !== 'glyph-not-drawn')
      .map((d) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}: ${d.reason}`)
    expect(found).toEqual([
      'undefined:undefined warning console-error: Unexpected console error: 自定义错误',
      "undefined:undefined error page-error: Unexpected script error in the print document: Cannot read properties of null (reading 'x')",
      '2:1 error toc-target-missing: Unexpected table-of-contents entry for `#gone`, expected an element with that id',
      '5:1 warning broken-link: Unexpected link to `#nowhere` (“断开的链接”), expected an element with that id',
      // The tests' fontconfig (scripts/vitest-shared.mjs) holds only DejaVu: the same fallback on every machine.
      "19:1 error missing-glyph: Unexpected fallback font `DejaVu Sans` for characters `ᚠᛇᚻ`, expected the document's web fonts to have these glyphs (add a font that has them, or the text prints differently on every machine, possibly as boxes)",
      expect.stringMatching(/^15:1 warning content-overflow: Unexpected content overflowing `<p.narrow>` .* by \d+\.\d mm/),
      expect.stringMatching(/^17:1 error page-overflow: Unexpected `<div.wide>` .* reaching 80\.\d mm outside/),
      '10:3 warning low-resolution-image: Unexpected image resolution of 10 dpi (16×16 px printed at 40×40 mm), expected at least 150 dpi'
    ])
    // sharp.png: 600 px at 40 mm is 381 dpi, not reported.
    expect(result.diagnostics.some((d) => d.url?.endsWith('sharp.png'))).toBe(false)
  })

  it("sees only the tests' fonts: Chinese without a web font has no system CJK font to fall back to, on any machine", async () => {
    const result = await render(browser, 'system-fonts')
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}: ${d.reason}`)).toEqual([
      "3:1 error missing-glyph: Unexpected fallback font `DejaVu Sans` for characters `没有网络字体的中文`, expected the document's web fonts to have these glyphs (add a font that has them, or the text prints differently on every machine, possibly as boxes)",
      // DejaVu has no Chinese glyphs, so the PDF draws them as .notdef: found from the embedded font's ToUnicode map.
      '3:1 error glyph-not-drawn: Unexpected characters `没有网络字体的中文` (U+6CA1, U+6709, U+7F51, …) printed without a glyph (as boxes, or not at all) in “没有网络字体的中文”, expected a font that has them: add one for their script to the print styles (see “Fonts for other scripts” in docs/authoring.md)'
    ])
    const fonts = poppler(result.pdf).fonts()
    // A machine with Noto Sans CJK installed would embed it here, were the test's Chromium to see it.
    expect(fonts.map((font) => [font.name.replace(/^[A-Z]{6}\+/, ''), font.type])).toEqual([['DejaVuSans', 'CID TrueType']])
  })

  it('hands the saved PDF to onSaved before the preflight findings, which follow in the result', async () => {
    const { html, baseDir } = fixtureHtml('preflight')
    const saved: { pdf: Uint8Array; rules: string[] }[] = []
    const result = await browser.renderPdf({
      html,
      baseDir,
      allowedRoots: fontRoots(),
      metadata,
      onSaved: (pdf, diagnostics) => saved.push({ pdf, rules: diagnostics.map((d) => d.ruleId) })
    })
    expect(saved).toHaveLength(1)
    expect(Buffer.from(saved[0]!.pdf).equals(Buffer.from(result.pdf))).toBe(true)
    // Known by then: the table of contents. Not yet: what the preflight asks the page.
    expect(saved[0]!.rules).toContain('toc-target-missing')
    for (const later of ['broken-link', 'missing-glyph', 'content-overflow', 'page-overflow', 'low-resolution-image'] as const) {
      expect(saved[0]!.rules).not.toContain(later)
      expect(result.diagnostics.map((d) => d.ruleId)).toContain(later)
    }
  })

  it('runs the press checks when asked: 300 dpi, RGB images noted, hairlines, at their source lines', async () => {
    const { html, baseDir } = fixtureHtml('press')
    const plain = await browser.renderPdf({ html, baseDir, allowedRoots: fontRoots(), metadata })
    expect(plain.diagnostics).toEqual([])
    const result = await browser.renderPdf({ html, baseDir, allowedRoots: fontRoots(), metadata, press: true })
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}: ${d.reason}`)).toEqual([
      '5:1 warning press-low-resolution-image: Unexpected image resolution of 191 dpi for the press (600×400 px printed at 80×53 mm), expected at least 300 dpi',
      '3:1 info press-rgb-image: Image `sharp.png` is RGB: converted to CMYK for FOGRA39 (perceptual) in the press file; check its colours on the proof',
      '5:1 info press-rgb-image: Image `sharp.png` is RGB: converted to CMYK for FOGRA39 (perceptual) in the press file; check its colours on the proof',
      '9:1 warning hairline: Unexpected stroke of `<line>` of 0.15 pt, expected at least 0.25 pt: thinner lines may not print'
    ])
  })

  it('flags synthetic bold and the Type 3 font it produces', async () => {
    const result = await render(browser, 'synthetic-bold')
    expect(result.diagnostics.map((d) => [d.ruleId, d.line ?? d.page])).toEqual([
      ['synthetic-style', 3],
      ['type3-font', 1]
    ])
    expect(
      poppler(result.pdf)
        .fonts()
        .some((font) => font.type === 'Type 3')
    ).toBe(true)
  })

  it('adds 3 mm bleed and crop marks, keeping links and tags', async () => {
    const result = await render(browser, 'bleed', { bleed: true })
    expect(result.diagnostics).toEqual([])
    const info = poppler(result.pdf).info('-box')
    const [tx0 = 0, ty0 = 0, tx1 = 0, ty1 = 0] = boxes(info, 'TrimBox')
    const [bx0 = 0, by0 = 0, bx1 = 0, by1 = 0] = boxes(info, 'BleedBox')
    const [mx0 = 0, , mx1 = 0] = boxes(info, 'MediaBox')
    const bleed = (3 * 72) / 25.4
    near(tx1 - tx0, 595.28)
    near(ty1 - ty0, 841.89)
    near(tx0 - bx0, bleed, 0.01)
    near(ty0 - by0, bleed, 0.01)
    near(bx1 - tx1, bleed, 0.01)
    near(by1 - ty1, bleed, 0.01)
    expect(mx1 - mx0).toBeGreaterThan(bx1 - bx0 + 2 * 10)
    const doc = await PDFDocument.load(result.pdf)
    expect(doc.getPages()[0]?.node.lookupMaybe(PDFName.of('Annots'), PDFArray)?.size()).toBe(1)
    expect(doc.catalog.get(PDFName.of('StructTreeRoot'))).toBeDefined()
    expect(pdfOutline(doc).length).toBeGreaterThan(0)
  })

  it('warns when the layout ignores --bleed', async () => {
    const result = await render(browser, 'synthetic-bold', { bleed: true })
    expect(result.diagnostics.map((d) => d.ruleId)).toContain('bleed-ignored')
    const info = poppler(result.pdf).info('-box')
    const [tx0 = 0, , tx1 = 0] = boxes(info, 'TrimBox')
    near(tx1 - tx0, 595.28)
  })

  it('reuses the page for warm renders without letting cached files past a new policy', async () => {
    const { html, baseDir } = fixtureHtml('toc')
    const first = await render(browser, 'toc')
    const warm = await render(browser, 'toc')
    expect(warm.diagnostics).toEqual([])
    expect(warm.tocPages).toEqual(first.tocPages)
    const strict = await browser.renderPdf({ html, baseDir, allowedRoots: [], metadata })
    expect(strict.diagnostics.filter((d) => d.ruleId === 'blocked-request').map((d) => d.url)).toEqual([
      expect.stringMatching(/noto-serif-sc\/400\.css$/),
      expect.stringMatching(/noto-serif-sc\/700\.css$/)
    ])
    expect(strict.diagnostics.some((d) => d.ruleId === 'missing-glyph')).toBe(true)
  })

  it('loads the document afresh with `fresh`: a stylesheet changed on disk since the last render prints its new content', async () => {
    const baseDir = await mkdtemp(path.join(os.tmpdir(), 'masthead-fresh-'))
    try {
      const html =
        '<!doctype html><html lang="en"><head><link rel="stylesheet" href="look.css"></head><body><p class="mark">Edition</p></body></html>'
      const look = (word: string) => writeFile(path.join(baseDir, 'look.css'), `.mark::after { content: " ${word}"; }\n`)
      const text = async (fresh: boolean) =>
        poppler((await browser.renderPdf({ html, baseDir, allowedRoots: [], metadata, fresh })).pdf).pageText(1)
      await look('Autumn')
      expect(await text(false)).toContain('Edition Autumn')
      await look('Winter')
      // Over the warm page the stylesheet comes from Chromium's memory cache: why `fresh` exists.
      expect(await text(false)).toContain('Edition Autumn')
      expect(await text(true)).toContain('Edition Winter')
    } finally {
      await rm(baseDir, { recursive: true, force: true })
    }
  })

  it('queues concurrent renders on the one browser', async () => {
    const [a, b] = await Promise.all([render(browser, 'synthetic-bold'), render(browser, 'bleed', { bleed: true })])
    expect(a.pageCount).toBe(1)
    expect(b.pageCount).toBe(2)
    expect(b.diagnostics).toEqual([])
  })

  it('times out with a clear error and keeps working afterwards', async () => {
    const { html, baseDir } = fixtureHtml('toc')
    await expect(browser.renderPdf({ html, baseDir, allowedRoots: fontRoots(), metadata, timeout: 1 })).rejects.toThrowError(
      /Rendering `星火通讯 第12期` took longer than 1 ms; raise `renderTimeout`/
    )
    const again = await render(browser, 'toc')
    expect(again.diagnostics).toEqual([])
  })
})

describe('a crashed browser', { tags: ['slow'] }, () => {
  it('rejects renders with a clear error and closes cleanly', async () => {
    const browser = await launchBrowser()
    const pid = browser.pid
    expect(pid).toBeTypeOf('number')
    process.kill(pid ?? 0, 'SIGKILL')
    await new Promise((resolve) => setTimeout(resolve, 300))
    await expect(render(browser, 'synthetic-bold')).rejects.toThrowError(
      /browser is closed \(or Chromium crashed\)|Cannot print|Chromium exited while printing `.*` \(it crashed or was killed\)/
    )
    await browser.close()
    await browser.close()
    expect(processAlive(pid ?? 0)).toBe(false)
  })
})

describe('allow-listed origins', { tags: ['slow'] }, () => {
  it('fetches from an allowed origin, through the dead proxy, and still blocks the rest', async () => {
    const hits: string[] = []
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=', 'base64')
    const server: Server = createServer((request, response) => {
      hits.push(request.url ?? '')
      response.writeHead(200, { 'content-type': 'image/png' }).end(png)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    const browser = await launchBrowser({ allowedOrigins: [origin] })
    try {
      const result = await render(browser, 'preflight', { remote: `${origin}/photo.png` })
      expect(hits).toEqual(['/photo.png'])
      const blocked = result.diagnostics.filter((d) => d.ruleId === 'blocked-request').map((d) => d.url)
      expect(blocked).toEqual(['file:///etc/hostname'])
    } finally {
      await browser.close()
      server.close()
    }
  })

  it('refuses an origin with a path', async () => {
    await expect(launchBrowser({ allowedOrigins: ['https://example.org/fonts'] })).rejects.toThrowError(
      'Unexpected allowed origin `https://example.org/fonts`, expected a scheme and host such as `https://images.example.org` (no path)'
    )
    // Proxy-bypass patterns would let every host (or every subdomain) past the dead proxy.
    for (const pattern of ['http://*', 'https://*.example.org', 'https://.example.org']) {
      await expect(launchBrowser({ allowedOrigins: [pattern] })).rejects.toThrowError(`Unexpected allowed origin \`${pattern}\``)
    }
  })
})

describe('a browser that dies or hangs mid-render', { tags: ['slow'] }, () => {
  const busy = (ms: number | 'forever'): { html: string; baseDir: string } => ({
    html: `<!doctype html><html><body><p>Busy</p><script>${ms === 'forever' ? 'for (;;) {}' : `const t = Date.now(); while (Date.now() - t < ${ms}) {}`}</script></body></html>`,
    baseDir: fixtureHtml('toc').baseDir
  })

  it('says Chromium exited when it is killed while printing', async () => {
    const browser = await launchBrowser()
    const pid = browser.pid ?? 0
    const rendering = browser.renderPdf({ ...busy(4000), allowedRoots: [], metadata })
    rendering.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    process.kill(pid, 'SIGKILL')
    await expect(rendering).rejects.toThrowError('Chromium exited while printing `星火通讯 第12期` (it crashed or was killed)')
    await browser.close()
    expect(processAlive(pid)).toBe(false)
  })

  it('closes at once while a render hangs, without waiting for it', async () => {
    const browser = await launchBrowser({ renderTimeout: 60_000 })
    const pid = browser.pid ?? 0
    const rendering = browser.renderPdf({ ...busy('forever'), allowedRoots: [], metadata })
    rendering.catch(() => undefined)
    await new Promise((resolve) => setTimeout(resolve, 1500))
    const started = performance.now()
    await browser.close()
    expect(performance.now() - started).toBeLessThan(6000)
    await expect(rendering).rejects.toThrowError(/^Cannot print `星火通讯 第12期`: /)
    expect(processAlive(pid)).toBe(false)
  })
})

describe('launchBrowser', { tags: ['slow'] }, () => {
  it('says which binary failed to start', async () => {
    await expect(launchBrowser({ executablePath: '/bin/false', launchTimeout: 5000 })).rejects.toThrowError(
      /Cannot start Chromium at `\/bin\/false`; check that `\/bin\/false --headless --version` runs/
    )
  })
})
