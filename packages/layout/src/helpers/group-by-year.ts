import { splitArgs } from './helper-options.js'
import { toDateValue } from './format-date.js'

/** A run of timeline entries in one year. */
export interface YearGroup<T> {
  year: number
  entries: T[]
}

/**
 * `{{#each (groupByYear entries)}}{{year}} … {{#each entries}}…{{/each}}{{/each}}`: timeline
 * entries in runs of one year each, in the order written (a year written twice, apart,
 * gives two runs, so the editor's order is never changed).
 */
export function groupByYear(...args: unknown[]): Array<YearGroup<unknown>> {
  const entries = splitArgs(args).params[0]
  if (!Array.isArray(entries)) throw new TypeError('Unexpected value for `groupByYear`, expected a list of entries')
  const groups: Array<YearGroup<unknown>> = []
  for (const entry of entries as unknown[]) {
    const date = typeof entry === 'object' && entry !== null && 'date' in entry ? toDateValue(entry.date) : undefined
    if (!date) throw new TypeError('Unexpected entry without a `date` in `groupByYear`, expected timeline entries')
    const last = groups.at(-1)
    if (last?.year === date.year) last.entries.push(entry)
    else groups.push({ year: date.year, entries: [entry] })
  }
  return groups
}
