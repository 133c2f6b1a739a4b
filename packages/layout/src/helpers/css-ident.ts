import Handlebars from 'handlebars'
import { splitArgs } from './helper-options.js'

/**
 * Escape a value for use as (part of) a CSS identifier, such as a page name:
 * `page: section-{{cssIdent id}}`.
 */
export function cssIdent(...args: unknown[]): Handlebars.SafeString {
  const value = String(splitArgs(args).params[0] ?? '')
  const escaped = [...value]
    .map((char, index) => {
      if (/[a-zA-Z_-]/.test(char) || char.charCodeAt(0) >= 0x80) return char
      if (/\d/.test(char)) return index === 0 ? `\\3${char} ` : char
      return `\\${char.charCodeAt(0).toString(16)} `
    })
    .join('')
  return new Handlebars.SafeString(escaped)
}
