import { describe, expect, it } from 'vitest'
import { readToUnicode } from '../src/preflight/embedded-code-points.js'

describe('readToUnicode', () => {
  it('reads bfchar and bfrange (both forms), and leaves out code 0, .notdef', () => {
    const cmap = [
      '3 beginbfchar',
      '<0000> <0E2A>',
      '<0003> <0020>',
      '<0010> <D83DDE00>',
      'endbfchar',
      '2 beginbfrange',
      '<0044> <0046> <0061>',
      '<0000> <0001> [<0E27> <0E14>]',
      'endbfrange'
    ].join('\n')
    const points = new Set<number>()
    readToUnicode(cmap, points)
    expect([...points].sort((a, b) => a - b)).toEqual([0x20, 0x61, 0x62, 0x63, 0xe14, 0x1f600])
  })

  it('gives every code point of a ligature', () => {
    const points = new Set<number>()
    readToUnicode('1 beginbfchar\n<0101> <00660069>\nendbfchar', points)
    expect([...points]).toEqual([0x66, 0x69])
  })
})
