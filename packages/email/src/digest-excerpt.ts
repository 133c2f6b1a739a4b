import type { Item } from '@masthead/core'
import stringWidth from 'string-width'

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' })

/**
 * The excerpt a digest shows for an item: its dek, or else the first paragraph of its text,
 * cut at about `columns` display columns (a CJK character counts two) at a word boundary
 * for spaced scripts, with an ellipsis.
 *
 * @param item The item.
 * @param columns The length to aim for, in display columns.
 */
export function digestExcerpt(item: Item, columns = 180): string {
  const dek = item.fields['dek']
  if (typeof dek === 'string' && dek.trim() !== '') return dek.trim()
  // The first paragraphs (figures left out) until there is enough to read.
  let paragraph = ''
  for (const block of item.body.text.split(/\n\s*\n/)) {
    const text = block.replace(/\s+/g, ' ').trim()
    if (text === '' || /^\[.*\]$/.test(text)) continue
    paragraph += (paragraph === '' || /[\u3000-\u9fff\uff00-\uffef]$/.test(paragraph) ? '' : ' ') + text
    if (/[:：]$/.test(paragraph) || stringWidth(paragraph) >= columns * 0.6) break
  }
  // A lead-in to what follows (`全文如下：`, `as follows:`) ends in an ellipsis instead.
  paragraph = paragraph.replace(/\s*[:：]$/, '…')
  if (stringWidth(paragraph) <= columns) return paragraph
  let cut = ''
  let width = 0
  for (const { segment: char } of graphemes.segment(paragraph)) {
    width += stringWidth(char)
    if (width > columns) break
    cut += char
  }
  const lastSpace = cut.lastIndexOf(' ')
  if (lastSpace > cut.length * 0.6) cut = cut.slice(0, lastSpace)
  return cut.replace(/[\s,.;:，。；：、]+$/u, '') + '…'
}
