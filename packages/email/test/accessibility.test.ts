import * as cheerio from 'cheerio'
import { describe, expect, it } from 'vitest'
import { SAMPLES, buildSample } from './sample.js'

describe.each(SAMPLES)('accessibility of %s', (slug) => {
  it('labels each read-more link with its headline, styles alt text, leaves a named portrait’s alt empty, links phone numbers with tel:', async () => {
    const { email, issue } = await buildSample(slug, { mode: 'digest' }, (parsed) => ({
      ...parsed,
      meta: { ...parsed.meta, url: 'https://example.org/issues/x/' }
    }))
    const $ = cheerio.load(email.html)
    const readMore = $('a.read-more').toArray()
    expect(readMore.length).toBeGreaterThan(2)
    const labels = readMore.map((link) => $(link).attr('aria-label') ?? '')
    // Every link reads the same ("Read more →"); its label names what it leads to, each one differently.
    expect(new Set(readMore.map((link) => $(link).text())).size).toBe(1)
    expect(new Set(labels).size).toBe(labels.length)
    for (const label of labels) expect(label).toMatch(slug.startsWith('2021') ? /^阅读全文：.+/ : /^Read more: .+/)
    // Alt text shown where images are blocked: small and muted, in the text's colours.
    for (const image of $('img').toArray()) expect($(image).attr('style'), $(image).attr('src')).toMatch(/font-size:13px.*color:#/)
    // A portrait beside its speaker's name says nothing more; its alt is empty.
    const portraits = $('img.portrait').toArray()
    expect(portraits.length).toBeGreaterThan(0)
    for (const portrait of portraits) expect($(portrait).attr('alt')).toBe('')
    // Phone numbers: tel: links, + and digits only.
    const phones = issue.sections
      .flatMap((section) => section.items)
      .map((item) => item.fields['phone'])
      .filter((value): value is string => typeof value === 'string')
    expect(phones.length).toBeGreaterThan(0)
    for (const phone of phones)
      expect($(`a[href="tel:${phone.trim().startsWith('+') ? '+' : ''}${phone.replace(/\D/g, '')}"]`).text()).toBe(phone)
  })
})
