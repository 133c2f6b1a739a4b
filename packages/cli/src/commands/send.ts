import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { Config, VFile } from '@masthead/core'
import { VFile as File, hasErrors } from '@masthead/core'
import type { BadRowPolicy, Recipient, SkippedRow, UnconfirmedPolicy } from '@masthead/send'
import { JournalExistsError, formatSummary, readRecipients, sendEdition, sendTest, summaryPath, writeOutbox } from '@masthead/send'
import type { Io } from '../context.js'
import { EXIT, UsageError, loadWorkspace, openIssueCommand } from '../context.js'
import { checkMergeFields, emailEdition } from './email-edition.js'
import { journalPath, sendSettings, smtpSettings } from './send-settings.js'
import { createSendProgress } from './send-progress.js'

/** Options of `masthead send`. */
export interface SendCommandOptions {
  /** The recipient list (CSV). */
  to?: string
  /** Write each message's .eml to this folder (`true`: `dist/<issue>/outbox/`) instead of sending. */
  dryRun?: string | boolean
  /** Send one copy to this address. */
  test?: string
  resume?: boolean
  onBadRows?: BadRowPolicy
  concurrency?: number
  rate?: number
  maxAttempts?: number
  unconfirmed?: UnconfirmedPolicy
  inDoubt?: number
  quiet?: boolean
  /** Stops the send between messages (the CLI wires Ctrl-C to it). */
  signal?: AbortSignal
}

/**
 * `masthead send <issue> --to list.csv`: send the email edition to every recipient over
 * SMTP, journaled so that `--resume` continues a stopped or killed send; or write each
 * message to a folder (`--dry-run`), or send one test copy (`--test`).
 *
 * @returns 0 when every recipient was sent to, 1 on errors in the sources or the list, on
 * failed recipients or an interrupted send, 2 on bad usage.
 */
export async function send(name: string, options: SendCommandOptions, io: Io): Promise<number> {
  if (!options.to && !options.test)
    throw new UsageError('Unexpected `send` without recipients, expected --to <recipients.csv> (or --test <address> for one copy)')
  const workspace = await loadWorkspace(io)
  const { files, done, slug } = await openIssueCommand(workspace, name, io, options.quiet === true)
  if (slug === undefined) return done(EXIT.errors)
  const settings = sendSettings(workspace.config, io)
  const dryRun = options.dryRun !== undefined && options.dryRun !== false
  const smtp = dryRun ? undefined : smtpSettings(workspace.config, io)
  const list = await readList(options, io, files)
  if (!list) return done(EXIT.errors)
  const { recipients } = list

  const edition = await emailEdition(workspace, slug, io, files)
  if (!edition) return done(EXIT.errors)
  checkMergeFields(
    edition,
    files.find((file) => file.path?.endsWith('issue.md')),
    list.columns,
    'smtp'
  )
  // A merge tag nothing would fill (another platform's) refuses the send before any message.
  if (hasErrors(files)) return done(EXIT.errors)
  const personalize = {
    unsubscribeUrl: settings.unsubscribeUrl,
    secret: settings.secret,
    ...(settings.greeting === undefined ? {} : { greeting: settings.greeting })
  }

  if (dryRun) {
    const dir =
      typeof options.dryRun === 'string'
        ? path.resolve(io.cwd, options.dryRun)
        : path.join(workspace.project.paths.dist, edition.slug, 'outbox')
    const written = await writeOutbox({ edition, recipients, sender: settings.sender, personalize, dir })
    io.stdout.write(
      `Dry run: ${written.length} message${written.length === 1 ? '' : 's'} written to ${path.relative(io.cwd, dir) || '.'}/ (nothing sent)\n`
    )
    return done(EXIT.ok)
  }

  if (options.test) {
    const { response } = await sendTest({
      edition,
      to: options.test,
      ...(recipients[0] ? { as: recipients[0] } : {}),
      sender: settings.sender,
      ...(settings.envelopeFrom ? { envelopeFrom: settings.envelopeFrom } : {}),
      personalize,
      smtp: smtp!
    })
    io.stdout.write(`Test copy sent to ${options.test}${recipients[0] ? ` (as ${recipients[0].email})` : ''}: ${response}\n`)
    return done(EXIT.ok)
  }

  const journal = journalPath(workspace.config, workspace.project.paths.root, edition.slug, list.path!)
  const summary = await sendToList(options, io, {
    edition,
    recipients,
    skipped: list.skipped,
    list: path.relative(workspace.project.paths.root, list.path!),
    sender: settings.sender,
    ...(settings.envelopeFrom ? { envelopeFrom: settings.envelopeFrom } : {}),
    personalize,
    smtp: smtp!,
    journal,
    sendConfig: workspace.config.send ?? {}
  })
  io.stdout.write(formatSummary(summary) + '\n')
  io.stdout.write(`Journal: ${path.relative(io.cwd, journal)}\nSummary: ${path.relative(io.cwd, summaryPath(journal))}\n`)
  const ok = !summary.interrupted && summary.failed.length === 0 && summary.unconfirmed.length === 0
  return done(ok ? EXIT.ok : EXIT.errors)
}

/** The recipient list of `--to`, read into `files`; without `--to`, none. */
interface List {
  recipients: Recipient[]
  skipped: SkippedRow[]
  columns: string[]
  /** The list's absolute path. */
  path?: string
}

/**
 * Read the `--to` list. Bad rows (refused by `--on-bad-rows refuse`) are errors on the
 * list's file: undefined then, nothing is sent.
 */
async function readList(options: SendCommandOptions, io: Io, files: VFile[]): Promise<List | undefined> {
  if (!options.to) return { recipients: [], skipped: [], columns: [] }
  const listPath = path.resolve(io.cwd, options.to)
  const text = await readFile(listPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`Cannot read the recipient list \`${options.to}\`: ${error.code ?? error.message}`)
  })
  const file = new File({ path: listPath, cwd: io.cwd, value: text })
  files.push(file)
  const { recipients, skipped, columns } = readRecipients(file, options.onBadRows ?? 'refuse')
  if (hasErrors([file])) {
    if (options.onBadRows !== 'skip' && skipped.length > 0)
      io.stderr.write(
        `Nothing sent: ${skipped.length} bad row${skipped.length === 1 ? '' : 's'} in the list (fix them, or pass --on-bad-rows skip)\n`
      )
    return undefined
  }
  if (recipients.length === 0) throw new UsageError(`No recipients in \`${options.to}\``)
  return { recipients, skipped, columns, path: listPath }
}

type SendInput = Parameters<typeof sendEdition>[0]

/** The journaled send to the whole list, with its progress line; the command line's options over the config's `send`. */
async function sendToList(
  options: SendCommandOptions,
  io: Io,
  input: Omit<SendInput, 'resume' | 'concurrency' | 'maxAttempts' | 'unconfirmed' | 'inDoubt' | 'onProgress' | 'rate' | 'signal'> & {
    sendConfig: NonNullable<Config['send']>
  }
): Promise<Awaited<ReturnType<typeof sendEdition>>> {
  const { sendConfig, ...base } = input
  const rate = options.rate ?? sendConfig.rate
  const progress = createSendProgress(io, options.quiet === true)
  try {
    return await sendEdition({
      ...base,
      resume: options.resume === true,
      concurrency: options.concurrency ?? sendConfig.concurrency ?? 4,
      ...(rate ? { rate } : {}),
      maxAttempts: options.maxAttempts ?? sendConfig.maxAttempts ?? 5,
      unconfirmed: options.unconfirmed ?? 'skip',
      inDoubt: options.inDoubt ?? 1,
      onProgress: (update) => progress.update(update),
      ...(options.signal ? { signal: options.signal } : {})
    })
  } catch (error) {
    if (error instanceof JournalExistsError) throw new UsageError(error.message)
    throw error
  } finally {
    progress.stop()
  }
}
