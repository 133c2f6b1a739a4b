import { describe, expect, it } from 'vitest'
import { chineseBreaks } from '../src/chinese-words.js'

describe('chineseBreaks', () => {
  it('breaks between Chinese words only, not inside a short quoted name', () => {
    expect(chineseBreaks('法国海岸保护署')).toEqual([2, 4])
    expect(chineseBreaks('关于《巴黎协定》的报告').every((at) => at < 3 || at > 7)).toBe(true)
    expect(chineseBreaks('Harbour Notes')).toEqual([])
  })

  it('breaks a run glued from ICU’s single characters before the words ICU found in it, when asked to', () => {
    // ICU: 荷兰|水|务|局|联合|会, one word for chineseWords.
    expect(chineseBreaks('荷兰水务局联合会')).toEqual([])
    expect(chineseBreaks('荷兰水务局联合会', 4)).toEqual([5])
    expect(chineseBreaks('城市水务联盟', 4)).toEqual([4])
  })
})
