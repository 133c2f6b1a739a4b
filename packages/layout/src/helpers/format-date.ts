import type { DateValue, Lang } from '@masthead/core'
import { helperLang, splitArgs } from './helper-options.js'

const months = [
  'January', 'February', 'March', 'April', 'May', 'June',
  'July', 'August', 'September', 'October', 'November', 'December'
]

/** Read a `DateValue` or an ISO date string (`2021-04-22`, `2021-04`, `2021`). */
export function toDateValue(value: unknown): DateValue | undefined {
  if (typeof value === 'object' && value !== null && 'year' in value && typeof value.year === 'number') {
    return value as DateValue
  }
  if (typeof value !== 'string') return undefined
  const match = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value.trim())
  if (!match) return undefined
  const date: DateValue = { iso: value.trim(), year: Number(match[1]) }
  if (match[2]) date.month = Number(match[2])
  if (match[3]) date.day = Number(match[3])
  return date
}

/**
 * Format a date with the precision it was written with.
 *
 * @param date The date.
 * @param lang `zh-CN`: 2021年4月22日 / 2021年4月 / 2021年; `en`: 22 April 2021 / April 2021 / 2021.
 * @param withYear Leave the year out (for a timeline grouped by year) when false;
 *   a date known only to the year keeps it.
 */
export function formatDateValue(date: DateValue, lang: Lang, withYear = true): string {
  const { year, month, day } = date
  if (lang === 'zh-CN') {
    if (month === undefined) return `${year}年`
    const rest = `${month}月${day === undefined ? '' : `${day}日`}`
    return withYear ? `${year}年${rest}` : rest
  }
  if (month === undefined) return String(year)
  const monthName = months[month - 1] ?? String(month)
  const rest = day === undefined ? monthName : `${day} ${monthName}`
  return withYear ? `${rest} ${year}` : rest
}

/**
 * `{{formatDate meta.date}}`, `{{formatDate date year=false}}`, `{{formatDate date lang="en"}}`:
 * a localized date in the document's language. An empty or missing value prints nothing.
 */
export function formatDate(...args: unknown[]): string {
  const { params, options } = splitArgs(args)
  const value = params[0]
  if (value === undefined || value === null || value === '') return ''
  const date = toDateValue(value)
  if (!date) throw new TypeError(`Unexpected date \`${String(value)}\`, expected a date field or \`YYYY-MM-DD\``)
  return formatDateValue(date, helperLang(options), options.hash['year'] !== false)
}
