import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { stringWidth, wrapLine, wrapText } from '../src/index.js'

const CLOSING = '，。、；：？！）」』》”’'
const OPENING = '（「『《“‘'

// Known widths, not computed: East Asian Wide and Fullwidth characters take two columns
// (UAX #11, EastAsianWidth.txt: W or F), ambiguous ones such as `“` one; an emoji with emoji
// presentation takes two (UTS #51), and so does a whole ZWJ sequence, flag or keycap, which a
// terminal draws as one picture; combining marks and zero-width characters take none; a
// Devanagari word takes one column per grapheme cluster (नमस्ते is न · म · स्ते).
const KNOWN_WIDTHS: ReadonlyArray<readonly [string, number]> = [
  ['abc', 3],
  ['绿色丝路', 8],
  ['“一带一路”', 10],
  ['２０２１，', 10],
  ['한국어', 6],
  ['ｱｲｳ', 3],
  ['👍', 2],
  ['⌚', 2],
  ['👨\u200d👩\u200d👧', 2],
  ['🏳️\u200d🌈', 2],
  ['🇨🇳', 2],
  ['1️⃣', 2],
  ['❤️', 2],
  ['e\u0301', 1],
  ['a\u200bb', 2],
  ['नमस्ते', 3]
]

describe('stringWidth', () => {
  it.each(KNOWN_WIDTHS)('%s takes %i columns', (text, width) => {
    expect(stringWidth(text)).toBe(width)
  })
})

describe('wrapLine', () => {
  it('wraps English at spaces', () => {
    const lines = wrapLine('The quick brown fox jumps over the lazy dog', 15)
    expect(lines).toEqual(['The quick brown', 'fox jumps over', 'the lazy dog'])
  })

  it('wraps Chinese between characters, counting each as two columns', () => {
    const lines = wrapLine('绿色联盟自2019年4月25启动以来已有来自43个国家的150余家合作伙伴', 20)
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(20)
    expect(lines.join('')).toBe('绿色联盟自2019年4月25启动以来已有来自43个国家的150余家合作伙伴')
  })

  it('never starts a line with closing punctuation nor ends one with opening punctuation', () => {
    const lines = wrapLine('一二三四五六七八九，（十一）「二三」', 20)
    for (const line of lines) {
      expect(CLOSING).not.toContain(line[0])
      expect(OPENING).not.toContain(line.at(-1))
    }
    expect(lines[0]).toBe('一二三四五六七八九，')
  })

  it('never splits an emoji ZWJ sequence, a flag or a letter from its marks', () => {
    const family = '👨\u200d👩\u200d👧'
    const lines = wrapLine(`一二三四五六七八${family}🇨🇳九十`, 18)
    expect(lines).toEqual([`一二三四五六七八${family}`, '🇨🇳九十'])
  })

  it('keeps a URL longer than the line whole', () => {
    const url = 'https://example.org/a/very/long/path/that/does/not/fit/in/the/line/at/all'
    expect(wrapLine(`See ${url} now`, 20)).toEqual(['See', url, 'now'])
  })

  it('keeps the wrapped text intact and every line within the width (property)', () => {
    const alphabet = fc.constantFrom(...'绿色丝路一带的发展联盟', ...CLOSING, ...OPENING, 'a', 'b', 'c', ' ', '1')
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), fc.integer({ min: 12, max: 72 }), (chars, width) => {
        const text = chars.join('').replace(/\s+/g, ' ').trim()
        const lines = wrapLine(text, width)
        for (const [index, line] of lines.entries()) {
          // A line may only overflow when it is one unbreakable piece.
          if (stringWidth(line) > width) expect(wrapLine(line, width)).toEqual([line])
          if (index > 0) expect(CLOSING).not.toContain(line[0])
          if (index < lines.length - 1) expect(OPENING).not.toContain(line.at(-1))
        }
        expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''))
      })
    )
  })
})

describe('wrapText', () => {
  it('gives list items a hanging indent and keeps blank lines', () => {
    const text = wrapText('• one two three four five six\n\nnext', 14)
    expect(text).toBe('• one two\n  three four\n  five six\n\nnext')
  })
})
