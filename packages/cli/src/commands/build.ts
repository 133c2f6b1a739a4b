import path from 'node:path'
import { VFile, addError, hasErrors, info, report, toJson } from '@masthead/core'
import type { Builder, Edition } from '@masthead/render'
import { INPUTS_DIR, buildSite, createBuilder, createInputHasher, settleEditions, writeOutputs } from '@masthead/render'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import type { Io, Workspace } from '../context.js'
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
  /** Also the PDF/X press file and the PDF/A archival file; small black text overprints in the press file. */
  pressReady?: boolean | undefined
  archival?: boolean | undefined
  overprint?: boolean | undefined
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

/**
 * Write the archive (`dist/index.html`) and the feed (`dist/feed.xml`) of every issue
 * that has a web edition in `dist/`.
 */
async function writeSite(workspace: Workspace, io: Io, progress: { done(text: string): void }): Promise<VFile[]> {
  const { project, config } = workspace
  const site = await buildSite(project, { ...(config.site?.url ? { url: config.site.url } : {}), ...(config.site?.title ? { title: config.site.title } : {}) })
  if (site.outputs.size === 0) return site.files
  try {
    const written = await writeOutputs(project.paths.dist, site.outputs)
    progress.done(`✓ ${site.outputs.has('feed.xml') ? 'archive and feed' : 'archive'} (${site.issues} ${site.issues === 1 ? 'issue' : 'issues'})\n${written.map((file) => `    ${path.relative(io.cwd, file)}`).join('\n')}`)
  } catch (error) {
    const file = new VFile({ path: project.paths.dist, cwd: io.cwd })
    addError(file, `${(error as Error).message}; the previous archive and feed left as they were`, { ruleId: 'write-failed', source: 'masthead:cli' })
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
  const builder = failed ? undefined : await createBuilder(project, { ...builderOptions(workspace, io, { paper: options.paper, bleed: options.bleed, pressReady: options.pressReady, archival: options.archival, overprint: options.overprint }), prelaunch: options.editions.includes('print') && (options.chromium ?? true) })
  let closed: Promise<void> | undefined
  const closeBuilder = () => (closed ??= builder?.close() ?? Promise.resolve())
  stop.cleanup = async () => {
    progress.stop()
    await closeBuilder()
    await stopChromium(options.chromium)
  }
  // What the outputs depend on besides the issue folder, templates and styles (see createInputHasher).
  const shaping = Object.fromEntries(Object.entries(workspace.config).filter(([key]) => key !== 'send' && key !== 'export'))
  const hasher = failed ? undefined : createInputHasher(project, { config: shaping, editions: [...options.editions].sort(), paper: options.paper ?? null, bleed: options.bleed ?? null, pressReady: options.pressReady ?? null, archival: options.archival ?? null, overprint: options.overprint ?? null })
  const webLayout = existsSync(path.join(project.paths.templates, 'layouts', 'web.hbs'))
  /** The files a build of these editions leaves, which must all be there to skip it. */
  const expected = ['issue.json', ...(options.editions.includes('print') ? ['print.pdf', ...(options.pressReady ? ['print-press.pdf'] : []), ...(options.archival ? ['print-archival.pdf'] : [])] : []), ...(options.editions.includes('email') ? ['email.eml'] : []), ...(options.editions.includes('web') && webLayout ? ['index.html'] : [])]
  /** Where the hash of the inputs an issue's outputs were built from is kept: `dist/.masthead/inputs/<issue>` (not in the issue's folder, which is published). */
  const hashFile = (name: string) => path.join(project.paths.dist, INPUTS_DIR, name)
  const unchanged = async (name: string, inputs: string): Promise<boolean> => {
    const stored = await readFile(hashFile(name), 'utf8').catch(() => '')
    return stored.trim() === inputs && expected.every((file) => existsSync(path.join(project.paths.dist, name, file)))
  }
  /** Written after the outputs: a build stopped in between leaves the old hash, which no longer matches, so the issue is built again. */
  const remember = async (name: string, inputs: string): Promise<void> => {
    const file = hashFile(name)
    await mkdir(path.dirname(file), { recursive: true })
    const temporary = `${file}.tmp-${process.pid}`
    await writeFile(temporary, inputs + '\n')
    await rename(temporary, file)
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
      // Not knowing what an issue is built from (an unreadable file in its folder) only costs a rebuild.
      const inputs = await hasher?.hash(slug).catch(() => undefined)
      if (inputs && !options.force && (await unchanged(name, inputs))) {
        building--
        if (queue.length === 0 && building === 0) void closeBuilder()
        progress.done(`· ${name} unchanged, not rebuilt (--force rebuilds it)`)
        return { slug: name, ok: true, ms: Math.round(performance.now() - started), outputs: [], skipped: true, failed: [] }
      }
      let result: Awaited<ReturnType<Builder['build']>>
      try {
        result = await builder.build(slug, { editions: options.editions }).finally(() => building--)
      } catch (error) {
        // An unexpected failure is this issue's: the others go on, and the command still
        // closes its browser and ends (a rejection here once left the other workers
        // building, with a fresh Chromium nobody closed).
        if (queue.length === 0 && building === 0) void closeBuilder()
        const file = new VFile({ path: path.join(project.paths.issues, name, 'issue.md'), cwd: io.cwd })
        addError(file, `Cannot build \`${name}\`: ${unexpected(error)}`, { ruleId: 'build-failed', source: 'masthead:cli' })
        files.push(file)
        progress.done(`✗ ${name}: not built (see the problems below); previous outputs left as they were`)
        return { slug: name, ok: false, ms: Math.round(performance.now() - started), outputs: [], failed: [] }
      }
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
        // A lock file that held no pid was replaced: said as a hint, so --strict does not
        // fail a build whose outputs are already in place.
        written = await writeOutputs(dir, settled.outputs, {
          onNotice: (reason) => {
            const file = new VFile({ path: path.join(dir, '.masthead.lock'), cwd: io.cwd })
            info(file, reason, { ruleId: 'stale-lock', source: 'masthead:cli' })
            files.push(file)
          }
        })
        // Only a build whose every edition was written counts as up to date; not knowing
        // what an issue was built from only costs a rebuild.
        if (inputs && settled.failed.length === 0) await remember(result.slug, inputs).catch(() => undefined)
      } catch (error) {
        // A full disk, a read-only folder: the issue is not built, its previous outputs stay.
        const file = new VFile({ path: dir, cwd: io.cwd })
        addError(file, `${(error as Error).message}; previous outputs left as they were`, { ruleId: 'write-failed', source: 'masthead:cli' })
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
  if (!failed && options.editions.includes('web') && summaries.some((summary) => summary.ok)) files.push(...(await writeSite(workspace, io, progress)))
  const ok = !failed && summaries.every((summary) => summary.ok) && !hasErrors(files, options.strict)
  if (options.json) {
    io.stdout.write(JSON.stringify({ ok, issues: summaries.sort((a, b) => a.slug.localeCompare(b.slug)), messages: toJson(files, io.cwd) }, null, 2) + '\n')
  } else {
    const text = report(files, { cwd: io.cwd, color: io.tty, quiet: options.quiet })
    if (text) io.stderr.write(text + '\n')
  }
  return ok ? EXIT.ok : EXIT.errors
}
