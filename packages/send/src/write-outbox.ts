import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Mailbox } from './compose-message.js'
import type { Edition, PersonalizeOptions } from './personalize.js'
import { withGreeting } from './personalize.js'
import type { Recipient } from './read-recipients.js'
import { defaultListId, recipientMessage } from './recipient-message.js'

/** Options for {@link writeOutbox}. */
export interface OutboxOptions {
  edition: Edition
  recipients: readonly Recipient[]
  sender: Mailbox
  personalize: PersonalizeOptions
  /** The folder to write the `.eml` files to. */
  dir: string
}

const OUTBOX_FILE = /^\d{4,}-[^/]*\.eml$/

/**
 * A dry run: write each recipient's message, exactly as it would be sent, to
 * `<dir>/0001-<address>.eml`, in list order. Files of an earlier dry run in `dir` are
 * replaced; nothing is sent and no journal is written.
 *
 * @returns The paths written.
 */
export async function writeOutbox(options: OutboxOptions): Promise<string[]> {
  const { edition } = withGreeting(options.edition, options.personalize.greeting)
  await mkdir(options.dir, { recursive: true })
  for (const name of await readdir(options.dir)) {
    if (OUTBOX_FILE.test(name)) await rm(path.join(options.dir, name))
  }
  const context = {
    edition,
    sender: options.sender,
    personalize: options.personalize,
    campaign: 'dry-run',
    listId: defaultListId(edition, options.sender)
  }
  const width = Math.max(4, String(options.recipients.length).length)
  const written: string[] = []
  for (const [index, recipient] of options.recipients.entries()) {
    const { raw } = await recipientMessage(context, recipient)
    const file = path.join(options.dir, `${String(index + 1).padStart(width, '0')}-${recipient.key.replace(/[^\w.@+-]+/g, '_')}.eml`)
    await writeFile(file, raw)
    written.push(file)
  }
  return written
}
