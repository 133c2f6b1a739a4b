import { createHash } from 'node:crypto'
import { canonicalLines, htmlPartEncoding, mailComposerHtml } from '@masthead/email'
import MailComposer from 'nodemailer/lib/mail-composer/index.js'
import type { EditionAttachment } from './personalize.js'

/** A mailbox: `"Name" <address>`. */
export interface Mailbox {
  name?: string
  address: string
}

/** One message, ready to compose. */
export interface MessageParts {
  from: Mailbox
  to: Mailbox
  subject: string
  html: string
  text: string
  attachments: readonly EditionAttachment[]
  /** With angle brackets: see {@link recipientMessageId}. */
  messageId: string
  date: Date
  unsubscribeUrl: string
  /** The `List-Id` header's id, e.g. `harbour-notes.example.org`. */
  listId?: string
}

/**
 * The Message-ID of one recipient's copy of a send: the same on every attempt and every
 * resumed run of that send, different for each recipient and each send (`campaign`). A
 * copy sent twice after a crash therefore carries the same Message-ID, which mailbox
 * providers (Gmail among them) and the tests use to recognize a duplicate.
 *
 * @param campaign The send's id, kept in its journal.
 * @param key The recipient's lowercased address.
 */
export function recipientMessageId(campaign: string, key: string, slug: string, sender: Mailbox): string {
  const domain = sender.address.split('@')[1] ?? 'masthead.invalid'
  const hash = createHash('sha256').update(`${campaign}\n${key}`).digest('base64url').slice(0, 22)
  return `<${slug.replace(/[^\w.-]+/g, '-')}.${campaign}.${hash}@${domain}>`
}

/**
 * Write one recipient's message with nodemailer's MailComposer: multipart/alternative of
 * text and HTML, the HTML in multipart/related with the inline images, `List-Unsubscribe`
 * and (for an http(s) URL) `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058).
 *
 * @returns The raw RFC 5322 message.
 */
export async function composeMessage(parts: MessageParts): Promise<Buffer> {
  const headers: Record<string, { prepared: true; value: string }> = {
    'List-Unsubscribe': { prepared: true, value: `<${parts.unsubscribeUrl}>` }
  }
  if (/^https?:/i.test(parts.unsubscribeUrl)) headers['List-Unsubscribe-Post'] = { prepared: true, value: 'List-Unsubscribe=One-Click' }
  if (parts.listId) headers['List-Id'] = { prepared: true, value: `<${parts.listId}>` }
  const composer = new MailComposer({
    from: { name: parts.from.name ?? '', address: parts.from.address },
    to: parts.to.name ? { name: parts.to.name, address: parts.to.address } : parts.to.address,
    subject: parts.subject,
    date: parts.date,
    messageId: parts.messageId,
    text: canonicalLines(parts.text),
    // 8bit when its lines fit (the email's HTML is folded for it), else the shorter encoding: Chinese stays small.
    html: mailComposerHtml(parts.html, htmlPartEncoding(parts.html).encoding),
    textEncoding: 'quoted-printable',
    headers,
    attachments: parts.attachments.map((asset) => ({
      filename: asset.filename,
      content: asset.content,
      contentType: asset.contentType,
      cid: asset.cid,
      contentDisposition: 'inline' as const
    }))
  })
  return composer.compile().build()
}
