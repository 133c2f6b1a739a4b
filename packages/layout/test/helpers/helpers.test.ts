import Handlebars from 'handlebars'
import QRCode from 'qrcode'
import { describe, expect, it } from 'vitest'
import { helpers } from '../../src/index.js'

/** Handlebars' options object for a helper called in a document of `lang`. */
const zh = { hash: {}, data: { root: { lang: 'zh-CN' } } }
const en = { hash: {}, data: { root: { lang: 'en' } } }
const withHash = (options: typeof zh, hash: Record<string, unknown>) => ({ ...options, hash })

const html = (value: unknown): string => (value instanceof Handlebars.SafeString ? value.toHTML() : String(value))

describe('formatDate', () => {
  it('formats Chinese dates at the precision they were written', () => {
    expect(helpers.formatDate({ iso: '2021-04-22', year: 2021, month: 4, day: 22 }, zh)).toBe('2021年4月22日')
    expect(helpers.formatDate({ iso: '2021-04', year: 2021, month: 4 }, zh)).toBe('2021年4月')
    expect(helpers.formatDate({ iso: '2021', year: 2021 }, zh)).toBe('2021年')
  })

  it('formats English dates', () => {
    expect(helpers.formatDate({ iso: '2021-04-22', year: 2021, month: 4, day: 22 }, en)).toBe('22 April 2021')
    expect(helpers.formatDate('2021-04', en)).toBe('April 2021')
    expect(helpers.formatDate('2021', en)).toBe('2021')
  })

  it('leaves the year out with year=false, takes lang= and prints nothing for an empty value', () => {
    expect(helpers.formatDate('2021-04-22', withHash(zh, { year: false }))).toBe('4月22日')
    expect(helpers.formatDate('2021-04-22', withHash(en, { year: false }))).toBe('22 April')
    expect(helpers.formatDate('2021', withHash(zh, { year: false }))).toBe('2021年')
    expect(helpers.formatDate('2021-04-22', withHash(zh, { lang: 'en' }))).toBe('22 April 2021')
    expect(helpers.formatDate('', zh)).toBe('')
  })

  it('throws on something that is not a date', () => {
    expect(() => helpers.formatDate('soon', zh)).toThrow('Unexpected date `soon`')
  })
})

describe('label', () => {
  it('gives localized labels', () => {
    expect(helpers.label('source', zh)).toBe('来源')
    expect(helpers.label('source', en)).toBe('Source')
    expect(helpers.label('contributor', zh)).toBe('供稿')
    expect(helpers.label('contributor', en)).toBe('Contributed by')
    expect(helpers.label('contents', zh)).toBe('目录')
    expect(helpers.label('phone', zh)).toBe('电话')
    expect(helpers.label('fax', en)).toBe('Fax')
    expect(helpers.label('colon', zh)).toBe('：')
  })

  it('throws on an unknown label, listing the known ones', () => {
    expect(() => helpers.label('sauce', zh)).toThrow(/Unexpected unknown label `sauce`, expected one of `contents`, `source`/)
  })
})

describe('number, pad and longerThan', () => {
  it('formats numbers and adds an offset', () => {
    expect(helpers.number(1234.5, en)).toBe('1,234.5')
    expect(helpers.number(0, withHash(en, { add: 1 }))).toBe('1')
  })
  it('pads with zeros', () => {
    expect(helpers.pad(3, zh)).toBe('03')
    expect(helpers.pad(7, 3, zh)).toBe('007')
    expect(helpers.pad(12, zh)).toBe('12')
  })
  it('counts characters, not UTF-16 units', () => {
    expect(helpers.longerThan('一二三', 2, zh)).toBe(true)
    expect(helpers.longerThan('𠀀𠀀', 2, zh)).toBe(false)
  })
})

describe('eq, not, or, and', () => {
  it('compare and combine values', () => {
    expect(helpers.eq('news', 'news', zh)).toBe(true)
    expect(helpers.eq(1, '1', zh)).toBe(false)
    expect(helpers.not('', zh)).toBe(true)
    expect(helpers.not([], zh)).toBe(true)
    expect(helpers.not('x', zh)).toBe(false)
    expect(helpers.or('', 'b', 'c', zh)).toBe('b')
    expect(helpers.or('', '', zh)).toBe('')
    expect(helpers.and('a', ['x'], zh)).toBe(true)
    expect(helpers.and('a', '', zh)).toBe(false)
  })
})

describe('qr', () => {
  it('draws a QR code of the URL as inline SVG', () => {
    const svg = html(helpers.qr('http://www.brigc.net/', zh))
    const size = QRCode.create('http://www.brigc.net/', { errorCorrectionLevel: 'M' }).modules.size
    expect(svg).toMatch(new RegExp(`^<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${size + 4} ${size + 4}"`))
    expect(svg).toContain('aria-label="http://www.brigc.net/"')
    expect(svg).toMatch(/<path fill="#000" d="(M\d+ \d+h\d+v1h-\d+z)+"\/><\/svg>$/)
  })
  it('prints nothing for an empty value', () => {
    expect(html(helpers.qr('', zh))).toBe('')
  })
})

describe('groupByYear', () => {
  it('groups runs of entries by year, keeping their order', () => {
    const entries = [
      { id: 'a', date: { iso: '2019-04-25', year: 2019 } },
      { id: 'b', date: { iso: '2019-06', year: 2019 } },
      { id: 'c', date: '2020-03-27' }
    ]
    expect(helpers.groupByYear(entries, zh)).toEqual([
      { year: 2019, entries: [entries[0], entries[1]] },
      { year: 2020, entries: [entries[2]] }
    ])
  })
  it('throws on entries without a date', () => {
    expect(() => helpers.groupByYear([{ id: 'a' }], zh)).toThrow(/without a `date`/)
  })
})

describe('cssString and cssIdent', () => {
  it('quotes a value for CSS content, escaping what could end the string or the style element', () => {
    expect(html(helpers.cssString('绿色丝路新闻', zh))).toBe('"绿色丝路新闻"')
    expect(html(helpers.cssString('a "b" \\ </style>\nc', zh))).toBe('"a \\22 b\\22  \\5C  \\3C /style\\3E \\A c"')
  })
  it('escapes identifiers', () => {
    expect(html(helpers.cssIdent('s1-news', zh))).toBe('s1-news')
    expect(html(helpers.cssIdent('1st', zh))).toBe('\\31 st')
    expect(html(helpers.cssIdent('a b"c', zh))).toBe('a\\20 b\\22 c')
    expect(html(helpers.cssIdent('新闻', zh))).toBe('新闻')
  })
})

describe('split, join and displayUrl', () => {
  it('splits a list written in one field', () => {
    expect(helpers.split('兰燕、彭宁；张建宇', zh)).toEqual(['兰燕', '彭宁', '张建宇'])
    expect(helpers.split('Lan Yan, Peng Ning', en)).toEqual(['Lan Yan', 'Peng Ning'])
  })
  it('joins with the language separator', () => {
    expect(helpers.join(['一带一路', '绿色发展'], zh)).toBe('一带一路、绿色发展')
    expect(helpers.join(['a', 'b'], en)).toBe('a, b')
    expect(helpers.join(['a', 'b'], withHash(zh, { sep: ' / ' }))).toBe('a / b')
  })
  it('shows a URL as people read it', () => {
    expect(helpers.displayUrl('http://www.brigc.net/', zh)).toBe('brigc.net')
    expect(helpers.displayUrl('https://example.org/harbour-notes/12/', zh)).toBe('example.org/harbour-notes/12')
  })
})
