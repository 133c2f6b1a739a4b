import { splitArgs } from './helper-options.js'

/** `{{#if (eq type "news")}}`: strict equality of two values. */
export function eq(...args: unknown[]): boolean {
  const { params } = splitArgs(args)
  return params[0] === params[1]
}
