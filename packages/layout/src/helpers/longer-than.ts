import { splitArgs } from './helper-options.js'

/**
 * `{{#if (longerThan body.text 900)}}`: true when a text has more than `count` characters
 * (code points, so a Han character counts once). For choosing a layout by length, such as
 * setting a long story in two columns.
 */
export function longerThan(...args: unknown[]): boolean {
  const { params } = splitArgs(args)
  return [...String(params[0] ?? '')].length > Number(params[1] ?? 0)
}
