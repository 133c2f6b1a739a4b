import path from 'node:path'
import PQueue from 'p-queue'
import { VFile, addError, hasErrors, info, report, toJson } from '@masthead/core'
import type { Builder, BuilderResult, Edition } from '@masthead/render'
import { buildSite, settleEditions, writeOutputs } from '@masthead/render'
import type { Io, Workspace } from '../context.js'
import { EXIT, selectIssues, workspaceFailed } from '../context.js'
import { stopping, untilExit, type Stoppable } from '../on-signal.js'
import type { Progress } from '../progress.js'
import { createProgress } from '../progress.js'
import type { InputRecord, PrintSettings } from './build-inputs.js'
import { createInputRecord } from './build-inputs.js'
import type { BuilderCommand } from './builder-command.js'
import { openBuilder, runBuilderCommand } from './builder-command.js'

/** Options of `masthead build`; `chromium` and `stop` (see {@link Stoppable}) come from the command line's early start. */
export interface BuildCommandOptions extends Stoppable, PrintSettings {
  editions: Edition[]
  strict: boolean
  quiet: boolean
  /** Print a JSON summary on stdout instead of the report. */
  json?: boolean
  /** How many issues to build at once (they share one browser). */
  concurrency?: number
  /** Build every issue, even those whose inputs did not change since their outputs were written. */
  force?: boolean
}

/** An unexpected error as one line: its message and its causes' (the stack is for MASTHEAD_DEBUG=1 and a bug report). */
function unexpected(error: unknown): string {
  const parts: string[] = []
  for (let current: unknown = error, depth = 0; current !== undefined && depth < 4; depth++) {
    parts.push(current instanceof Error ? current.message : String(current))
    current = current instanceof Error ? current.cause : undefined
  }
  return parts.join(': ')
}

/** One issue's outcome, as `--json` prints it. */
interface IssueSummary {
  slug: string
  ok: boolean
  ms: number
  outputs: string[]
  /** True when the issue's inputs had not changed: nothing was built or written. */
  skipped?: boolean
  /** Editions that failed on their own (their previous outputs stay), and why. */
  failed: Array<{ edition: string; reason: string }>
}

/** What the builds of one `masthead build` share. */
interface BuildRun {
  workspace: Workspace
  options: BuildCommandOptions
  io: Io
  /** Every file with messages, for the report. */
  files: VFile[]
  progress: Progress
  record: InputRecord
  /** How many issues are not started yet. */
  waiting(): number
  /** How many builds are under way. */
  building: number
  /** Close the builder (once): the last build is done, or the command ends. */
  close(): Promise<void>
}

/**
 * Write the archive (`dist/index.html`) and the feed (`dist/feed.xml`) of every issue
 * that has a web edition in `dist/`.
 */
async function writeSite(workspace: Workspace, io: Io, progress: { done(text: string): void }): Promise<VFile[]> {
  const { project, config } = workspace
  const site = await buildSite(project, {
    ...(config.site?.url ? { url: config.site.url } : {}),
    ...(config.site?.title ? { title: config.site.title } : {})
  })
  if (site.outputs.size === 0) return site.files
  try {
    const written = await writeOutputs(project.paths.dist, site.outputs)
    progress.done(
      `✓ ${site.outputs.has('feed.xml') ? 'archive and feed' : 'archive'} (${site.issues} ${site.issues === 1 ? 'issue' : 'issues'})\n${written.map((file) => `    ${path.relative(io.cwd, file)}`).join('\n')}`
    )
  } catch (error) {
    const file = new VFile({ path: project.paths.dist, cwd: io.cwd })
    addError(file, `${(error as Error).message}; the previous archive and feed left as they were`, {
      ruleId: 'write-failed',
      source: 'masthead:cli'
    })
    return [...site.files, file]
  }
  return site.files
}

/**
 * `masthead build [issue…]`: build each issue into `dist/<issue>/`, several at once over
 * one browser. An issue whose sources have errors writes nothing, and its previous outputs
 * stay as they were.
 *
 * @returns The exit code: 1 when any issue had errors.
 */
export async function build(names: readonly string[], options: BuildCommandOptions, io: Io): Promise<number> {
  return runBuilderCommand(options, io, (command) => buildIssues(names, options, io, command))
}

async function buildIssues(names: readonly string[], options: BuildCommandOptions, io: Io, command: BuilderCommand): Promise<number> {
  const { workspace, files } = command
  const summaries: IssueSummary[] = []
  const failed = workspaceFailed(workspace, options.strict)
  const slugs = failed ? [] : await selectIssues(workspace.project, names, io)
  const progress = createProgress(io, options.quiet || options.json === true)
  // Stopped while loading: the early Chromium is going; no new one.
  if (stopping()) return untilExit()
  if (failed) progress.stop()
  else await buildAll(command, options, io, { slugs, progress, summaries })
  if (!failed && options.editions.includes('web') && summaries.some((summary) => summary.ok))
    files.push(...(await writeSite(workspace, io, progress)))
  const ok = !failed && summaries.every((summary) => summary.ok) && !hasErrors(files, options.strict)
  if (options.json) {
    io.stdout.write(
      JSON.stringify({ ok, issues: summaries.sort((a, b) => a.slug.localeCompare(b.slug)), messages: toJson(files, io.cwd) }, null, 2) +
        '\n'
    )
  } else {
    const text = report(files, { cwd: io.cwd, color: io.tty, quiet: options.quiet })
    if (text) io.stderr.write(text + '\n')
  }
  return ok ? EXIT.ok : EXIT.errors
}

/** Build the issues, `concurrency` at once over one builder, which is closed after. */
async function buildAll(
  command: BuilderCommand,
  options: BuildCommandOptions,
  io: Io,
  job: { slugs: string[]; progress: Progress; summaries: IssueSummary[] }
): Promise<void> {
  const { workspace, files } = command
  const { slugs, progress } = job
  const print: PrintSettings = {
    paper: options.paper,
    bleed: options.bleed,
    pressReady: options.pressReady,
    archival: options.archival,
    overprint: options.overprint
  }
  const { builder, close } = await openBuilder(command, io, options, {
    prints: options.editions.includes('print'),
    overrides: print,
    before: () => progress.stop()
  })
  const queue = new PQueue({ concurrency: Math.max(1, options.concurrency ?? 2) })
  const run: BuildRun = {
    workspace,
    options,
    io,
    files,
    progress,
    record: createInputRecord(workspace, options.editions, print),
    waiting: () => queue.size,
    building: 0,
    close
  }
  try {
    await Promise.all(slugs.map((slug) => queue.add(async () => void job.summaries.push(await buildOne(run, builder, slug)))))
  } finally {
    progress.stop()
    await close()
  }
}

/** The last build is done: Chromium goes (while its outputs are written). */
function closeWhenLast(run: BuildRun): void {
  if (run.waiting() === 0 && run.building === 0) void run.close()
}

/** Build one issue and write its outputs, unless its inputs did not change since its last build. */
async function buildOne(run: BuildRun, builder: Builder, slug: string): Promise<IssueSummary> {
  const { options, progress } = run
  const started = performance.now()
  const name = path.basename(slug)
  // A stop signal came while the builder opened: nothing new starts, not even a progress line.
  if (stopping()) return untilExit()
  progress.start(name)
  run.building++
  const inputs = await run.record.hash(slug)
  if (inputs && !options.force && (await run.record.unchanged(name, inputs))) {
    run.building--
    closeWhenLast(run)
    progress.done(`· ${name} unchanged, not rebuilt (--force rebuilds it)`, name)
    return { slug: name, ok: true, ms: Math.round(performance.now() - started), outputs: [], skipped: true, failed: [] }
  }
  let result: BuilderResult
  try {
    result = await builder.build(slug, { editions: options.editions }).finally(() => run.building--)
  } catch (error) {
    if (stopping()) return untilExit()
    // An unexpected failure is this issue's: the others go on, and the command still
    // closes its browser and ends (a rejection here once left the other workers
    // building, with a fresh Chromium nobody closed).
    closeWhenLast(run)
    const file = new VFile({ path: path.join(run.workspace.project.paths.issues, name, 'issue.md'), cwd: run.io.cwd })
    addError(file, `Cannot build \`${name}\`: ${unexpected(error)}`, { ruleId: 'build-failed', source: 'masthead:cli' })
    run.files.push(file)
    progress.done(`✗ ${name}: not built (see the problems below); previous outputs left as they were`, name)
    return { slug: name, ok: false, ms: Math.round(performance.now() - started), outputs: [], failed: [] }
  }
  // Stopped by a signal while building: what the build made is not written (an edition
  // cut short reports a failure that is the signal's, not the issue's); the process exits.
  if (stopping()) return untilExit()
  closeWhenLast(run)
  // MASTHEAD_TRACE=1: each step's milliseconds, and when (since the process started) the issue was done.
  if (run.io.env.MASTHEAD_TRACE)
    run.io.stderr.write(`[trace] ${result.slug} done at ${Math.round(performance.now())} ms: ${JSON.stringify(result.timings)}\n`)
  for (const file of result.files) if (!run.files.includes(file)) run.files.push(file)
  return writeIssue(run, result, inputs, name, Math.round(performance.now() - started))
}

/** Write the outputs of the editions that succeeded, and say how the issue went. */
async function writeIssue(
  run: BuildRun,
  result: BuilderResult,
  inputs: string | undefined,
  name: string,
  ms: number
): Promise<IssueSummary> {
  const { io, progress } = run
  const settled = settleEditions(result, run.options.strict)
  if (settled.refused) {
    progress.done(`✗ ${result.slug}: not built (see the problems below); previous outputs left as they were`, name)
    return { slug: result.slug, ok: false, ms, outputs: [], failed: [] }
  }
  const dir = path.join(run.workspace.project.paths.dist, result.slug)
  let written: string[]
  try {
    // A lock file that held no pid was replaced: said as a hint, so --strict does not
    // addError a build whose outputs are already in place.
    written = await writeOutputs(dir, settled.outputs, {
      onNotice: (reason) => {
        const file = new VFile({ path: path.join(dir, '.masthead.lock'), cwd: io.cwd })
        info(file, reason, { ruleId: 'stale-lock', source: 'masthead:cli' })
        run.files.push(file)
      }
    })
    // Only a build whose every edition was written counts as up to date; not knowing
    // what an issue was built from only costs a rebuild.
    if (inputs && settled.failed.length === 0) await run.record.remember(result.slug, inputs).catch(() => undefined)
  } catch (error) {
    // A full disk, a read-only folder: the issue is not built, its previous outputs stay.
    const file = new VFile({ path: dir, cwd: io.cwd })
    addError(file, `${(error as Error).message}; previous outputs left as they were`, { ruleId: 'write-failed', source: 'masthead:cli' })
    run.files.push(file)
    progress.done(`✗ ${result.slug}: not written (see below); previous outputs left as they were`, name)
    return { slug: result.slug, ok: false, ms, outputs: [], failed: [] }
  }
  const outputs = written.map((file) => path.relative(io.cwd, file))
  const listed = outputs.map((file) => `    ${file}`).join('\n')
  if (settled.failed.length > 0) {
    // The other editions are written; the failed one keeps its previous outputs.
    const why = settled.failed.map((failure) => `${failure.edition} edition not built: ${failure.reason}`).join('; ')
    progress.done(
      `✗ ${result.slug}: ${why}; its previous outputs left as they were (see the problems below)${listed ? `\n${listed}` : ''}`,
      name
    )
    return { slug: result.slug, ok: false, ms, outputs, failed: settled.failed }
  }
  progress.done(`✓ ${result.slug} (${ms} ms)\n${listed}`, name)
  return { slug: result.slug, ok: true, ms, outputs, failed: [] }
}
