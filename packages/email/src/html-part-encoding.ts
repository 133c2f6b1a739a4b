import * as base64 from 'nodemailer/lib/base64/index.js'
import * as qp from 'nodemailer/lib/qp/index.js'
import { canonicalLines } from './compose-eml.js'

/** How the HTML part travels in the .eml, and its size there. */
export interface HtmlPartEncoding {
  encoding: '8bit' | 'quoted-printable' | 'base64'
  /** Bytes of the encoded part body, line breaks included: what a mail server carries. */
  bytes: number
}

/** MIME's line length for encoded bodies (RFC 2045 §6.7, §6.8), as MailComposer wraps them. */
const ENCODED_LINE = 76
/** The longest line SMTP carries, without its CRLF (RFC 5321 §4.5.3.1.6). */
export const MAX_LINE_BYTES = 998
/** Lines are broken once they pass this, leaving room for merge tags restored later. */
const FOLD_AT = 700

/**
 * Where a line break changes nothing on screen: right before the start tag or right after
 * the end tag of a block or table element (white space next to a block boundary is not
 * rendered), before a conditional comment, and after a rule's `}` inside `<style>` (no `<`
 * between it and `</style>`).
 */
const SAFE_BREAK =
  /(?=<(?:table|tbody|thead|tr|td|th|div|p|h[1-6]|ul|ol|li|blockquote|!--\[if)\b)|(?<=<\/(?:table|tbody|thead|tr|td|th|div|p|h[1-6]|ul|ol|li|blockquote|style|head)>)|(?<=\}(?=[^<]*<\/style>))/gi

/** A comment, a tag, an entity, or one character of text. */
const TOKEN = /<!--[\s\S]*?-->|<[^>]*>|&#?\w+;|[\s\S]/g
/** A line break inside a comment: nothing on screen, not even a space (a bare one between Chinese characters would show as one). */
const TEXT_BREAK = '<!--\n-->'

/** Break a stretch of body HTML that has no block boundary (a long paragraph) inside its text, between characters. */
function breakText(piece: string): string {
  let out = ''
  let line = 0
  for (const [token] of piece.matchAll(TOKEN)) {
    const bytes = Buffer.byteLength(token)
    if (line + bytes > FOLD_AT && line > 0 && !token.startsWith('<') && !token.startsWith('&')) {
      out += TEXT_BREAK
      line = 3
    }
    out += token
    line = token.includes('\n') ? Buffer.byteLength(token.slice(token.lastIndexOf('\n') + 1)) : line + bytes
  }
  return out
}

/** Fold one line: at safe places first, inside text where a stretch of the body is still too long. */
function foldLine(line: string, inBody: boolean): string[] {
  const lines: string[] = []
  let current = ''
  for (const piece of line.split(SAFE_BREAK)) {
    if (current !== '' && Buffer.byteLength(current) + Buffer.byteLength(piece) > FOLD_AT) {
      // The line break is white space itself: spaces before it would only collapse into it.
      lines.push(current.replace(/[ \t]+$/, ''))
      current = ''
    }
    current += inBody && Buffer.byteLength(piece) > FOLD_AT ? breakText(piece) : piece
  }
  lines.push(current)
  return lines
}

/**
 * Break the minified HTML's long lines where a line break changes nothing on screen, so that
 * each line stays under SMTP's 998 bytes and the HTML part can travel as 8bit, unencoded: at
 * block boundaries, and inside a long paragraph's text as `<!--⏎-->` (a comment, so not
 * even a space shows). A line is broken once it passes 700 bytes, leaving room for merge
 * tags restored later; the head is broken at block boundaries only, and HTML with a `<pre>`
 * (where a line break shows) is left alone.
 *
 * @param html The minified email HTML.
 * @returns The HTML with a few more line breaks.
 */
export function foldHtmlLines(html: string): string {
  if (/<pre\b/i.test(html)) return html
  const lines: string[] = []
  let inBody = false
  for (const line of html.split('\n')) {
    const bodyAt = inBody ? 0 : line.search(/<body\b/i)
    if (Buffer.byteLength(line) <= FOLD_AT) lines.push(line)
    else if (bodyAt > 0) lines.push(...foldLine(line.slice(0, bodyAt), false), ...foldLine(line.slice(bodyAt), true))
    else lines.push(...foldLine(line, inBody || bodyAt === 0))
    if (bodyAt >= 0) inBody = true
  }
  return lines.join('\n')
}

/**
 * The transfer encoding of the HTML part, and its size as the .eml carries it (encoded as
 * MailComposer encodes it). 8bit, the HTML as it is, when every line fits SMTP's 998 bytes
 * (`foldHtmlLines` sees to that): every current mail server takes 8-bit MIME (RFC 6152).
 * Otherwise the shorter of quoted-printable, which writes each byte above ASCII as `=XX` (a
 * Chinese character, 3 bytes in UTF-8, takes 9: a Chinese issue of 91 KB became 169 KB), and
 * base64, a flat third more.
 *
 * @param html The final email HTML (its line breaks become CRLF in the .eml).
 */
export function htmlPartEncoding(html: string): HtmlPartEncoding {
  const content = Buffer.from(canonicalLines(html), 'utf8')
  if (html.split('\n').every((line) => Buffer.byteLength(line.replace(/\r$/, '')) <= MAX_LINE_BYTES)) {
    return { encoding: '8bit', bytes: content.length }
  }
  const quoted = Buffer.byteLength(qp.wrap(qp.encode(content), ENCODED_LINE))
  const based = Buffer.byteLength(base64.wrap(base64.encode(content), ENCODED_LINE))
  return quoted <= based ? { encoding: 'quoted-printable', bytes: quoted } : { encoding: 'base64', bytes: based }
}
