import stringWidth from 'string-width'

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

/** Characters a line may not start with (closing punctuation, JIS X 4051 / GB/T 15834 kinsoku). */
const NO_BREAK_BEFORE = new Set([
  ...'，。、；：？！）」』》〉】〕〗〙〛｝］’”…‥—～·・ー々〻ゝゞヽヾぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ％',
  ...',.;:!?)]}%'
])

/** Characters a line may not end with (opening punctuation). */
const NO_BREAK_AFTER = new Set([...'（「『《〈【〔〖〘〚｛［‘“', ...'([{'])

interface Segment {
  text: string
  /** Whether the source had white space before this segment (a space is kept when joined). */
  space: boolean
}

/** Split one line into the smallest pieces between which a line may break. */
function segment(line: string): Segment[] {
  const segments: Segment[] = []
  let pendingSpace = false
  let inWord = false
  // By grapheme cluster: an emoji ZWJ sequence, a flag or a letter with its marks is never split.
  for (const { segment: char } of graphemes.segment(line)) {
    if (/^\s+$/.test(char)) {
      pendingSpace = true
      inWord = false
      continue
    }
    const last = segments.at(-1)
    // Closing punctuation stays with what precedes it, opening punctuation with what follows,
    // even across a space.
    const glueToLast = last !== undefined && (NO_BREAK_BEFORE.has(char) || NO_BREAK_AFTER.has([...last.text].at(-1)!))
    const wide = stringWidth(char) === 2
    if (last && (glueToLast || (inWord && !wide && !pendingSpace))) {
      last.text += (pendingSpace ? ' ' : '') + char
    } else {
      segments.push({ text: char, space: pendingSpace && segments.length > 0 })
    }
    // A wide character is a segment of its own: a line may break after it.
    inWord = !wide
    pendingSpace = false
  }
  return segments
}

/**
 * Wrap one line of text to `width` columns, counting East Asian wide characters as two.
 * Breaks at spaces and between CJK characters, never before closing punctuation
 * (`，。）」`…) nor after opening punctuation (`（「“`…). A word longer than the line
 * (a URL) is kept whole on a line of its own.
 *
 * @param line The text; runs of white space collapse to one space.
 * @param width The line length in columns (default 72).
 * @param indent Prefix for continuation lines (e.g. two spaces under a list marker).
 */
export function wrapLine(line: string, width = 72, indent = ''): string[] {
  const lines: string[] = []
  const lead = /^\s*/.exec(line)![0]
  let current = lead
  let currentWidth = stringWidth(lead)
  for (const piece of segment(line)) {
    const pieceWidth = stringWidth(piece.text)
    const empty = current.trim() === ''
    const gap = piece.space && !empty ? 1 : 0
    if (!empty && currentWidth + gap + pieceWidth > width) {
      lines.push(current)
      current = indent + piece.text
      currentWidth = stringWidth(indent) + pieceWidth
      continue
    }
    current += (gap ? ' ' : '') + piece.text
    currentWidth += gap + pieceWidth
  }
  if (current.trim() !== '') lines.push(current)
  return lines
}

/**
 * Wrap a block of text: every line is wrapped on its own, list items (`- `, `1. `) get a
 * hanging indent, blank lines are kept.
 *
 * @param text Plain text, paragraphs separated by blank lines.
 * @param width The line length in columns (default 72).
 */
export function wrapText(text: string, width = 72): string {
  return text
    .split('\n')
    .flatMap((line) => {
      if (line.trim() === '') return ['']
      const marker = /^(\s*(?:[-*•]|\d+[.)]|\[\d+\])\s+)/.exec(line)?.[1] ?? /^\s*/.exec(line)![0]
      return wrapLine(line.trimEnd(), width, ' '.repeat(stringWidth(marker)))
    })
    .join('\n')
}
