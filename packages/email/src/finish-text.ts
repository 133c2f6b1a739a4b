import stringWidth from 'string-width'
import { wrapText } from './wrap-text.js'

const REFERENCE = /^\[\d+\] \S+$/
const UNDERLINE = /^(?:===|---|~~~)$/

/**
 * Turn the text templates' output into the text part: a line `===`, `---` or `~~~` under a title
 * becomes an underline as wide as the title (CJK characters count two, at most `width`);
 * every other line is wrapped at `width` columns, CJK-aware (`wrapText`: html-to-text and
 * its kind do not wrap Chinese), but link references (`[1] https://…`) stay whole; trailing
 * spaces go, but for the signature delimiter `-- ` (RFC 3676); blocks are separated by one
 * blank line, and a title underlined with `===` and the signature by two, however many
 * blank lines the templates wrote.
 *
 * @param output What `layouts/text.hbs` produced.
 * @param width Columns.
 */
export function finishText(output: string, width: number): string {
  const lines = output.replace(/\r\n?/g, '\n').split('\n')
  const out: string[] = []
  for (const [index, raw] of lines.entries()) {
    const line = raw === '-- ' ? raw : raw.trimEnd()
    const previous = index > 0 ? lines[index - 1]!.trim() : ''
    if (UNDERLINE.test(line) && previous !== '') {
      out.push(line[0]!.repeat(Math.max(3, Math.min(width, stringWidth(previous)))))
    } else if (line === '' || line === '-- ' || REFERENCE.test(line)) {
      out.push(line)
    } else {
      out.push(wrapText(line, width))
    }
  }
  // Blank lines: one between blocks, two before a title underlined with `=` and before
  // the signature, however many the templates wrote.
  const joined = out.join('\n').split('\n')
  const spaced: string[] = []
  for (let index = 0; index < joined.length; index++) {
    const line = joined[index]!
    if (line !== '') {
      spaced.push(line)
      continue
    }
    let next = index
    while (next < joined.length && joined[next] === '') next++
    if (spaced.length === 0 || next === joined.length) {
      index = next - 1
      continue
    }
    const major = joined[next] === '-- ' || /^=+$/.test(joined[next + 1] ?? '')
    spaced.push(...(major ? ['', ''] : ['']))
    index = next - 1
  }
  return spaced.join('\n') + '\n'
}
