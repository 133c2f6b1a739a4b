import Handlebars from 'handlebars'
import { helperLang, splitArgs } from './helper-options.js'

const HAN = /^\p{Script=Han}$/u
const segmenters = new Map<string, Intl.Segmenter>()

/**
 * Words of `text` by `Intl.Segmenter` (ICU's dictionary for Chinese). ICU cuts a word
 * it does not know into single characters (圆桌会 → 圆桌|会, 可持续 → 可|持续), so a
 * single Han character is kept with the words on both sides of it (圆桌会暨可持续):
 * a line may break less often, but never inside a word the dictionary did not know.
 */
export function chineseWords(text: string, lang = 'zh-CN'): string[] {
  let segmenter = segmenters.get(lang)
  if (!segmenter) {
    segmenter = new Intl.Segmenter(lang, { granularity: 'word' })
    segmenters.set(lang, segmenter)
  }
  const words: string[] = []
  let lastSingleHan = false
  let lastHan = false
  for (const { segment } of segmenter.segment(text)) {
    const singleHan = HAN.test(segment)
    const han = /^\p{Script=Han}/u.test(segment)
    if (words.length > 0 && han && lastHan && (singleHan || lastSingleHan)) words[words.length - 1] += segment
    else words.push(segment)
    lastSingleHan = singleHan
    lastHan = /\p{Script=Han}$/u.test(segment)
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
