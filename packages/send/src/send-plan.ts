import type { JournalState, RecipientRecord } from './journal.js'
import type { Recipient } from './read-recipients.js'
import type { RecipientOutcome } from './send-summary.js'

/** What to do on resume with a message whose end reached the server but whose reply never came. */
export type UnconfirmedPolicy = 'skip' | 'resend'

/** One message to send: a recipient and which attempt it is. */
export interface Job {
  recipient: Recipient
  attempt: number
}

/** Where a send stands before this run: what to send, and what earlier runs settled. */
export interface SendPlan {
  /** The recipients to send to, in list order. */
  jobs: Job[]
  /** Sent by an earlier run. */
  alreadySent: number
  failed: RecipientOutcome[]
  unconfirmed: RecipientOutcome[]
}

/**
 * Read the journal's last record per recipient: `sent` and `failed` recipients are done,
 * `sending` and `deferred` ones are sent (the server cannot have accepted them), and
 * `committing` or `unconfirmed` ones follow `policy`.
 *
 * @param recipients The list.
 * @param prior The journal as {@link readJournal} read it.
 * @param policy What to do with a message that may have been accepted.
 */
export function planSend(recipients: readonly Recipient[], prior: JournalState, policy: UnconfirmedPolicy): SendPlan {
  const plan: SendPlan = { jobs: [], alreadySent: 0, failed: [], unconfirmed: [] }
  for (const recipient of recipients) {
    const last = prior.last.get(recipient.key)
    const attempt = (last?.attempt ?? 0) + 1
    if (last?.type === 'sent') plan.alreadySent++
    else if (last?.type === 'failed') plan.failed.push(outcome(recipient, last))
    else if ((last?.type === 'committing' || last?.type === 'unconfirmed') && policy === 'skip')
      plan.unconfirmed.push(outcome(recipient, last))
    else plan.jobs.push({ recipient, attempt })
  }
  return plan
}

function outcome(recipient: Recipient, record: RecipientRecord): RecipientOutcome {
  const response =
    'response' in record ? record.response : 'the process stopped after the message was handed to the server, before its reply'
  const code = 'code' in record ? record.code : undefined
  return { email: recipient.email, line: recipient.line, ...(code === undefined ? {} : { code }), response }
}
