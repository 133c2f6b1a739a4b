import { helperLang, splitArgs } from './helper-options.js'

/**
 * `{{number 1234}}` → `1,234`; `{{number @index add=1}}` → `1` for the first item.
 * Grouped the way the document's language writes numbers.
 */
export function number(...args: unknown[]): string {
  const { params, options } = splitArgs(args)
  const value = Number(params[0]) + Number(options.hash['add'] ?? 0)
  if (!Number.isFinite(value)) return ''
  return new Intl.NumberFormat(helperLang(options), { maximumFractionDigits: 2 }).format(value)
}
