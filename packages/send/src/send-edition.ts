import { randomBytes } from 'node:crypto'
import type { Mailbox } from './compose-message.js'
import type { SendEvent, SendTally } from './deliver-message.js'
import { createDeliver, createSemaphore } from './deliver-message.js'
import type { Journal } from './journal.js'
import { openJournal, readJournal } from './journal.js'
import type { SmtpError, SmtpOptions } from './open-smtp.js'
import type { Edition, PersonalizeOptions } from './personalize.js'
import { withGreeting } from './personalize.js'
import type { Recipient, SkippedRow } from './read-recipients.js'
import type { MessageContext } from './recipient-message.js'
import { defaultListId } from './recipient-message.js'
import { createSendPool } from './send-pool.js'
import type { SendPool } from './send-pool.js'
import type { SendPlan, UnconfirmedPolicy } from './send-plan.js'
import { planSend } from './send-plan.js'
import type { SendSummary } from './send-summary.js'
import { writeSummary } from './send-summary.js'

export type { UnconfirmedPolicy } from './send-plan.js'

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
  event?: SendEvent
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
  const plan = planSend(options.recipients, prior, policy)
  const tally: SendTally = { sentThisRun: 0, failed: plan.failed, unconfirmed: plan.unconfirmed }
  const total = options.recipients.length
  const remaining = () => total - plan.alreadySent - tally.sentThisRun - tally.failed.length - tally.unconfirmed.length
  const counts: RunCounts = { total, plan, tally, remaining }

  const journal = await openJournal(options.journal)
  await appendRunRecord(journal, options, { campaign, edition, total, resumed: prior.records > 0 })
  const retryDelay = options.retryDelay ?? 30_000
  const pool = createSendPool({ smtp: options.smtp, concurrency: options.concurrency ?? 4, rate: options.rate, retryDelay })
  const progress = createProgress(options, startedAt, pool, counts)
  const deliver = createEditionDeliver(options, { journal, edition, campaign, policy, retryDelay, tally, pool, progress })
  await runAndClose(
    options,
    pool,
    journal,
    () => {
      progress()
      return pool.run(plan.jobs, deliver)
    },
    () => ({
      sent: plan.alreadySent + tally.sentThisRun,
      failed: tally.failed.length,
      unconfirmed: tally.unconfirmed.length,
      remaining: remaining()
    })
  )
  const summary = buildSummary(options, { edition, campaign, startedAt, pool, counts })
  await writeSummary(summary)
  return summary
}

/** The recipients of a run, its plan, its tally, and how many are left. */
interface RunCounts {
  total: number
  plan: SendPlan
  tally: SendTally
  remaining: () => number
}

/** What a run's journal records, the summary and delivery share about the send. */
interface RunContext {
  edition: Edition
  campaign: string
}

/** Write the journal's `run` record that opens this run. */
async function appendRunRecord(
  journal: Journal,
  options: SendEditionOptions,
  run: RunContext & { total: number; resumed: boolean }
): Promise<void> {
  await journal.append({
    type: 'run',
    at: now(),
    campaign: run.campaign,
    issue: run.edition.slug,
    list: options.list,
    recipients: run.total,
    pid: process.pid,
    resumed: run.resumed
  })
}

/** The progress callback: reports where the send stands to `onProgress`, if given. */
function createProgress(options: SendEditionOptions, startedAt: Date, pool: SendPool, counts: RunCounts): (event?: SendEvent) => void {
  const { total, plan, tally, remaining } = counts
  return (event?: SendEvent) => {
    if (!options.onProgress) return
    const elapsedMs = Date.now() - startedAt.getTime()
    const etaMs = tally.sentThisRun > 0 ? Math.round((remaining() * elapsedMs) / tally.sentThisRun) : undefined
    const { failed, unconfirmed } = tally
    options.onProgress({
      total,
      sent: plan.alreadySent + tally.sentThisRun,
      failed: failed.length,
      unconfirmed: unconfirmed.length,
      remaining: remaining(),
      retrying: pool.retrying,
      elapsedMs,
      etaMs,
      ...(event ? { event } : {})
    })
  }
}

/** The function that delivers one job: the message context, the journal and the retry rules. */
function createEditionDeliver(
  options: SendEditionOptions,
  run: RunContext & {
    journal: Journal
    policy: UnconfirmedPolicy
    retryDelay: number
    tally: SendTally
    pool: SendPool
    progress: (event?: SendEvent) => void
  }
): ReturnType<typeof createDeliver> {
  const { edition } = run
  const message: MessageContext = {
    edition,
    sender: options.sender,
    personalize: options.personalize,
    campaign: run.campaign,
    listId: options.listId ?? defaultListId(edition, options.sender)
  }
  return createDeliver({
    journal: run.journal,
    message,
    envelopeFrom: options.envelopeFrom ?? options.sender.address,
    policy: run.policy,
    maxAttempts: Math.max(1, options.maxAttempts ?? 5),
    retryDelay: run.retryDelay,
    turns: createSemaphore(Math.max(1, options.inDoubt ?? 1)),
    tally: run.tally,
    retryLater: run.pool.retryLater,
    progress: run.progress
  })
}

/** The summary of the send as it stands after this run. */
function buildSummary(options: SendEditionOptions, run: RunContext & { startedAt: Date; pool: SendPool; counts: RunCounts }): SendSummary {
  const { total, plan, tally, remaining } = run.counts
  return {
    issue: run.edition.slug,
    list: options.list,
    journal: options.journal,
    campaign: run.campaign,
    startedAt: run.startedAt.toISOString(),
    finishedAt: now(),
    total,
    sent: plan.alreadySent + tally.sentThisRun,
    sentThisRun: tally.sentThisRun,
    failed: tally.failed,
    unconfirmed: tally.unconfirmed,
    skipped: [...(options.skipped ?? [])],
    remaining: remaining(),
    interrupted: remaining() > 0,
    ...(run.pool.fatal ? { error: describe(run.pool.fatal) } : {})
  }
}

/**
 * Run the pool with the abort signal wired to stop it, then write the journal's `end`
 * record and close the journal (also when the run throws).
 */
async function runAndClose(
  options: SendEditionOptions,
  pool: SendPool,
  journal: Journal,
  run: () => Promise<void>,
  counts: () => { sent: number; failed: number; unconfirmed: number; remaining: number }
): Promise<void> {
  const stop = () => pool.stop()
  options.signal?.addEventListener('abort', stop, { once: true })
  if (options.signal?.aborted) stop()
  try {
    await run()
    options.signal?.removeEventListener('abort', stop)
    const end = counts()
    await journal.append({ type: 'end', at: now(), ...end, interrupted: end.remaining > 0 })
  } finally {
    await journal.close()
  }
}

function describe(error: SmtpError): string {
  return [error.code, error.response ?? error.message].filter(Boolean).join(': ')
}

const now = () => new Date().toISOString()
