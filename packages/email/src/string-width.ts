/**
 * Display width of text in a monospaced plain-text mail reader: East Asian Wide and
 * Fullwidth characters (UAX #11) count as 2 columns, combining marks as 0, the rest as 1.
 */

const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f], // Hangul Jamo initials
  [0x231a, 0x231b],
  [0x2329, 0x232a],
  [0x2e80, 0x303e], // CJK radicals, Kangxi, CJK symbols and punctuation
  [0x3041, 0x33ff], // kana, bopomofo, Hangul compatibility, enclosed CJK, CJK compatibility
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xa000, 0xa4cf], // Yi
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff00, 0xff60], // fullwidth forms
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f], // pictographs, emoticons
  [0x1f900, 0x1f9ff],
  [0x20000, 0x2fffd], // CJK extensions B–F
  [0x30000, 0x3fffd]
]

/** True when `codePoint` takes two columns. */
export function isWide(codePoint: number): boolean {
  if (codePoint < 0x1100) return false
  for (const [start, end] of WIDE) {
    if (codePoint < start) return false
    if (codePoint <= end) return true
  }
  return false
}

function isZeroWidth(codePoint: number): boolean {
  return (
    (codePoint >= 0x0300 && codePoint <= 0x036f) ||
    (codePoint >= 0x200b && codePoint <= 0x200f) ||
    (codePoint >= 0xfe00 && codePoint <= 0xfe0f) ||
    codePoint === 0xfeff
  )
}

/**
 * The number of columns `text` takes.
 *
 * @param text One line of text (no newlines).
 */
export function stringWidth(text: string): number {
  let width = 0
  for (const char of text) {
    const codePoint = char.codePointAt(0)!
    if (isZeroWidth(codePoint)) continue
    width += isWide(codePoint) ? 2 : 1
  }
  return width
}
