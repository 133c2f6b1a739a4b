import { splitArgs } from './helper-options.js'
import { truthy } from './truthy.js'

/** `{{or fields.byline fields.contributor}}`: the first non-empty value, else the last. */
export function or(...args: unknown[]): unknown {
  const { params } = splitArgs(args)
  return params.find(truthy) ?? params.at(-1)
}
