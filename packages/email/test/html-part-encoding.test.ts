import * as cheerio from 'cheerio'
import { describe, expect, it } from 'vitest'
import { MAX_LINE_BYTES, foldHtmlLines, htmlPartEncoding } from '../src/html-part-encoding.js'
import { phoneLinks } from '../src/phone-links.js'

const paragraph = '为应对气候变化，我国提出了在2060年前实现“碳中和”目标。'.repeat(40)
const html = `<!doctype html><html><head><style>${'.a{color:#123456}'.repeat(80)}</style></head><body><div role="article">${'<table><tbody><tr><td class="item"><p>Short text</p></td></tr></tbody></table>'.repeat(30)}<p style="margin:0">${paragraph}<a href="https://example.org/?a=1&amp;b=2">链接</a>${paragraph}</p></div></body></html>`

/** What a reader gets: the text (comments are not text) and the markup without the line breaks folding added. */
const text = (markup: string) =>
  cheerio
    .load(markup)('body')
    .text()
    .replace(/\s*\n\s*/g, '')

describe('foldHtmlLines and htmlPartEncoding', () => {
  it('breaks long lines under 998 bytes without changing the text or the markup a client sees', () => {
    expect(Math.max(...html.split('\n').map((line) => Buffer.byteLength(line)))).toBeGreaterThan(MAX_LINE_BYTES)
    const folded = foldHtmlLines(html)
    expect(Math.max(...folded.split('\n').map((line) => Buffer.byteLength(line)))).toBeLessThanOrEqual(MAX_LINE_BYTES)
    expect(text(folded)).toBe(text(html))
    // Only line breaks were added: between tags, and inside comments in the paragraph.
    expect(folded.replace(/<!--\n-->/g, '').replace(/\n/g, '')).toBe(html)
    expect(folded).toContain('<a href="https://example.org/?a=1&amp;b=2">链接</a>')
  })

  it('sends folded HTML as 8bit, its size the bytes themselves; an unfoldable line as base64 (Chinese) or quoted-printable (English)', () => {
    const folded = foldHtmlLines(html)
    expect(htmlPartEncoding(folded)).toEqual({ encoding: '8bit', bytes: Buffer.byteLength(folded.replace(/\n/g, '\r\n')) })
    const chinese = htmlPartEncoding(`<pre>${paragraph}</pre>`)
    expect(chinese.encoding).toBe('base64')
    expect(chinese.bytes / Buffer.byteLength(`<pre>${paragraph}</pre>`)).toBeLessThan(1.4)
    expect(htmlPartEncoding(`<pre>${'Plain English text, '.repeat(80)}</pre>`).encoding).toBe('quoted-printable')
  })

  it('leaves HTML with <pre> alone: there a line break shows', () => {
    const pre = `<pre>${'x'.repeat(2000)}</pre>`
    expect(foldHtmlLines(pre)).toBe(pre)
  })
})

describe('phoneLinks', () => {
  it('links each number with tel: (+ and digits) and keeps the text around it as written', () => {
    expect(phoneLinks('+86-10-8220 0000 / 010-8220 0001 (fax)')).toEqual([
      { text: '+86-10-8220 0000', href: 'tel:+861082200000' },
      { text: ' / ', href: '' },
      { text: '010-8220 0001', href: 'tel:01082200001' },
      { text: ' (fax)', href: '' }
    ])
    expect(phoneLinks('+44 1632 960 412')).toEqual([{ text: '+44 1632 960 412', href: 'tel:+441632960412' }])
    expect(phoneLinks('ext. 12')).toEqual([{ text: 'ext. 12', href: '' }])
  })
})
