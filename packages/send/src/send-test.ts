import { randomBytes } from 'node:crypto'
import type { Mailbox } from './compose-message.js'
import type { SmtpOptions } from './open-smtp.js'
import { openSmtp } from './open-smtp.js'
import type { Edition, PersonalizeOptions } from './personalize.js'
import { withGreeting } from './personalize.js'
import type { Recipient } from './read-recipients.js'
import { defaultListId, recipientMessage } from './recipient-message.js'

/** Options for {@link sendTest}. */
export interface TestSendOptions {
  edition: Edition
  /** Where the copy goes. */
  to: string
  /** Whose personalization it shows (default: `to`, without a name). */
  as?: Recipient
  sender: Mailbox
  envelopeFrom?: string
  personalize: PersonalizeOptions
  smtp: SmtpOptions
}

/**
 * Send one copy of the edition to `to`, subject prefixed `[Test]`, personalized as `as`
 * (the list's first recipient, say). No journal: a test copy is not part of the send.
 *
 * @returns The server's reply and the copy's Message-ID.
 */
export async function sendTest(options: TestSendOptions): Promise<{ response: string; messageId: string }> {
  const { edition } = withGreeting(options.edition, options.personalize.greeting)
  const recipient: Recipient = options.as ?? {
    email: options.to,
    key: options.to.toLowerCase(),
    name: '',
    fields: { email: options.to, name: '' },
    line: 0
  }
  const context = {
    edition,
    sender: options.sender,
    personalize: options.personalize,
    campaign: 'test-' + randomBytes(4).toString('hex'),
    listId: defaultListId(edition, options.sender)
  }
  const { raw, messageId } = await recipientMessage(context, recipient, { to: options.to, subjectPrefix: '[Test] ' })
  const session = await openSmtp(options.smtp)
  try {
    const response = await session.send({ from: options.envelopeFrom ?? options.sender.address, to: options.to }, raw, {
      commit: () => undefined
    })
    return { response, messageId }
  } finally {
    session.close()
  }
}
