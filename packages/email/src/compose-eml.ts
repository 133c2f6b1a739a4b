import { createHash } from 'node:crypto'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type { EmailAsset } from './embed-images.js'
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
  /** Adds `List-Unsubscribe` (and `List-Unsubscribe-Post` for web links, RFC 8058). */
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
 * Write the message with nodemailer's MailComposer: multipart/alternative of the text and
 * the HTML, the HTML in multipart/related with its inline images, and the usual headers.
 * The unsubscribe URL is written as given, so a merge tag (`<*|UNSUB|*>`) survives.
 * Text parts get quoted-printable or base64, whichever MailComposer finds shorter
 * (base64 for Chinese).
 *
 * @returns The raw RFC 5322 message.
 */
export async function composeEml(options: EmlOptions): Promise<Buffer> {
  const headers: Record<string, { prepared: true; value: string }> = {}
  const unsubscribe = options.unsubscribeUrl?.trim()
  if (unsubscribe) {
    headers['List-Unsubscribe'] = { prepared: true, value: `<${unsubscribe}>` }
    if (!/^mailto:/i.test(unsubscribe)) headers['List-Unsubscribe-Post'] = { prepared: true, value: 'List-Unsubscribe=One-Click' }
  }
  const composer = new MailComposer({
    from: { name: options.from.name ?? '', address: options.from.address },
    to: options.to.name ? { name: options.to.name, address: options.to.address } : options.to.address,
    subject: options.subject,
    date: options.date,
    messageId: messageId(options.id, options.date, options.from),
    text: canonicalLines(options.text),
    html: mailComposerHtml(options.html, options.htmlEncoding),
    headers,
    attachments: options.attachments.map((asset) => ({
      filename: asset.filename,
      content: asset.content,
      contentType: asset.contentType,
      ...(asset.cid ? { cid: asset.cid, contentDisposition: 'inline' as const } : {})
    }))
  })
  return composer.compile().build()
}
