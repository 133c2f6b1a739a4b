import { splitArgs } from './helper-options.js'

/** `{{displayUrl fields.web}}`: a URL as people read it, `https://www.example.org/a/` → `example.org/a`. */
export function displayUrl(...args: unknown[]): string {
  const value = String(splitArgs(args).params[0] ?? '')
  return value
    .replace(/^[a-z][a-z\d+.-]*:\/\//i, '')
    .replace(/^www\./i, '')
    .replace(/\/$/, '')
}
