import type { DateValue } from '@masthead/core'
import { formatDate as formatDateValue, parseDate } from '@masthead/core'
import { helperLang, splitArgs } from './helper-options.js'

export { formatDate as formatDateValue } from '@masthead/core'

/** Read a `DateValue`, or a date string as editors write it (`2021-04-22`, `2021-04`, `2021`, `2021年4月22日`). */
export function toDateValue(value: unknown): DateValue | undefined {
  if (typeof value === 'object' && value !== null && 'year' in value && typeof value.year === 'number') {
    return value as DateValue
  }
  return typeof value === 'string' ? parseDate(value) : undefined
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
