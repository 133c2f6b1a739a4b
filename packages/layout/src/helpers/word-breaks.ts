import Handlebars from 'handlebars'
import { helperLang, splitArgs } from './helper-options.js'

const HAN = /^\p{Script=Han}$/u
const segmenters = new Map<string, Intl.Segmenter>()

/**
 * Words of `text` by `Intl.Segmenter` (ICU's dictionary for Chinese). Runs of
 * single Han characters, which the dictionary did not know as words (圆|桌|会), are
 * kept together as one word (圆桌会), so a line never breaks inside a name it
 * did not recognise.
 */
export function chineseWords(text: string, lang = 'zh-CN'): string[] {
  let segmenter = segmenters.get(lang)
  if (!segmenter) {
    segmenter = new Intl.Segmenter(lang, { granularity: 'word' })
    segmenters.set(lang, segmenter)
  }
  const words: string[] = []
  let lastSingleHan = false
  for (const { segment } of segmenter.segment(text)) {
    const singleHan = HAN.test(segment)
    if (singleHan && lastSingleHan) words[words.length - 1] += segment
    else words.push(segment)
    lastSingleHan = singleHan
  }
  return words
}

/**
 * `{{wordBreaks title}}`: the text, HTML-escaped, with `<wbr>` between its Chinese words,
 * for a heading styled `word-break: keep-all` (which breaks Chinese text only at a
 * `<wbr>`, a space or punctuation). Text that is not Chinese comes back escaped only.
 */
export function wordBreaks(...args: unknown[]): Handlebars.SafeString {
  const { params, options } = splitArgs(args)
  const text = String(params[0] ?? '')
  const escape = Handlebars.Utils.escapeExpression
  if (helperLang(options) !== 'zh-CN' || !/\p{Script=Han}/u.test(text)) return new Handlebars.SafeString(escape(text))
  const words = chineseWords(text)
  let html = ''
  words.forEach((word, index) => {
    const previous = words[index - 1]
    // A break only between two words that both end or start in Han: Latin words keep
    // their spaces, and punctuation keeps the line-breaking rules of the language.
    if (previous !== undefined && /\p{Script=Han}$/u.test(previous) && /^\p{Script=Han}/u.test(word)) html += '<wbr>'
    html += escape(word)
  })
  return new Handlebars.SafeString(html)
}
