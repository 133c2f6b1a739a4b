import { splitArgs } from './helper-options.js'
import { truthy } from './truthy.js'

/** `{{#if (and fields.phone fields.fax)}}`: true when every value is non-empty. */
export function and(...args: unknown[]): boolean {
  return splitArgs(args).params.every(truthy)
}
