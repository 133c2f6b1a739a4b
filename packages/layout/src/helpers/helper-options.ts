import type { Lang } from '@masthead/core'
import { labelLang } from '../labels.js'

/** The last argument Handlebars passes to every helper (the part of it we use). */
export interface HelperOptions {
  hash: Record<string, unknown>
  data?: { root?: unknown }
  name?: string
}

/** Split a helper's arguments into its parameters and Handlebars' options object. */
export function splitArgs(args: readonly unknown[]): { params: unknown[]; options: HelperOptions } {
  const last = args.at(-1)
  if (typeof last === 'object' && last !== null && 'hash' in last) {
    return { params: args.slice(0, -1), options: last as HelperOptions }
  }
  return { params: [...args], options: { hash: {} } }
}

/** The language a helper should use: `lang=` in the hash, else the document's `@root.lang`. */
export function helperLang(options: HelperOptions): Lang {
  const fromHash = options.hash['lang']
  if (typeof fromHash === 'string') return labelLang(fromHash)
  const root = options.data?.root
  if (typeof root === 'object' && root !== null && 'lang' in root) return labelLang(root.lang)
  return 'en'
}
