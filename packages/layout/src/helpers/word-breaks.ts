import Handlebars from 'handlebars'
import { chineseBreaks } from '@masthead/core'
import { helperLang, splitArgs } from './helper-options.js'

/**
 * `{{wordBreaks title}}`: the text, HTML-escaped, with `<wbr>` between its Chinese words
 * (`chineseBreaks` of @masthead/core), for a heading styled `word-break: keep-all` (which
 * breaks Chinese text only at a `<wbr>`, a space or punctuation). Text that is not
 * Chinese comes back escaped only.
 */
export function wordBreaks(...args: unknown[]): Handlebars.SafeString {
  const { params, options } = splitArgs(args)
  const text = String(params[0] ?? '')
  const escape = Handlebars.Utils.escapeExpression
  if (helperLang(options) !== 'zh-CN') return new Handlebars.SafeString(escape(text))
  let html = ''
  let from = 0
  for (const at of chineseBreaks(text)) {
    html += escape(text.slice(from, at)) + '<wbr>'
    from = at
  }
  return new Handlebars.SafeString(html + escape(text.slice(from)))
}
