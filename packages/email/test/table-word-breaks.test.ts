/**
 * Issue 14, item 5: Chinese names in a narrow table column broke inside words at 375 px
 * (法国海岸保护|署, 序|号). Each rendered line of each Chinese cell is read back with Range
 * rects in headless Chromium, with Noto Sans SC loaded (the test machines have no CJK
 * fonts), and each line must start between two words of the fixture, segmented by hand
 * (ICU's dictionary, which the email uses, lacks some of them: 荷兰|水|务|局|联合|会).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { launchTestBrowser } from '../../../scripts/test-browser.mjs'
import type { Browser } from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildIssueEmail, markdownIssue, root } from './sample.js'

const SHOTS = process.env['MASTHEAD_EMAIL_SHOTS']
const CJK_FONT = `<link rel="stylesheet" href="${pathToFileURL(path.join(root, 'node_modules/@fontsource/noto-sans-sc/400.css')).href}">`
const FM = '---\ntitle: 绿色城市简讯\nissue: 特刊\ndate: 2026-05-20\nlang: zh-CN\npublisher: 秘书处\n---\n\n'
/** The fixture's cells, word by word (`|`): a line may start only after a `|`. */
const HEADER = ['序号', '中文|名称', 'English name', '国家|/|地区']
const ROWS = [
  ['1', '法国|海岸|保护署', 'Conservatoire du littoral', '法国'],
  ['2', '荷兰|水务局|联合会', 'Dutch Water Authorities', '荷兰'],
  ['3', '城市|绿色|转型|合作|网络|秘书处', 'Secretariat of the Urban Green Transition Network', '中国'],
  ['4', '沿海|城市|韧性|项目', 'Coastal Cities Resilience Programme', '英国']
]
const WORDS = new Map([HEADER, ...ROWS].flat().map((cell) => [cell.replaceAll('|', ''), cell.split('|')]))
const table = (rows: string[][]) =>
  '::table{widths="6 30 50 14" lang="- - en -"}\n' +
  [HEADER, ['---', '---', '---', '---'], ...rows]
    .map((row) => `| ${row.map((cell) => cell.replaceAll('|', '')).join(' | ')} |`)
    .join('\n') +
  '\n'

/** Per Chinese cell: its text and the offsets at which its second, third… rendered line starts. */
function renderedLines(): { text: string; starts: number[] }[] {
  return Array.from(document.querySelectorAll('.data-table th, .data-table td'))
    .filter((cell) => /\p{Script=Han}/u.test(cell.textContent ?? '') && !cell.closest('[lang]:not([lang^="zh"])'))
    .map((cell) => {
      const starts: number[] = []
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT)
      let offset = 0
      let lastTop: number | undefined
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let at = 0; at < node.textContent!.length; at++, offset++) {
          const range = document.createRange()
          range.setStart(node, at)
          range.setEnd(node, at + 1)
          const rect = range.getClientRects()[0]
          if (!rect || /\s/.test(node.textContent![at]!)) continue
          if (lastTop !== undefined && rect.top > lastTop + rect.height / 2) starts.push(offset)
          lastTop = rect.top
        }
      }
      return { text: cell.textContent ?? '', starts }
    })
}

describe('Chinese table cells in the email at 375 px', { tags: ['slow'] }, () => {
  let browser: Browser
  let dir: string
  let closeBrowser: (() => Promise<void>) | undefined

  beforeAll(async () => {
    ;({ browser, dir, close: closeBrowser } = await launchTestBrowser('masthead-email-table-'))
  })

  afterAll(async () => {
    await closeBrowser?.()
  })

  it('break between words only (<wbr> and an inline keep-all), with or without <style>', async () => {
    const issue = await markdownIssue('table-words', `${FM}:::article[成员单位]\n名录。\n\n${table(ROWS)}:::\n`)
    const { html } = await buildIssueEmail(issue)
    expect(html).toMatch(/<td[^>]*style="[^"]*word-break: ?keep-all[^>]*>法国<wbr>海岸<wbr>保护署<\/td>/)
    // Four columns: compact cells inline, so that it fits 320 px where a client strips <style>.
    expect(html).toMatch(/<td[^>]*style="[^"]*font-size: ?13px; ?padding: ?5px 4px[^>]*>法国<wbr>/)
    expect(html).toMatch(
      /<td[^>]*style="[^"]*word-break: ?keep-all[^>]*>(?:<span style="overflow-wrap:anywhere">)?荷兰水务局(?:<\/span>)?<wbr>联合会<\/td>/
    )
    const page = await browser.newPage()
    try {
      for (const [name, variant] of [
        ['as sent', html],
        ['styles removed', html.replace(/<style[\s\S]*?<\/style>/g, '')]
      ] as const) {
        const file = path.join(dir, `${name.replace(/\W+/g, '-')}.html`)
        await writeFile(file, variant.replace('</head>', `${CJK_FONT}</head>`))
        await page.setViewport({ width: 375, height: 700 })
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
        await page.evaluate(() => document.fonts.ready)
        expect(await page.evaluate(() => document.fonts.check('14px "Noto Sans SC"', '法国海岸保护署'))).toBe(true)
        const cells = await page.evaluate(renderedLines)
        expect(cells.map((cell) => cell.text).filter((text) => !WORDS.has(text))).toEqual([])
        expect(cells.length, 'the header’s three Chinese cells and two per row').toBe(3 + 2 * ROWS.length)
        // The narrow columns do wrap: the check below is not vacuous.
        expect(cells.filter((cell) => cell.starts.length > 0).length, name).toBeGreaterThan(0)
        for (const cell of cells) {
          const boundaries = new Set<number>()
          let offset = 0
          for (const word of WORDS.get(cell.text) ?? []) boundaries.add((offset += word.length))
          expect(
            cell.starts.filter((start) => !boundaries.has(start)).map((start) => `${cell.text.slice(0, start)}|${cell.text.slice(start)}`),
            name
          ).toEqual([])
        }
        const { scroll, client } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth
        }))
        expect(scroll, name).toBeLessThanOrEqual(client)
        if (SHOTS)
          await page.screenshot({
            path: path.join(SHOTS, `table-words-${name.replace(/\W+/g, '-')}-375.png`) as `${string}.png`,
            fullPage: true
          })
      }
    } finally {
      await page.close()
    }
  })

  it('a run of characters ICU does not know, too long to keep whole, breaks rather than overflow at 320 px', async () => {
    const run = '甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉'
    const issue = await markdownIssue(
      'table-run',
      `${FM}:::article[成员单位]\n名录。\n\n${table([...ROWS, ['5', run, 'Heavenly Stems and Earthly Branches', run]])}:::\n`
    )
    const { html } = await buildIssueEmail(issue)
    const file = path.join(dir, 'run.html')
    await writeFile(file, html.replace('</head>', `${CJK_FONT}</head>`))
    const page = await browser.newPage()
    try {
      for (const width of [320, 375]) {
        await page.setViewport({ width, height: 700 })
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' })
        await page.evaluate(() => document.fonts.ready)
        const { scroll, client, widest } = await page.evaluate(() => ({
          scroll: document.documentElement.scrollWidth,
          client: document.documentElement.clientWidth,
          widest: Math.max(...Array.from(document.querySelectorAll('.data-table td')).map((cell) => cell.getBoundingClientRect().right))
        }))
        expect(scroll, `${width} px`).toBeLessThanOrEqual(client)
        expect(widest, `${width} px`).toBeLessThanOrEqual(width)
        if (SHOTS) await page.screenshot({ path: path.join(SHOTS, `table-run-${width}.png`) as `${string}.png`, fullPage: true })
      }
    } finally {
      await page.close()
    }
  })
})
