import { splitArgs } from './helper-options.js'

/**
 * `{{#each (split fields.people)}}`: a list written in one field (`Lan Yan, Peng Ning`,
 * `兰燕、彭宁`) as separate values; commas, 、 and semicolons separate.
 */
export function split(...args: unknown[]): string[] {
  const value = String(splitArgs(args).params[0] ?? '')
  return value
    .split(/\s*[,，、;；]\s*/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
}
