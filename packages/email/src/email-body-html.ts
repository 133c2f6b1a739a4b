import { chineseBreaks } from '@masthead/core'
import * as cheerio from 'cheerio'
import type { CheerioAPI } from 'cheerio'

/** Width of the text column: the 600 px body minus 24 px padding each side. */
export const CONTENT_WIDTH = 552

/**
 * Make an item's HTML fragment safe for email clients: figures become plain blocks
 * (`<figure>` has default margins in Outlook and no meaning in most clients), every image
 * gets a display `width`/`height` no wider than the text column, and source-position
 * attributes (useful in the preview, dead weight in a mailbox) are dropped. Tables get the
 * class `data-table`, which email.css styles (rules and zebra rows) without touching the
 * layout tables around them. A blockquote goes into a table cell that carries its rule and
 * indent (`blockquote-rule`): Outlook for Windows (Word) ignores padding and borders on it.
 * Chinese table cells break between words only (see {@link keepChineseWords}), and a table
 * of four columns or more is set compact (see {@link compactWideTables}).
 *
 * @param html An item body from the Issue model.
 * @param width The display width images may take, in CSS pixels.
 */
export function emailBodyHtml(html: string, width = CONTENT_WIDTH): string {
  if (!/<(?:figure|img|table|blockquote)\b|data-source/.test(html)) return html
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: false } }, false)
  $('[data-source-line], [data-source-column]').removeAttr('data-source-line').removeAttr('data-source-column')
  $('figcaption').each((_, element) => {
    element.tagName = 'p'
    $(element).attr('class', 'caption')
  })
  $('figure').each((_, element) => {
    element.tagName = 'div'
    $(element).attr('class', 'figure')
  })
  $('table').addClass('data-table')
  keepChineseWords($)
  compactWideTables($)
  $('blockquote').each((_, element) => {
    $(element).wrap(
      '<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" class="quote-box"><tbody><tr><td class="blockquote-rule"></td></tr></tbody></table>'
    )
  })
  $('img').each((_, element) => {
    const img = $(element)
    const intrinsicWidth = Number(img.attr('width')) || width
    const intrinsicHeight = Number(img.attr('height')) || 0
    const displayWidth = Math.min(intrinsicWidth, width)
    img.attr('width', String(displayWidth))
    if (intrinsicHeight) img.attr('height', String(Math.round((intrinsicHeight * displayWidth) / intrinsicWidth)))
    img.removeAttr('title')
    if (img.attr('alt') === undefined) img.attr('alt', '')
  })
  return $.html()
}

/**
 * A Chinese word longer than this (ICU's single characters glued to their neighbours:
 * 城市水务联盟) may also break before a word ICU found inside it (城市水务|联盟), and a run
 * of Han characters still longer anywhere, but only where it would overflow its line
 * (`overflow-wrap: anywhere` on that run alone). A Chinese column is then never narrower
 * than four characters need, so that a roster of four columns (two of them Chinese, set
 * compact by {@link compactWideTables}) still fits a 320 px screen, while a wider column
 * keeps a long name whole.
 */
const LONGEST_WORD = 4
const LONG_RUN = new RegExp(`\\p{Script=Han}{${LONGEST_WORD + 1},}`, 'gu')

/**
 * Chinese table cells break between words only: a `<wbr>` between the words
 * (`chineseBreaks`, from `Intl.Segmenter`) and `word-break: keep-all` inline on the cell,
 * so that a client that strips `<style>` keeps it too. Without it a name in a narrow
 * column wraps wherever the line is full (法国海岸保护|署, 序|号). A cell whose language
 * is not Chinese (`lang="en"`) is left alone.
 */
function keepChineseWords($: CheerioAPI): void {
  $('th, td').each((_, element) => {
    const cell = $(element)
    const lang = cell.closest('[lang]').attr('lang')
    if ((lang !== undefined && !/^zh\b/i.test(lang)) || !/\p{Script=Han}/u.test(cell.text())) return
    cell
      .find('*')
      .addBack()
      .contents()
      .each((_, node) => {
        if (node.type !== 'text') return
        const text = node.data
        const bounds = [0, ...chineseBreaks(text, LONGEST_WORD), text.length]
        const words = bounds.slice(1).map((end, index) => text.slice(bounds[index], end))
        const html = words.map((word) => word.replace(LONG_RUN, '<span style="overflow-wrap:anywhere">$&</span>')).join('<wbr>')
        if (html !== text) $(node).replaceWith(html)
      })
    cell.attr('style', `word-break:keep-all;${cell.attr('style') ?? ''}`)
  })
}

/** Columns from which a table is set compact: see {@link compactWideTables}. */
const WIDE_TABLE = 4
/** The compact cell, the same as email.css's phone rule for `.data-table` cells. */
const COMPACT_CELL = 'font-size:13px;padding:5px 4px'

/**
 * A table of {@link WIDE_TABLE} columns or more gets the phone's compact cells (13 px text,
 * 4 px side padding) inline, at every width: a client that strips `<style>` also drops the
 * phone rule, and with 14 px text and 6 px padding a roster whose narrowest columns are
 * 序号, four Chinese characters, "Mediterranean" and four more needs 285 px, where a 320 px
 * screen without `<style>` leaves 256 (Chromium, Noto Sans SC); compact it needs 252. The
 * inline style comes after the cell's own, so it wins over email.css's plain rule once
 * juice inlines that, and the phone rule (`!important`) still applies where there is one.
 */
function compactWideTables($: CheerioAPI): void {
  $('table').each((_, element) => {
    const table = $(element)
    const columns = Math.max(
      0,
      ...table
        .find('tr')
        .map((_, row) => $(row).children('th, td').length)
        .get()
    )
    if (columns < WIDE_TABLE) return
    table.find('th, td').each((_, cell) => {
      const own = ($(cell).attr('style') ?? '').replace(/;\s*$/, '')
      $(cell).attr('style', own ? `${own};${COMPACT_CELL}` : COMPACT_CELL)
    })
  })
}
