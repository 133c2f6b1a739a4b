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
  const quoted = shortQuotes(text)
  let html = ''
  let offset = 0
  words.forEach((word, index) => {
    const previous = words[index - 1]
    // A break only between two words that both end or start in Han (Latin words keep
    // their spaces, punctuation the line-breaking rules of the language), and not inside
    // a short quoted name (“一带一路”, 《巴黎协定》).
    if (previous !== undefined && /\p{Script=Han}$/u.test(previous) && /^\p{Script=Han}/u.test(word) && !quoted.has(offset)) html += '<wbr>'
    html += escape(word)
    offset += word.length
  })
  return new Handlebars.SafeString(html)
}

const QUOTES: Record<string, string> = { '“': '”', '《': '》', '「': '」', '『': '』', '‘': '’' }

/** Offsets (in UTF-16 code units) inside a quoted name of at most 10 characters. */
function shortQuotes(text: string): Set<number> {
  const inside = new Set<number>()
  for (let start = 0; start < text.length; start++) {
    const close = QUOTES[text[start]!]
    if (close === undefined) continue
    const end = text.indexOf(close, start + 1)
    if (end < 0 || end - start - 1 > 10) continue
    for (let at = start + 1; at < end; at++) inside.add(at)
  }
  return inside
}
