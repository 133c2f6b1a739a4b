import { randomBytes } from 'node:crypto'
import type { Mailbox } from './compose-message.js'
import { createRateLimiter } from './create-rate-limiter.js'
import type { RecipientRecord } from './journal.js'
import { openJournal, readJournal } from './journal.js'
import type { SmtpError, SmtpOptions, SmtpSession } from './open-smtp.js'
import { openSmtp } from './open-smtp.js'
import type { Edition, PersonalizeOptions } from './personalize.js'
import { withGreeting } from './personalize.js'
import type { Recipient, SkippedRow } from './read-recipients.js'
import type { MessageContext } from './recipient-message.js'
import { defaultListId, recipientMessage } from './recipient-message.js'
import type { RecipientOutcome, SendSummary } from './send-summary.js'
import { writeSummary } from './send-summary.js'

/** What to do on resume with a message whose end reached the server but whose reply never came. */
export type UnconfirmedPolicy = 'skip' | 'resend'

/** Options for {@link sendEdition}. */
export interface SendEditionOptions {
  edition: Edition
  recipients: readonly Recipient[]
  /** Rows of the list left out, for the summary. */
  skipped?: readonly SkippedRow[]
  /** The list's name or path, for the journal and the summary. */
  list: string
  sender: Mailbox
  /** The envelope sender (bounces go there); default: the sender's address. */
  envelopeFrom?: string
  personalize: PersonalizeOptions
  smtp: SmtpOptions
  /** The journal file (`….jsonl`); the summary is written beside it. */
  journal: string
  /** Continue the send its journal records (required when the journal has records). */
  resume?: boolean
  /** Connections, and messages in flight (default 4). */
  concurrency?: number
  /** At most this many messages per second over all connections (default: no limit). */
  rate?: number
  /** Tries per recipient for temporary (4xx) failures (default 5). */
  maxAttempts?: number
  /** Milliseconds before the first retry; each next one waits twice as long (default 30 000). */
  retryDelay?: number
  /** Default `skip`: at most once. `resend`: at least once (the copy keeps its Message-ID). */
  unconfirmed?: UnconfirmedPolicy
  /**
   * How many messages may be between their final `.` and the server's reply at once, over
   * all connections (default 1): the most a crash can leave unconfirmed. The bodies still go
   * out in parallel; the ends take turns, about one round trip to the server each.
   */
  inDoubt?: number
  /** The `List-Id`; default `<slug>.<sender's domain>`. */
  listId?: string
  onProgress?: (progress: SendProgress) => void
  /** Stop taking new messages (the ones in flight finish); resume later. */
  signal?: AbortSignal
}

/** Where a send stands, after each event. */
export interface SendProgress {
  total: number
  sent: number
  failed: number
  unconfirmed: number
  /** Not yet sent (including those waiting for a retry). */
  remaining: number
  /** Waiting for a retry after a 4xx. */
  retrying: number
  elapsedMs: number
  /** From this run's pace; `undefined` until the first message is sent. */
  etaMs: number | undefined
  /** What just happened. */
  event?: { type: 'sent' | 'deferred' | 'failed' | 'unconfirmed'; email: string; response: string }
}

/** A journal with records exists and `resume` was not asked for. */
export class JournalExistsError extends Error {
  override name = 'JournalExistsError'
  readonly journal: string
  constructor(journal: string) {
    super(`A journal of this send exists (${journal}): continue it with --resume, or move it away to send to everyone again`)
    this.journal = journal
  }
}

interface Job {
  recipient: Recipient
  attempt: number
}

const TEMPORARY_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ESTREAM'])

/**
 * Send the edition to every recipient over SMTP, once each, with a journal that makes the
 * send resumable after any crash. Before a message, a `sending` record; when everything but
 * the final `.` has left the process, a `committing` record; after the server's reply,
 * `sent`, `deferred` (4xx: retried with doubling delays) or `failed` (5xx). On resume,
 * `sent` and `failed` recipients are done, `sending` and `deferred` ones are sent, and
 * `committing` ones (the server may have accepted them) follow `unconfirmed`.
 *
 * @returns The summary, also written beside the journal.
 * @throws {JournalExistsError} When the journal has records and `resume` is not set.
 */
export async function sendEdition(options: SendEditionOptions): Promise<SendSummary> {
  const startedAt = new Date()
  const prior = await readJournal(options.journal)
  if (prior.records > 0 && !options.resume) throw new JournalExistsError(options.journal)
  const campaign = prior.campaign ?? randomBytes(6).toString('hex')
  const { edition } = withGreeting(options.edition, options.personalize.greeting)
  const policy = options.unconfirmed ?? 'skip'
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5)
  const retryDelay = options.retryDelay ?? 30_000
  const context: MessageContext = { edition, sender: options.sender, personalize: options.personalize, campaign, listId: options.listId ?? defaultListId(edition, options.sender) }

  const failed: RecipientOutcome[] = []
  const unconfirmed: RecipientOutcome[] = []
  const queue: Job[] = []
  let alreadySent = 0
  for (const recipient of options.recipients) {
    const last = prior.last.get(recipient.key)
    const attempt = (last?.attempt ?? 0) + 1
    if (last?.type === 'sent') alreadySent++
    else if (last?.type === 'failed') failed.push(outcome(recipient, last))
    else if ((last?.type === 'committing' || last?.type === 'unconfirmed') && policy === 'skip') unconfirmed.push(outcome(recipient, last))
    else queue.push({ recipient, attempt })
  }

  const journal = await openJournal(options.journal)
  await journal.append({ type: 'run', at: new Date().toISOString(), campaign, issue: edition.slug, list: options.list, recipients: options.recipients.length, pid: process.pid, resumed: prior.records > 0 })

  let sentThisRun = 0
  let inFlight = 0
  let delayed = 0
  let stopping = false
  let fatal: Error | undefined
  const timers = new Set<NodeJS.Timeout>()
  let waiters: (() => void)[] = []
  const wake = () => {
    const woken = waiters
    waiters = []
    for (const resolve of woken) resolve()
  }
  const stop = () => {
    stopping = true
    for (const timer of timers) clearTimeout(timer)
    timers.clear()
    delayed = 0
    wake()
  }
  options.signal?.addEventListener('abort', stop, { once: true })
  if (options.signal?.aborted) stop()

  const progress = (event?: SendProgress['event']) => {
    if (!options.onProgress) return
    const elapsedMs = Date.now() - startedAt.getTime()
    const sent = alreadySent + sentThisRun
    const remaining = options.recipients.length - sent - failed.length - unconfirmed.length
    const etaMs = sentThisRun > 0 ? Math.round((remaining * elapsedMs) / sentThisRun) : undefined
    options.onProgress({ total: options.recipients.length, sent, failed: failed.length, unconfirmed: unconfirmed.length, remaining, retrying: delayed, elapsedMs, etaMs, ...(event ? { event } : {}) })
  }

  const take = async (): Promise<Job | undefined> => {
    for (;;) {
      if (stopping) return undefined
      const job = queue.shift()
      if (job) {
        inFlight++
        return job
      }
      if (delayed === 0 && inFlight === 0) return undefined
      await new Promise<void>((resolve) => waiters.push(resolve))
    }
  }
  const retryLater = (job: Job, delay: number) => {
    delayed++
    const timer = setTimeout(() => {
      timers.delete(timer)
      delayed--
      queue.push({ recipient: job.recipient, attempt: job.attempt + 1 })
      wake()
    }, delay)
    timers.add(timer)
  }

  const limit = createRateLimiter(options.rate)
  const turns = createSemaphore(Math.max(1, options.inDoubt ?? 1))
  let connected = 0
  let opening = 0
  /**
   * Open a connection, trying again on temporary trouble (refused, timed out, a 4xx
   * greeting such as "421 too many connections"). When it cannot, the worker ends while
   * others are connected; with none, the send stops. A refused login stops it at once.
   */
  const open = async (): Promise<SmtpSession | undefined> => {
    opening++
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          const session = await connect(options.smtp)
          connected++
          return session
        } catch (caught) {
          const error = caught as SmtpError
          const temporary = error.code !== 'EAUTH' && (error.responseCode === undefined || error.responseCode < 500)
          if (temporary && attempt < 3 && !stopping) {
            await new Promise((resolve) => setTimeout(resolve, Math.min(retryDelay, 5_000) * attempt))
            continue
          }
          if (temporary && (connected > 0 || opening > 1)) return undefined
          throw error
        }
      }
    } finally {
      opening--
    }
  }
  const worker = async () => {
    let session: SmtpSession | undefined
    const drop = () => {
      if (!session) return
      session.close()
      session = undefined
      connected--
    }
    try {
      for (let job = await take(); job; job = await take()) {
        try {
          session ??= await open()
          if (!session || stopping) {
            queue.unshift(job)
            break
          }
          await limit()
          if (stopping) {
            queue.unshift(job)
            break
          }
          if (!(await deliver(session, job))) drop()
        } catch (error) {
          // Could not connect or log in: nothing was sent for this job.
          queue.unshift(job)
          fatal ??= error as Error
          stop()
        } finally {
          inFlight--
          wake()
        }
      }
    } finally {
      drop()
    }
  }

  /** One attempt; false when the connection should be replaced. */
  const deliver = async (session: SmtpSession, job: Job): Promise<boolean> => {
    const { recipient, attempt } = job
    const to = recipient.key
    const { raw, messageId } = await recipientMessage(context, recipient)
    // Written at once, not waited for on disk: a lost `sending` record only means the message
    // is tried again, which is right, since nothing reached the server before `committing`.
    journal.appendNow({ type: 'sending', at: now(), to, attempt, messageId })
    let committed = false
    let turn = false
    try {
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
      const response = await session.send({ from: options.envelopeFrom ?? options.sender.address, to: recipient.email }, raw, hooks).catch((error: unknown) => {
        giveBack()
        throw error
      })
      // Recorded before the next message may commit: at most `inDoubt` records are ever open.
      journal.appendNow({ type: 'sent', at: now(), to, attempt, messageId, response })
      giveBack()
      await journal.sync()
      sentThisRun++
      progress({ type: 'sent', email: recipient.email, response })
      return true
    } catch (caught) {
      const error = caught as SmtpError
      const response = (error.response ?? error.message).trim()
      const code = error.responseCode
      if (code !== undefined && code >= 500) {
        await journal.append({ type: 'failed', at: now(), to, attempt, code, response })
        failed.push({ email: recipient.email, line: recipient.line, code, response })
        progress({ type: 'failed', email: recipient.email, response })
      } else if (code === undefined && committed) {
        await journal.append({ type: 'unconfirmed', at: now(), to, attempt, response })
        if (policy === 'skip') {
          unconfirmed.push({ email: recipient.email, line: recipient.line, response })
          progress({ type: 'unconfirmed', email: recipient.email, response })
        } else {
          retryLater(job, retryDelay)
        }
      } else if ((code !== undefined && code >= 400) || TEMPORARY_CODES.has(error.code ?? '')) {
        if (attempt >= maxAttempts) {
          const gaveUp = `${response} (gave up after ${attempt} attempts)`
          await journal.append({ type: 'failed', at: now(), to, attempt, ...(code === undefined ? {} : { code }), response: gaveUp })
          failed.push({ email: recipient.email, line: recipient.line, ...(code === undefined ? {} : { code }), response: gaveUp })
          progress({ type: 'failed', email: recipient.email, response: gaveUp })
        } else {
          const delay = retryDelay * 2 ** (attempt - 1)
          await journal.append({ type: 'deferred', at: now(), to, attempt, ...(code === undefined ? {} : { code }), response, retryInMs: delay })
          retryLater(job, delay)
          progress({ type: 'deferred', email: recipient.email, response })
        }
      } else {
        // Not an SMTP answer (a bug, a bad message): stop rather than guess.
        queue.unshift(job)
        fatal ??= error
        stop()
      }
      return false
    }
  }

  try {
    progress()
    const workers = Math.max(1, Math.min(options.concurrency ?? 4, queue.length || 1))
    await Promise.all(Array.from({ length: workers }, () => worker()))
    options.signal?.removeEventListener('abort', stop)
    const remaining = options.recipients.length - alreadySent - sentThisRun - failed.length - unconfirmed.length
    await journal.append({ type: 'end', at: now(), sent: alreadySent + sentThisRun, failed: failed.length, unconfirmed: unconfirmed.length, remaining, interrupted: remaining > 0 })
  } finally {
    await journal.close()
  }
  const sent = alreadySent + sentThisRun
  const remaining = options.recipients.length - sent - failed.length - unconfirmed.length
  const summary: SendSummary = {
    issue: edition.slug,
    list: options.list,
    journal: options.journal,
    campaign,
    startedAt: startedAt.toISOString(),
    finishedAt: now(),
    total: options.recipients.length,
    sent,
    sentThisRun,
    failed,
    unconfirmed,
    skipped: [...(options.skipped ?? [])],
    remaining,
    interrupted: remaining > 0,
    ...(fatal ? { error: describe(fatal) } : {})
  }
  await writeSummary(summary)
  return summary
}

/** A counting semaphore: `acquire` waits for one of `size` turns, `release` gives it back. */
function createSemaphore(size: number) {
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

async function connect(smtp: SmtpOptions): Promise<SmtpSession> {
  return openSmtp(smtp)
}

function outcome(recipient: Recipient, record: RecipientRecord): RecipientOutcome {
  const response = 'response' in record ? record.response : 'the process stopped after the message was handed to the server, before its reply'
  const code = 'code' in record ? record.code : undefined
  return { email: recipient.email, line: recipient.line, ...(code === undefined ? {} : { code }), response }
}

function describe(error: SmtpError): string {
  return [error.code, error.response ?? error.message].filter(Boolean).join(': ')
}

const now = () => new Date().toISOString()
