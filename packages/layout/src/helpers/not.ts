import { splitArgs } from './helper-options.js'
import { truthy } from './truthy.js'

/** `{{#if (not fields.dek)}}`: true for an empty value (empty lists included). */
export function not(...args: unknown[]): boolean {
  return !truthy(splitArgs(args).params[0])
}
