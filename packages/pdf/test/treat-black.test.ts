import { describe, expect, it } from 'vitest'
import { contentTokens } from '../src/press/content-tokens.js'
import { treatContent } from '../src/press/treat-black.js'
import { xmpPacket } from '../src/press/xmp-packet.js'

const counts = () => ({ richBlack: 0, overprinted: 0 })

describe('contentTokens', () => {
  it('keeps strings, hex strings, arrays and dictionaries whole, skips comments and inline image data', () => {
    const tokens = [...contentTokens('BT /F1 12 Tf (a \\) Tj \\( b) Tj % note\n[<00ff> -20 (c)] TJ ET BI /W 1 ID \x00EI\xff EI Q')]
    expect(tokens.filter((token) => token.kind === 'operator').map((token) => token.text)).toEqual([
      'BT',
      'Tf',
      'Tj',
      'TJ',
      'ET',
      'BI',
      'ID',
      'EI',
      'Q'
    ])
    expect(tokens.find((token) => token.text.startsWith('('))?.text).toBe('(a \\) Tj \\( b)')
  })
})

describe('treatContent', () => {
  it('sets black type at 18 pt or more in rich black and restores the colour after it', () => {
    const c = counts()
    const out = treatContent('0 g BT /F1 1 Tf 24 0 0 24 10 10 Tm (Big) Tj 0 0 10 10 re f ET', false, c)
    expect(out).toBe('0 g BT /F1 1 Tf 24 0 0 24 10 10 Tm  0.6 0.4 0.4 1 k (Big) Tj 0 g 0 0 10 10 re f ET')
    expect(c).toEqual({ richBlack: 1, overprinted: 0 })
  })

  it('counts the size through the CTM, and leaves small or coloured text alone without overprint', () => {
    const c = counts()
    const source = 'q 0.1 0 0 0.1 0 0 cm 0 0 0 1 k BT /F1 100 Tf (ten) Tj ET Q 0.5 0 1 0 k BT /F1 40 Tf (green) Tj ET'
    expect(treatContent(source, false, c)).toBe(source)
    expect(c).toEqual({ richBlack: 0, overprinted: 0 })
  })

  it('makes small black text overprint when asked, and only black', () => {
    const c = counts()
    const out = treatContent('0 0 0 1 k BT /F1 9 Tf [(a) -20 (b)] TJ ET 0.2 g BT /F1 9 Tf (grey) Tj ET', true, c)
    expect(out).toBe('0 0 0 1 k BT /F1 9 Tf  /MHop gs [(a) -20 (b)] TJ /MHko gs ET 0.2 g BT /F1 9 Tf (grey) Tj ET')
    expect(c).toEqual({ richBlack: 0, overprinted: 1 })
  })

  it('keeps an operator that ends right at the text apart from what it inserts', () => {
    const out = treatContent('0 g BT /F1 30 Tf (a) Tj T*[(b)] TJ ET', true, counts())
    expect(out).toBe('0 g BT /F1 30 Tf  0.6 0.4 0.4 1 k (a) Tj 0 g T* 0.6 0.4 0.4 1 k [(b)] TJ 0 g ET')
    expect([...contentTokens(out)].filter((token) => token.kind === 'operator').map((token) => token.text)).toEqual([
      'g',
      'BT',
      'Tf',
      'k',
      'Tj',
      'g',
      'T*',
      'k',
      'TJ',
      'g',
      'ET'
    ])
  })

  it('follows q/Q for the fill colour', () => {
    const out = treatContent('0 g q 1 0 0 0 k Q BT /F1 30 Tf (x) Tj ET', false, counts())
    expect(out).toContain('0.6 0.4 0.4 1 k (x) Tj 0 g')
  })
})

describe('xmpPacket', () => {
  it('escapes what the editor wrote and claims what it is told', () => {
    const date = new Date('2026-12-04T20:33:05.123Z')
    const xmp = xmpPacket(
      { title: 'A & B <news>', author: '出版社', subject: 's', keywords: ['a', 'b c'], lang: 'zh-CN' },
      {
        pdfa: { part: 2, conformance: 'B' },
        producer: 'Masthead',
        created: date,
        modified: date,
        documentId: 'uuid:1',
        instanceId: 'uuid:2'
      }
    )
    expect(xmp).toContain('<rdf:li xml:lang="x-default">A &amp; B &lt;news&gt;</rdf:li>')
    expect(xmp).toContain('<pdf:Keywords>a, b c</pdf:Keywords>')
    expect(xmp).toContain('<xmp:CreateDate>2026-12-04T20:33:05Z</xmp:CreateDate>')
    expect(xmp).toContain('<pdfaid:part>2</pdfaid:part>')
    expect(xmp).not.toContain('pdfxid')
  })
})
