import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { fontRoots } from '../src/font-roots.js'
import { launchBrowser, type PdfBrowser } from '../src/launch-browser.js'
import { fixtureHtml } from './fixture-html.js'
import { poppler, removePopplerFiles } from './poppler.js'

/**
 * The `stranded-heading` flow check counts the lines under a heading at a page foot from
 * where its text's first line box starts (the mark's destination less the half-leading):
 * a heading with two lines of its text filling the foot of the page is not stranded, one
 * with one line is.
 */
describe('flow preflight at a page foot', { tags: ['slow'] }, () => {
  let browser: PdfBrowser

  beforeAll(async () => {
    browser = await launchBrowser()
  })

  afterAll(async () => {
    removePopplerFiles()
    await browser.close()
  })

  const render = async (lines: number) => {
    const { html, baseDir } = fixtureHtml('flow-foot')
    const filled = html.replaceAll('{{lines}}', String(lines))
    const result = await browser.renderPdf({
      html: filled,
      baseDir,
      allowedRoots: fontRoots(),
      metadata: { title: 'flow', author: 'Masthead', subject: 'flow', keywords: [], lang: 'en' },
      flow: true
    })
    const first = poppler(result.pdf)
      .pageText(1)
      .split('\n')
      .filter((line) => line.trim() !== '')
    return { rules: result.diagnostics.map((d) => `${d.ruleId}: ${d.reason}`), first }
  }

  it('does not report a heading followed by two lines of its text that fill the page foot', async () => {
    const { rules, first } = await render(2)
    // The page really ends with the heading and two lines of its text.
    expect(first.slice(-3, -1)).toEqual(['The long view', expect.stringMatching(/^Sea level on this coast/)])
    expect(rules.filter((rule) => rule.startsWith('stranded-heading'))).toEqual([])
  })

  it('reports a heading followed by one line of its text at the page foot', async () => {
    const { rules, first } = await render(1)
    expect(first.slice(-2, -1)).toEqual(['The long view'])
    expect(first.at(-1)).toMatch(/^Sea level on this coast/)
    expect(rules.filter((rule) => rule.startsWith('stranded-heading'))).toEqual([
      'stranded-heading: Unexpected heading (“The long view”) at the foot of page 1 with one line of what follows it, expected it on the next page with its text'
    ])
  })
})
