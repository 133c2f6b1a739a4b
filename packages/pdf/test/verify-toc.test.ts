import { describe, expect, it } from 'vitest'
import type { TocTarget } from '../src/toc/read-toc.js'
import { verifyToc } from '../src/toc/verify-toc.js'

const target = (id: string, extra: Partial<TocTarget> = {}): TocTarget => ({
  id,
  exists: true,
  text: id,
  nth: 0,
  heading: true,
  line: 4,
  column: 1,
  ...extra
})

describe('verifyToc', () => {
  it('is quiet when every number is the target’s page', () => {
    expect(verifyToc([target('a'), target('b')], { pages: { a: 2, b: 5 }, viaOutline: [], unknown: [] }, { a: '2', b: '5' })).toEqual([])
  })

  it('reports a number that moved, a page it could not find, and a missing target, with places', () => {
    const found = verifyToc(
      [target('moved', { line: 7 }), target('lost', { line: 8 }), target('gone', { exists: false, line: 9, column: 3 })],
      { pages: { moved: 6 }, viaOutline: [], unknown: ['lost'] },
      { moved: '5', lost: '' }
    )
    expect(found.map((d) => `${d.line}:${d.column} ${d.severity} ${d.ruleId}: ${d.reason}`)).toEqual([
      '7:1 error toc-page-mismatch: Unexpected page `5` in the table of contents for `#moved`, expected `6`: the numbers kept moving the text',
      '8:1 warning toc-page-unknown: Cannot find the page of `#lost` in the PDF (no named destination or bookmark), so its table-of-contents entry is empty',
      '9:3 error toc-target-missing: Unexpected table-of-contents entry for `#gone`, expected an element with that id'
    ])
    expect(found[0]?.page).toBe(6)
  })
})
