import path from 'node:path'
import { VFile, fail, hasErrors, report, toJson } from '@masthead/core'
import type { Builder, Edition } from '@masthead/render'
import { createBuilder, settleEditions, writeOutputs } from '@masthead/render'
import type { Io } from '../context.js'
import { EXIT, builderOptions, loadWorkspace, selectIssues, workspaceFailed } from '../context.js'
import { runStoppable, stopChromium, stopping, untilExit, type Stop, type Stoppable } from '../on-signal.js'
import { createProgress } from '../progress.js'

/** Options of `masthead build`; `chromium` and `stop` (see {@link Stoppable}) come from the command line's early start. */
export interface BuildCommandOptions extends Stoppable {
  editions: Edition[]
  strict: boolean
  quiet: boolean
  /** Print a JSON summary on stdout instead of the report. */
  json?: boolean
  /** Paper size and bleed, over the config and the frontmatter. */
  paper?: string | undefined
  bleed?: boolean | undefined
  /** How many issues to build at once (they share one browser). */
  concurrency?: number
}

/** One issue's outcome, as `--json` prints it. */
interface IssueSummary {
  slug: string
  ok: boolean
  ms: number
  outputs: string[]
  /** Editions that failed on their own (their previous outputs stay), and why. */
  failed: Array<{ edition: string; reason: string }>
}

/**
 * `masthead build [issue…]`: build each issue into `dist/<issue>/`, several at once over
 * one browser. An issue whose sources have errors writes nothing, and its previous outputs
 * stay as they were.
 *
 * @returns The exit code: 1 when any issue had errors.
 */
export async function build(names: readonly string[], options: BuildCommandOptions, io: Io): Promise<number> {
  return runStoppable(options, (text) => io.stderr.write(text), (stop) => buildIssues(names, options, io, stop))
}

async function buildIssues(names: readonly string[], options: BuildCommandOptions, io: Io, stop: Stop): Promise<number> {
  const workspace = await loadWorkspace(io)
  const { project } = workspace
  const files: VFile[] = [...workspace.files]
  const summaries: IssueSummary[] = []
  const failed = workspaceFailed(workspace, options.strict)
  const slugs = failed ? [] : await selectIssues(project, names, io)
  const progress = createProgress(io, options.quiet || options.json === true)
  // Stopped while loading: the early Chromium is going; no new one.
  if (stopping()) return untilExit()
  const builder = failed ? undefined : await createBuilder(project, { ...builderOptions(workspace, io, { paper: options.paper, bleed: options.bleed }), prelaunch: options.editions.includes('print') && (options.chromium ?? true) })
  let closed: Promise<void> | undefined
  const closeBuilder = () => (closed ??= builder?.close() ?? Promise.resolve())
  stop.cleanup = async () => {
    progress.stop()
    await closeBuilder()
    await stopChromium(options.chromium)
  }
  try {
    const queue = [...slugs]
    const worker = async (builder: Builder) => {
      for (let slug = queue.shift(); slug !== undefined; slug = queue.shift()) {
        summaries.push(await buildOne(builder, slug))
      }
    }
    let building = 0
    const buildOne = async (builder: Builder, slug: string): Promise<IssueSummary> => {
      const started = performance.now()
      const name = path.basename(slug)
      progress.start(name)
      building++
      const result = await builder.build(slug, { editions: options.editions }).finally(() => building--)
      // The last build is done: Chromium goes while its outputs are written.
      if (queue.length === 0 && building === 0) void closeBuilder()
      // MASTHEAD_TRACE=1: each step's milliseconds, and when (since the process started) the issue was done.
      if (io.env.MASTHEAD_TRACE) io.stderr.write(`[trace] ${result.slug} done at ${Math.round(performance.now())} ms: ${JSON.stringify(result.timings)}\n`)
      for (const file of result.files) if (!files.includes(file)) files.push(file)
      const ms = Math.round(performance.now() - started)
      const settled = settleEditions(result, options.strict)
      if (settled.refused) {
        progress.done(`✗ ${result.slug}: not built (see the problems below); previous outputs left as they were`)
        return { slug: result.slug, ok: false, ms, outputs: [], failed: [] }
      }
      const dir = path.join(project.paths.dist, result.slug)
      let written: string[]
      try {
        written = await writeOutputs(dir, settled.outputs)
      } catch (error) {
        // A full disk, a read-only folder: the issue is not built, its previous outputs stay.
        const file = new VFile({ path: dir, cwd: io.cwd })
        fail(file, `${(error as Error).message}; previous outputs left as they were`, { ruleId: 'write-failed', source: 'masthead:cli' })
        files.push(file)
        progress.done(`✗ ${result.slug}: not written (see below); previous outputs left as they were`)
        return { slug: result.slug, ok: false, ms, outputs: [], failed: [] }
      }
      const outputs = written.map((file) => path.relative(io.cwd, file))
      const listed = outputs.map((file) => `    ${file}`).join('\n')
      if (settled.failed.length > 0) {
        // The other editions are written; the failed one keeps its previous outputs.
        const why = settled.failed.map((failure) => `${failure.edition} edition not built: ${failure.reason}`).join('; ')
        progress.done(`✗ ${result.slug}: ${why}; its previous outputs left as they were (see the problems below)${listed ? `\n${listed}` : ''}`)
        return { slug: result.slug, ok: false, ms, outputs, failed: settled.failed }
      }
      progress.done(`✓ ${result.slug} (${ms} ms)\n${listed}`)
      return { slug: result.slug, ok: true, ms, outputs, failed: [] }
    }
    if (builder) {
      const workers = Math.max(1, Math.min(options.concurrency ?? 2, slugs.length))
      await Promise.all(Array.from({ length: workers }, () => worker(builder)))
    }
  } finally {
    progress.stop()
    await closeBuilder()
  }
  const ok = !failed && summaries.every((summary) => summary.ok) && !hasErrors(files, options.strict)
  if (options.json) {
    io.stdout.write(JSON.stringify({ ok, issues: summaries.sort((a, b) => a.slug.localeCompare(b.slug)), messages: toJson(files, io.cwd) }, null, 2) + '\n')
  } else {
    const text = report(files, { cwd: io.cwd, color: io.tty, quiet: options.quiet })
    if (text) io.stderr.write(text + '\n')
  }
  return ok ? EXIT.ok : EXIT.errors
}
