import type { DateValue, Lang } from './issue.js'

const ISO = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/
const CJK = /^(\d{4})\s*年(?:\s*(\d{1,2})\s*月(?:\s*(\d{1,2})\s*日)?)?$/

/**
 * Read a date as editors write it: `2021-04-22`, `2021-04`, `2021`, `2021年4月22日`,
 * `2021年 4月`, `2021年`. The precision written is kept.
 *
 * @returns The date, or `undefined` when `text` is not a real calendar date.
 */
export function parseDate(text: string): DateValue | undefined {
  const value = text.trim()
  const match = ISO.exec(value) ?? CJK.exec(value)
  if (!match) return undefined
  const year = Number(match[1])
  const month = match[2] === undefined ? undefined : Number(match[2])
  const day = match[3] === undefined ? undefined : Number(match[3])
  if (month !== undefined && (month < 1 || month > 12)) return undefined
  if (day !== undefined && month !== undefined) {
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate()
    if (day < 1 || day > last) return undefined
  }
  const pad = (n: number) => String(n).padStart(2, '0')
  const iso = [String(year), month === undefined ? '' : pad(month), day === undefined ? '' : pad(day)].filter(Boolean).join('-')
  const date: DateValue = { iso, year }
  if (month !== undefined) date.month = month
  if (day !== undefined) date.day = day
  return date
}

/** What a date should look like, for messages. */
export const DATE_FORMS = '`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or `2021年4月22日`'

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']

/**
 * A date as readers of `lang` write it, with the precision it was written with.
 *
 * @param date The date.
 * @param lang `zh-CN`: 2021年4月22日 / 2021年4月 / 2021年; `en`: 22 April 2021 / April 2021 / 2021.
 * @param withYear Leave the year out (for a timeline grouped by year) when false;
 *   a date known only to the year keeps it.
 */
export function formatDate(date: DateValue, lang: Lang, withYear = true): string {
  const { year, month, day } = date
  if (lang === 'zh-CN') {
    if (month === undefined) return `${year}年`
    const rest = `${month}月${day === undefined ? '' : `${day}日`}`
    return withYear ? `${year}年${rest}` : rest
  }
  if (month === undefined) return String(year)
  const monthName = MONTHS[month - 1] ?? String(month)
  const rest = day === undefined ? monthName : `${day} ${monthName}`
  return withYear ? `${rest} ${year}` : rest
}
