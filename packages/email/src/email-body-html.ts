import * as cheerio from 'cheerio'

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
  $('blockquote').each((_, element) => {
    $(element).wrap('<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%" class="quote-box"><tbody><tr><td class="blockquote-rule"></td></tr></tbody></table>')
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
