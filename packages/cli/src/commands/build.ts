import path from 'node:path'
import { VFile, fail, hasErrors, report, toJson } from '@masthead/core'
import type { Builder, Edition } from '@masthead/render'
import { createBuilder, writeOutputs } from '@masthead/render'
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
      let result: Awaited<ReturnType<Builder['build']>>
      try {
        result = await builder.build(slug, { editions: options.editions }).finally(() => building--)
      } catch (error) {
        // An unexpected failure is this issue's: the others go on, and the command still
        // closes its browser and ends (a rejection here once left the other workers
        // building, with a fresh Chromium nobody closed).
        if (queue.length === 0 && building === 0) void closeBuilder()
        const file = new VFile({ path: path.join(project.paths.issues, name, 'issue.md'), cwd: io.cwd })
        fail(file, `Cannot build \`${name}\`: ${unexpected(error)}`, { ruleId: 'build-failed', source: 'masthead:cli' })
        files.push(file)
        progress.done(`✗ ${name}: not built (see the problems below); previous outputs left as they were`)
        return { slug: name, ok: false, ms: Math.round(performance.now() - started), outputs: [] }
      }
      // The last build is done: Chromium goes while its outputs are written.
      if (queue.length === 0 && building === 0) void closeBuilder()
      // MASTHEAD_TRACE=1: each step's milliseconds, and when (since the process started) the issue was done.
      if (io.env.MASTHEAD_TRACE) io.stderr.write(`[trace] ${result.slug} done at ${Math.round(performance.now())} ms: ${JSON.stringify(result.timings)}\n`)
      for (const file of result.files) if (!files.includes(file)) files.push(file)
      const ms = Math.round(performance.now() - started)
      if (hasErrors(result.files, options.strict) || result.outputs.size === 0) {
        progress.done(`✗ ${result.slug}: not built (see the problems below); previous outputs left as they were`)
        return { slug: result.slug, ok: false, ms, outputs: [] }
      }
      const dir = path.join(project.paths.dist, result.slug)
      let written: string[]
      try {
        written = await writeOutputs(dir, result.outputs)
      } catch (error) {
        // A full disk, a read-only folder: the issue is not built, its previous outputs stay.
        const file = new VFile({ path: dir, cwd: io.cwd })
        fail(file, `${(error as Error).message}; previous outputs left as they were`, { ruleId: 'write-failed', source: 'masthead:cli' })
        files.push(file)
        progress.done(`✗ ${result.slug}: not written (see below); previous outputs left as they were`)
        return { slug: result.slug, ok: false, ms, outputs: [] }
      }
      const outputs = written.map((file) => path.relative(io.cwd, file))
      progress.done(`✓ ${result.slug} (${ms} ms)\n${outputs.map((file) => `    ${file}`).join('\n')}`)
      return { slug: result.slug, ok: true, ms, outputs }
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
