/**
 * Outlook for Windows renders with Word, which honours padding, borders and backgrounds on
 * table cells only: on a div, p or heading they vanish (cards lose their colour, items their
 * rules, quotes their bar). Every one in the email must sit on a td or th.
 */
import * as cheerio from 'cheerio'
import { describe, expect, it } from 'vitest'
import { readdir } from 'node:fs/promises'
import path from 'node:path'
import { SAMPLES, buildFolderEmail, buildSample, root } from './sample.js'

const NONE = /^(0|0px|none|transparent|(0(px)? ?){2,4})$/

/** `tag.class property:value` for each layout-carrying declaration on an element that is not a table cell. */
function offCell(html: string): string[] {
  const $ = cheerio.load(html)
  const found: string[] = []
  $('body [style]').each((_, element) => {
    if (['td', 'th', 'table'].includes(element.tagName)) return
    const node = $(element)
    for (const declaration of (element.attribs['style'] ?? '').split(';')) {
      const [property = '', value = ''] = declaration.split(/:(.*)/s).map((part) => part.trim())
      if (!/^(padding|border|background)/.test(property) || /^border-(radius|collapse)$/.test(property) || NONE.test(value)) continue
      // MJML's section and body wrappers: the same background is on the table inside (and the body), which Word draws.
      if (
        property.startsWith('background') &&
        (node.is('div[role="article"]') || node.children('table').first().attr('style')?.includes(value))
      )
        continue
      // The button's padding: Word ignores it, and mso spacers inside the link give the same size (partials/email-footer.hbs).
      if (node.is('a.button-link') && property === 'padding') continue
      found.push(`${element.tagName}.${node.attr('class') ?? ''} ${property}:${value}`)
    }
  })
  return found
}

describe('Outlook for Windows (Word): layout on table cells', () => {
  it.each(
    SAMPLES.flatMap(
      (slug) =>
        [
          [slug, 'full'],
          [slug, 'digest']
        ] as const
    )
  )('%s in %s mode: no padding, border or background on a div, p, heading or link', async (slug, mode) => {
    const { email } = await buildSample(slug, { mode }, (issue) => ({
      ...issue,
      meta: { ...issue.meta, url: 'https://example.org/issues/x/' }
    }))
    expect(offCell(email.html)).toEqual([])
    // The cells that now carry them.
    expect(email.html).toMatch(/<td class="section-rule" style="[^"]*border-bottom:2px solid/)
    expect(email.html).toMatch(/<td class="item[^"]*" style="[^"]*padding:/)
  })

  it('the corpus issues (packages/cli/test/corpus: parts, rosters, blockquotes, footnotes) too', async () => {
    const corpus = path.join(root, 'packages/cli/test/corpus')
    const names = (await readdir(corpus, { withFileTypes: true })).filter((entry) => entry.isDirectory()).map((entry) => entry.name)
    const found: string[] = []
    for (const name of names)
      found.push(...offCell((await buildFolderEmail(path.join(corpus, name))).email.html).map((finding) => `${name}: ${finding}`))
    expect(found).toEqual([])
  })

  it('catches a padded div (the check can fail)', () => {
    expect(
      offCell('<html><body><div class="card" style="padding:16px 18px;background-color:#e6f2ed"><p>x</p></div></body></html>')
    ).toEqual(['div.card padding:16px 18px', 'div.card background-color:#e6f2ed'])
  })
})
