import { describe, expect, it } from 'vitest'
import { formatDate, parseDate } from '../src/index.js'

describe('parseDate', () => {
  it('reads the forms editors write, keeping their precision', () => {
    expect(parseDate('2021-04-22')).toEqual({ iso: '2021-04-22', year: 2021, month: 4, day: 22 })
    expect(parseDate(' 2021-4 ')).toEqual({ iso: '2021-04', year: 2021, month: 4 })
    expect(parseDate('2021')).toEqual({ iso: '2021', year: 2021 })
    expect(parseDate('2021年4月22日')).toEqual({ iso: '2021-04-22', year: 2021, month: 4, day: 22 })
    expect(parseDate('2021年 4月')).toEqual({ iso: '2021-04', year: 2021, month: 4 })
  })

  it('refuses dates that are not on the calendar', () => {
    expect(parseDate('2021-02-29')).toBeUndefined()
    expect(parseDate('2021-13')).toBeUndefined()
    expect(parseDate('April 2021')).toBeUndefined()
  })
})

describe('formatDate', () => {
  it('writes a date as readers of the language do, with its precision', () => {
    const day = { iso: '2021-04-22', year: 2021, month: 4, day: 22 }
    expect(formatDate(day, 'zh-CN')).toBe('2021年4月22日')
    expect(formatDate(day, 'en')).toBe('22 April 2021')
    expect(formatDate({ iso: '2021-04', year: 2021, month: 4 }, 'zh-CN')).toBe('2021年4月')
    expect(formatDate({ iso: '2021-04', year: 2021, month: 4 }, 'en')).toBe('April 2021')
    expect(formatDate({ iso: '2021', year: 2021 }, 'en')).toBe('2021')
    expect(formatDate(day, 'zh-CN', false)).toBe('4月22日')
    expect(formatDate(day, 'en', false)).toBe('22 April')
    expect(formatDate({ iso: '2021', year: 2021 }, 'zh-CN', false)).toBe('2021年')
  })
})
