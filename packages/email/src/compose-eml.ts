import { createHash } from 'node:crypto'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type { EmailAsset } from './embed-images.js'
import { htmlPartEncoding } from './html-part-encoding.js'
import type { Mailbox } from './email-config.js'

/** What goes into the .eml. */
export interface EmlOptions {
  subject: string
  from: Mailbox
  to: Mailbox
  date: Date
  html: string
  text: string
  /** Images referenced as `cid:` from the HTML, sent as related inline parts. */
  attachments: readonly EmailAsset[]
  /** Adds `List-Unsubscribe` (and `List-Unsubscribe-Post` for an https URL, RFC 8058). */
  unsubscribeUrl?: string | undefined
  /** Seed for a stable Message-ID (e.g. the issue slug). */
  id: string
  /** The HTML part's transfer encoding (`htmlPartEncoding`); MailComposer's guess without it. */
  htmlEncoding?: '8bit' | 'quoted-printable' | 'base64' | undefined
}

/** `<slug.20250601.1a2b3c4d@example.org>`: stable for the same issue and date. */
export function messageId(id: string, date: Date, from: Mailbox): string {
  const domain = from.address.split('@')[1] ?? 'masthead.invalid'
  const day = date.toISOString().slice(0, 10).replace(/-/g, '')
  const hash = createHash('sha1').update(`${id}\n${date.toISOString()}\n${from.address}`).digest('hex').slice(0, 12)
  const local = id.replace(/[^\w.-]+/g, '-')
  return `<${local}.${day}.${hash}@${domain}>`
}

/**
 * Every line break as CRLF (RFC 5322 §2.3, RFC 2045 §6.7): MailComposer's quoted-printable
 * encoder keeps a bare LF of the content as it is, so the parts are handed over canonical.
 */
export function canonicalLines(content: string): string {
  return content.replace(/\r\n|\r|\n/g, '\r\n')
}

/** A part of the message besides the text and the HTML: inline when it has a Content-ID. */
export interface MessageAttachment {
  filename: string
  contentType: string
  content: Buffer
  /** The Content-ID, without angle brackets: an inline image the HTML shows as `cid:…`. */
  cid?: string | undefined
}

/** One message, ready to compose with {@link composeMessage}. */
export interface MessageParts {
  from: Mailbox
  to: Mailbox
  subject: string
  html: string
  text: string
  attachments: readonly MessageAttachment[]
  /** With angle brackets: `<…@example.org>`. */
  messageId: string
  date: Date
  /** Written as given into `List-Unsubscribe`, so a merge tag (`<*|UNSUB|*>`) survives. */
  unsubscribeUrl?: string | undefined
  /** The `List-Id` header's id, e.g. `harbour-notes.example.org`. */
  listId?: string | undefined
  /** Force the text parts' transfer encoding; default: whichever MailComposer finds shorter (base64 for Chinese). */
  textEncoding?: 'quoted-printable' | 'base64' | undefined
  /** The HTML part's transfer encoding; default: {@link htmlPartEncoding}'s choice (8bit when the lines fit). */
  htmlEncoding?: '8bit' | 'quoted-printable' | 'base64' | undefined
}

/** The `html` option of MailComposer: the content and its transfer encoding, or a raw 8bit part. */
export type MailComposerHtml = { content: string; contentTransferEncoding?: string } | { raw: string }

/**
 * The HTML part for MailComposer, line breaks made CRLF. MailComposer encodes every text
 * part (quoted-printable or base64) whatever its Content-Transfer-Encoding says, so an 8bit
 * part is handed over raw, headers and all.
 *
 * @param html The email HTML.
 * @param encoding From `htmlPartEncoding(html)`; MailComposer's own choice without it.
 */
export function mailComposerHtml(html: string, encoding?: '8bit' | 'quoted-printable' | 'base64'): MailComposerHtml {
  const content = canonicalLines(html)
  if (encoding === '8bit') return { raw: `Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${content}` }
  return { content, ...(encoding ? { contentTransferEncoding: encoding } : {}) }
}

/**
 * The list headers of a message: `List-Unsubscribe: <url>` for any unsubscribe address,
 * and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058) when it is an https
 * URL — RFC 8058 asks for one, and a `mailto:`, a plain `http:` URL or a merge tag that a
 * platform fills in later cannot promise a one-click POST endpoint.
 */
export function listHeaders(unsubscribeUrl: string | undefined, listId?: string): Record<string, { prepared: true; value: string }> {
  const headers: Record<string, { prepared: true; value: string }> = {}
  const unsubscribe = unsubscribeUrl?.trim()
  if (unsubscribe) {
    headers['List-Unsubscribe'] = { prepared: true, value: `<${unsubscribe}>` }
    if (/^https:\/\//i.test(unsubscribe)) headers['List-Unsubscribe-Post'] = { prepared: true, value: 'List-Unsubscribe=One-Click' }
  }
  if (listId) headers['List-Id'] = { prepared: true, value: `<${listId}>` }
  return headers
}

/**
 * Write a message with nodemailer's MailComposer: multipart/alternative of the text and the
 * HTML, the HTML in multipart/related with its inline images, and the list headers
 * ({@link listHeaders}). Both the `.eml` of a build and each message of a send are written
 * here.
 *
 * @returns The raw RFC 5322 message.
 */
export async function composeMessage(parts: MessageParts): Promise<Buffer> {
  const composer = new MailComposer({
    from: { name: parts.from.name ?? '', address: parts.from.address },
    to: parts.to.name ? { name: parts.to.name, address: parts.to.address } : parts.to.address,
    subject: parts.subject,
    date: parts.date,
    messageId: parts.messageId,
    text: canonicalLines(parts.text),
    html: mailComposerHtml(parts.html, parts.htmlEncoding ?? htmlPartEncoding(parts.html).encoding),
    ...(parts.textEncoding ? { textEncoding: parts.textEncoding } : {}),
    headers: listHeaders(parts.unsubscribeUrl, parts.listId),
    attachments: parts.attachments.map((asset) => ({
      filename: asset.filename,
      content: asset.content,
      contentType: asset.contentType,
      ...(asset.cid ? { cid: asset.cid, contentDisposition: 'inline' as const } : {})
    }))
  })
  return composer.compile().build()
}

/**
 * Write a build's `.eml` ({@link composeMessage}) with a Message-ID stable for the issue and
 * its date.
 *
 * @returns The raw RFC 5322 message.
 */
export async function composeEml(options: EmlOptions): Promise<Buffer> {
  const { id, ...parts } = options
  return composeMessage({ ...parts, messageId: messageId(id, options.date, options.from) })
}
