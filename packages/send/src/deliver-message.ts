import type { Journal } from './journal.js'
import type { SmtpError, SmtpSession } from './open-smtp.js'
import type { MessageContext } from './recipient-message.js'
import { recipientMessage } from './recipient-message.js'
import type { Job, UnconfirmedPolicy } from './send-plan.js'
import type { RecipientOutcome } from './send-summary.js'

/** What happened to the recipients of this run so far. */
export interface SendTally {
  sentThisRun: number
  failed: RecipientOutcome[]
  unconfirmed: RecipientOutcome[]
}

/** What just happened, for progress. */
export interface SendEvent {
  type: 'sent' | 'deferred' | 'failed' | 'unconfirmed'
  email: string
  response: string
}

/** How one attempt ended, for the pool: keep the connection, or replace it; stop the send. */
export interface AttemptResult {
  keep: boolean
  /** Not an SMTP answer (a bug, a bad message): the send stops rather than guess. */
  fatal?: Error
}

/** One attempt to deliver a message over an open connection. */
export type Deliver = (session: SmtpSession, job: Job) => Promise<AttemptResult>

/** What {@link createDeliver} needs. */
export interface DeliverContext {
  journal: Journal
  message: MessageContext
  /** The envelope sender. */
  envelopeFrom: string
  policy: UnconfirmedPolicy
  maxAttempts: number
  retryDelay: number
  /** Turns to commit: how many messages may wait for their reply at once. */
  turns: Semaphore
  tally: SendTally
  /** Put the job back after `delay` milliseconds. */
  retryLater: (job: Job, delay: number) => void
  progress: (event: SendEvent) => void
}

/** SMTP client errors after which the message is tried again (the server did not answer). */
const TEMPORARY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ESTREAM'])

/**
 * One attempt per call: a `sending` record, the message up to its final `.`, then (with a
 * turn to commit) a `committing` record and the `.`, then `sent` after the server's reply;
 * a failure is recorded by {@link settleFailure}.
 */
export function createDeliver(context: DeliverContext): Deliver {
  const { journal, turns, tally } = context
  return async (session, job) => {
    const { recipient, attempt } = job
    const to = recipient.key
    const { raw, messageId } = await recipientMessage(context.message, recipient)
    // Written at once, not waited for on disk: a lost `sending` record only means the message
    // is tried again, which is right, since nothing reached the server before `committing`.
    journal.appendNow({ type: 'sending', at: now(), to, attempt, messageId })
    let committed = false
    let turn = false
    const hooks = {
      ready: async () => {
        await turns.acquire()
        turn = true
      },
      commit: () => {
        committed = true
        journal.appendNow({ type: 'committing', at: now(), to, attempt })
      }
    }
    const giveBack = () => {
      if (turn) turns.release()
      turn = false
    }
    try {
      const response = await session.send({ from: context.envelopeFrom, to: recipient.email }, raw, hooks).catch((error: unknown) => {
        giveBack()
        throw error
      })
      // Recorded before the next message may commit: at most `inDoubt` records are ever open.
      journal.appendNow({ type: 'sent', at: now(), to, attempt, messageId, response })
      giveBack()
      await journal.sync()
      tally.sentThisRun++
      context.progress({ type: 'sent', email: recipient.email, response })
      return { keep: true }
    } catch (caught) {
      return settleFailure(context, job, caught as SmtpError, committed)
    }
  }
}

/**
 * Record a failed attempt: a 5xx fails the recipient; no reply after the commit is
 * `unconfirmed` (skipped, or resent per the policy); a 4xx or a lost connection is
 * `deferred` and retried with doubling delays, until `maxAttempts`.
 */
async function settleFailure(context: DeliverContext, job: Job, error: SmtpError, committed: boolean): Promise<AttemptResult> {
  const { journal, tally } = context
  const { recipient, attempt } = job
  const to = recipient.key
  const response = (error.response ?? error.message).trim()
  const code = error.responseCode
  const withCode = code === undefined ? {} : { code }
  if (code !== undefined && code >= 500) {
    await journal.append({ type: 'failed', at: now(), to, attempt, code, response })
    tally.failed.push({ email: recipient.email, line: recipient.line, code, response })
    context.progress({ type: 'failed', email: recipient.email, response })
  } else if (code === undefined && committed) {
    await journal.append({ type: 'unconfirmed', at: now(), to, attempt, response })
    if (context.policy === 'skip') {
      tally.unconfirmed.push({ email: recipient.email, line: recipient.line, response })
      context.progress({ type: 'unconfirmed', email: recipient.email, response })
    } else {
      context.retryLater(job, context.retryDelay)
    }
  } else if ((code !== undefined && code >= 400) || TEMPORARY_CODES.has(error.code ?? '')) {
    if (attempt >= context.maxAttempts) {
      const gaveUp = `${response} (gave up after ${attempt} attempts)`
      await journal.append({ type: 'failed', at: now(), to, attempt, ...withCode, response: gaveUp })
      tally.failed.push({ email: recipient.email, line: recipient.line, ...withCode, response: gaveUp })
      context.progress({ type: 'failed', email: recipient.email, response: gaveUp })
    } else {
      const delay = context.retryDelay * 2 ** (attempt - 1)
      await journal.append({ type: 'deferred', at: now(), to, attempt, ...withCode, response, retryInMs: delay })
      context.retryLater(job, delay)
      context.progress({ type: 'deferred', email: recipient.email, response })
    }
  } else {
    return { keep: false, fatal: error }
  }
  return { keep: false }
}

/** A counting semaphore: `acquire` waits for one of `size` turns, `release` gives it back. */
export interface Semaphore {
  acquire(): Promise<void>
  release(): void
}

/**
 * A counting semaphore. Hand-written, in six lines: a turn is held across the end of one
 * message (from `ready` to the journal's `sent` record), which p-limit and p-queue, built
 * to run a function to its end, do not express.
 */
export function createSemaphore(size: number): Semaphore {
  let free = size
  const waiting: (() => void)[] = []
  return {
    acquire: () => new Promise<void>((resolve) => (free > 0 ? (free--, resolve()) : waiting.push(resolve))),
    release: () => {
      const next = waiting.shift()
      if (next) next()
      else free++
    }
  }
}

const now = () => new Date().toISOString()
