import Handlebars from 'handlebars'
import { splitArgs } from './helper-options.js'

/**
 * Quote a value as a CSS string, for `content:` in a `<style>` element (running headers):
 * `{{cssString title}}` → `"绿色丝路新闻"`. Backslashes, quotes, line breaks and `<` are
 * escaped, so the value can neither end the string nor the `<style>` element.
 */
export function cssString(...args: unknown[]): Handlebars.SafeString {
  const value = String(splitArgs(args).params[0] ?? '')
  const escaped = value.replace(/[\\"<>\n\r\f]/g, (char) => `\\${char.charCodeAt(0).toString(16).toUpperCase()} `)
  return new Handlebars.SafeString(`"${escaped}"`)
}
