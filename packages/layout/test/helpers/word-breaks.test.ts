import { describe, expect, it } from 'vitest'
import { chineseWords } from '@masthead/core'
import { wordBreaks } from '../../src/helpers/word-breaks.js'

const zh = { hash: {}, data: { root: { lang: 'zh-CN' } } }
const en = { hash: {}, data: { root: { lang: 'en' } } }

describe('wordBreaks (issue 14: titles broke inside words, 圆桌|会, 发|展)', () => {
  it('splits Chinese into words and keeps single characters with their neighbours', () => {
    expect(chineseWords('绿色丝路新闻')).toEqual(['绿色', '丝路', '新闻'])
    const title = chineseWords('共建绿色丝绸之路圆桌会暨可持续发展论坛特刊')
    expect(title.join('')).toBe('共建绿色丝绸之路圆桌会暨可持续发展论坛特刊')
    // No break inside 圆桌会, 可持续 or 发展.
    for (const word of ['圆桌会', '可持续', '发展']) expect(title.some((part) => part.includes(word))).toBe(true)
  })

  it('puts <wbr> between Chinese words only, escaping the text', () => {
    expect(String(wordBreaks('绿色丝路新闻', zh))).toBe('绿色<wbr>丝路<wbr>新闻')
    expect(String(wordBreaks('<b>“一带一路”', zh))).not.toContain('<b>')
    expect(String(wordBreaks('2021年第1期', zh))).not.toMatch(/\d<wbr>|<wbr>\d/)
  })

  it('keeps a short quoted name together', () => {
    expect(String(wordBreaks('中国有决心实现绿色“一带一路”', zh))).toContain('“一带一路”')
    expect(String(wordBreaks('关于《巴黎协定》的报告', zh))).toContain('《巴黎协定》')
  })

  it('leaves English and Latin text alone', () => {
    expect(String(wordBreaks('Harbour Notes & more', en))).toBe('Harbour Notes &amp; more')
    expect(String(wordBreaks('Harbour Notes', zh))).toBe('Harbour Notes')
  })
})
