import { splitArgs } from './helper-options.js'

/** `{{pad 3 2}}` → `03`: a number padded with zeros to a width (default 2). */
export function pad(...args: unknown[]): string {
  const { params } = splitArgs(args)
  const width = params[1] === undefined ? 2 : Number(params[1])
  return String(params[0] ?? '').padStart(width, '0')
}
