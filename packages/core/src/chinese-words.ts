const HAN = /^\p{Script=Han}$/u
const segmenters = new Map<string, Intl.Segmenter>()

function segmenter(lang: string): Intl.Segmenter {
  let found = segmenters.get(lang)
  if (!found) {
    found = new Intl.Segmenter(lang, { granularity: 'word' })
    segmenters.set(lang, found)
  }
  return found
}

/**
 * Words of `text` by `Intl.Segmenter` (ICU's dictionary for Chinese). ICU cuts a word
 * it does not know into single characters (圆桌会 → 圆桌|会, 可持续 → 可|持续), so a
 * single Han character is kept with the words on both sides of it (圆桌会暨可持续):
 * a line may break less often, but never inside a word the dictionary did not know.
 */
export function chineseWords(text: string, lang = 'zh-CN'): string[] {
  const words: string[] = []
  let lastSingleHan = false
  let lastHan = false
  for (const { segment } of segmenter(lang).segment(text)) {
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
 * Where a line may break between two Chinese words of `text` (offsets in UTF-16 code
 * units, ascending), for text styled `word-break: keep-all`, which breaks Chinese only at
 * a `<wbr>`, a space or punctuation. A break goes only between two {@link chineseWords}
 * that end and start in Han (Latin words keep their spaces, punctuation the line-breaking
 * rules of the language), and not inside a short quoted name (“一带一路”, 《巴黎协定》).
 *
 * @param longest A word longer than this many characters (ICU's single characters glued
 *   into a run: 荷兰|水|务|局|联合|会 → 荷兰水务局联合会) may also break before each word of
 *   two or more characters ICU found inside it (荷兰水务局|联合会), for a narrow column.
 */
export function chineseBreaks(text: string, longest = Infinity): number[] {
  if (!/\p{Script=Han}/u.test(text)) return []
  const quoted = shortQuotes(text)
  const breaks: number[] = []
  let offset = 0
  let previous: string | undefined
  for (const word of chineseWords(text)) {
    if (previous !== undefined && /\p{Script=Han}$/u.test(previous) && /^\p{Script=Han}/u.test(word) && !quoted.has(offset))
      breaks.push(offset)
    if (word.length > longest) breaks.push(...innerBreaks(word, offset).filter((at) => !quoted.has(at)))
    offset += word.length
    previous = word
  }
  return breaks
}

/** Offsets (from `offset`) before each Han word of two or more characters inside `word`, but its first. */
function innerBreaks(word: string, offset: number): number[] {
  const breaks: number[] = []
  let at = offset
  for (const { segment } of segmenter('zh-CN').segment(word)) {
    if (at > offset && segment.length > 1 && /^\p{Script=Han}+$/u.test(segment)) breaks.push(at)
    at += segment.length
  }
  return breaks
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
