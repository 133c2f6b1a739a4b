import { createHash } from 'node:crypto'
import type { Mailbox } from '@masthead/email'

// One MailComposer wrapper for the build's .eml and every message of a send: @masthead/email's.
export type { Mailbox, MessageParts } from '@masthead/email'
export { composeMessage } from '@masthead/email'

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
