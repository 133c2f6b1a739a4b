import { labels } from '../labels.js'
import { formatDateValue, toDateValue } from './format-date.js'
import { helperLang, splitArgs } from './helper-options.js'

/**
 * `{{textOf value}}`: any field value as plain text, for the text edition: a text as it
 * is, a date formatted in the document's language, an image as its caption (or its alt
 * text), a list joined with the list separator; nothing for an empty value.
 */
export function textOf(...args: unknown[]): string {
  const { params, options } = splitArgs(args)
  const lang = helperLang(options)
  const text = (value: unknown): string => {
    if (value === undefined || value === null || value === '') return ''
    if (typeof value === 'string' || typeof value === 'number') return String(value)
    if (Array.isArray(value)) return value.map(text).filter(Boolean).join(labels[lang].listSeparator)
    if (typeof value === 'object') {
      const date = 'year' in value ? toDateValue(value) : undefined
      if (date) return formatDateValue(date, lang)
      const { caption, alt } = value as { caption?: unknown; alt?: unknown }
      if (typeof caption === 'string' && caption !== '') return caption
      if (typeof alt === 'string') return alt
    }
    return ''
  }
  return text(params[0])
}
