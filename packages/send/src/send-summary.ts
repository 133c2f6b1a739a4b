import { writeFile } from 'node:fs/promises'
import type { SkippedRow } from './read-recipients.js'

/** A recipient the send could not deliver to, or cannot vouch for. */
export interface RecipientOutcome {
  email: string
  line: number
  /** The SMTP reply code, when the server gave one. */
  code?: number
  /** The server's reply or the error, as given. */
  response: string
}

/** What a send did, over all its runs (the first and each resume). */
export interface SendSummary {
  issue: string
  list: string
  journal: string
  campaign: string
  startedAt: string
  finishedAt: string
  /** Recipients in the list (valid rows). */
  total: number
  /** Delivered: accepted by the server (in this run, and in earlier runs of the send). */
  sent: number
  sentThisRun: number
  /** Permanent failures (5xx, or 4xx past the last attempt), with the server's reply. */
  failed: RecipientOutcome[]
  /**
   * Messages whose end reached the server but whose reply never came (a crash or a dropped
   * connection): probably delivered, not sent again under the `skip` policy.
   */
  unconfirmed: RecipientOutcome[]
  /** Rows of the list left out (no address, malformed, duplicate). */
  skipped: SkippedRow[]
  /** Recipients not yet sent to: the run was stopped, or retries were still waiting. */
  remaining: number
  /** True when the run stopped before the end (Ctrl-C, a fatal error). */
  interrupted: boolean
  /** The fatal error that stopped the run, if any (e.g. a refused login). */
  error?: string
}

/** The summary as lines for a terminal. */
export function formatSummary(summary: SendSummary): string {
  const lines = [
    `${summary.interrupted ? 'Stopped' : 'Done'}: ${summary.sent} of ${summary.total} sent` +
      (summary.sent !== summary.sentThisRun ? ` (${summary.sentThisRun} in this run)` : '') +
      `, ${summary.failed.length} failed, ${summary.unconfirmed.length} unconfirmed, ${summary.skipped.length} skipped, ${summary.remaining} remaining`
  ]
  if (summary.error) lines.push(`  error: ${summary.error}`)
  for (const outcome of summary.failed) lines.push(`  failed       ${outcome.email} (line ${outcome.line}): ${outcome.response}`)
  for (const outcome of summary.unconfirmed) lines.push(`  unconfirmed  ${outcome.email} (line ${outcome.line}): ${outcome.response}`)
  for (const row of summary.skipped) lines.push(`  skipped      line ${row.line}${row.email ? ` ${row.email}` : ''}: ${row.reason}`)
  if (summary.remaining > 0) lines.push(`  resume with --resume to send the remaining ${summary.remaining}`)
  return lines.join('\n')
}

/** Where the summary of a journal is written: `<journal>.summary.json`. */
export function summaryPath(journal: string): string {
  return journal.replace(/\.jsonl$/, '') + '.summary.json'
}

/**
 * Write the summary beside the journal (`<journal>.summary.json`).
 *
 * @returns The path written.
 */
export async function writeSummary(summary: SendSummary): Promise<string> {
  const file = summaryPath(summary.journal)
  await writeFile(file, JSON.stringify(summary, null, 2) + '\n')
  return file
}
