import { labels } from '../labels.js'
import { helperLang, splitArgs } from './helper-options.js'

/** `{{join meta.keywords}}`: values joined with the language's list separator (`、` or `, `), or `sep=`. */
export function join(...args: unknown[]): string {
  const { params, options } = splitArgs(args)
  const values = Array.isArray(params[0]) ? (params[0] as unknown[]) : []
  const separator = typeof options.hash['sep'] === 'string' ? options.hash['sep'] : labels[helperLang(options)].listSeparator
  return values.map(String).join(separator)
}
