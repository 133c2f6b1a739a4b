import type { Mailbox } from './compose-message.js'
import { composeMessage, recipientMessageId } from './compose-message.js'
import type { Edition, PersonalizeOptions } from './personalize.js'
import { personalize } from './personalize.js'
import type { Recipient } from './read-recipients.js'

/** What every message of a send shares. */
export interface MessageContext {
  /** The edition, after `withGreeting`. */
  edition: Edition
  sender: Mailbox
  personalize: PersonalizeOptions
  /** The send's id (its journal's), seeding each recipient's Message-ID. */
  campaign: string
  listId: string
}

/** The `List-Id` of a send: `<slug>.<sender's domain>`. */
export function defaultListId(edition: Edition, sender: Mailbox): string {
  return `${edition.slug.replace(/[^\w-]+/g, '-')}.${sender.address.split('@')[1] ?? 'masthead.invalid'}`
}

/**
 * One recipient's raw message and its Message-ID.
 *
 * @param to Deliver to another address than the recipient's (a test send), keeping the recipient's personalization.
 */
export async function recipientMessage(
  context: MessageContext,
  recipient: Recipient,
  overrides: { to?: string; subjectPrefix?: string } = {}
): Promise<{ raw: Buffer; messageId: string }> {
  const address = overrides.to ?? recipient.email
  const messageId = recipientMessageId(context.campaign, address.toLowerCase(), context.edition.slug, context.sender)
  const personal = personalize(context.edition, recipient, context.personalize)
  const raw = await composeMessage({
    from: context.sender,
    to: recipient.name ? { name: recipient.name, address } : { address },
    subject: (overrides.subjectPrefix ?? '') + personal.subject,
    html: personal.html,
    text: personal.text,
    attachments: context.edition.attachments,
    messageId,
    date: new Date(),
    unsubscribeUrl: personal.unsubscribeUrl,
    listId: context.listId,
    textEncoding: 'quoted-printable'
  })
  return { raw, messageId }
}
