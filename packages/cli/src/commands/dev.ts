import path from 'node:path'
import { hasErrors, report } from '@masthead/core'
import type { Builder } from '@masthead/render'
import { createBuilder } from '@masthead/render'
import type { Io } from '../context.js'
import { EXIT, UsageError, builderOptions, loadWorkspace, selectIssues } from '../context.js'
import type { LiveBuild, PreviewState } from '../dev/live-build.js'
import { createLiveBuild } from '../dev/live-build.js'
import { previewMounts } from '../dev/preview-html.js'
import type { PreviewServer } from '../dev/preview-server.js'
import { ListenError, startPreviewThread } from '../dev/preview-thread.js'
import type { SourceWatcher } from '../dev/watch-sources.js'
import { watchSources } from '../dev/watch-sources.js'

/** Options of `masthead dev`. */
export interface DevCommandOptions {
  /** Default 0: a free port. */
  port?: number | string | undefined
  /** A loopback address (default `127.0.0.1`). */
  host?: string | undefined
  /** Settle time for a save, in milliseconds (default 20). */
  settle?: number
  /** Stops the preview, as SIGINT and SIGTERM do (for tests and embedding). */
  signal?: AbortSignal
  /** Called once the server listens and the watcher is ready. */
  onReady?: (preview: { url: string; live: LiveBuild }) => void
}

/** What {@link dev} waits on resolves to this when a signal came first. */
const STOPPED = Symbol('stopped')

/** Milliseconds a stop signal gives the preview to close before the process exits anyway. */
const STOP_WITHIN = 1000

const LOOPBACK = /^(?:127(?:\.\d{1,3}){3}|::1|localhost)$/

/** The port from `--port`, checked. */
export function parsePort(value: number | string | undefined): number {
  if (value === undefined) return 0
  const port = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`Unexpected port \`${String(value)}\`, expected a number from 0 (any free port) to 65535`)
  return port
}

/** One line per finished round on stderr: what changed, how long each part took, the errors. */
function roundLogger(io: Io, root: string) {
  let logged = 0
  return (state: PreviewState) => {
    if (state.busy.html || state.busy.pdf || state.round === logged) return
    logged = state.round
    const time = new Date().toTimeString().slice(0, 8)
    const what =
      state.changed.length === 0 ? 'built' : `${state.changed.map((file) => path.relative(root, file) || file).join(', ')} changed`
    const { html, email, pdf } = state.timings
    const parts = [
      html === null ? null : `html ${html} ms`,
      email === null ? null : `email ${email} ms`,
      pdf === null ? null : `pdf ${pdf} ms`
    ].filter(Boolean)
    const errors = state.problems.filter((problem) => problem.severity === 'error')
    const mark = errors.length > 0 ? '✗' : '✓'
    io.stderr.write(`${time} ${mark} ${what}${parts.length > 0 ? ` → ${parts.join(', ')}` : ''}\n`)
    for (const error of errors.slice(0, 5)) io.stderr.write(`    ${error.where}  ${error.message}\n`)
    if (errors.length > 5) io.stderr.write(`    … and ${errors.length - 5} more (see the preview)\n`)
  }
}

/** Resolves on SIGINT, SIGTERM or `signal`; the listeners are removed again. */
function untilStopped(signal: AbortSignal | undefined): { stopped: Promise<string>; dispose: () => void } {
  let dispose = () => {}
  const stopped = new Promise<string>((resolve) => {
    const onSignal = (name: NodeJS.Signals) => resolve(name)
    const onAbort = () => resolve('abort')
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
    signal?.addEventListener('abort', onAbort, { once: true })
    if (signal?.aborted) resolve('abort')
    dispose = () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
      signal?.removeEventListener('abort', onAbort)
    }
  })
  return { stopped, dispose }
}

/** The host from `--host`, checked to be a loopback address. */
function previewHost(value: string | undefined): string {
  const host = value ?? '127.0.0.1'
  if (!LOOPBACK.test(host))
    throw new UsageError(
      `Unexpected host \`${host}\`, expected a loopback address such as \`127.0.0.1\`: the preview serves your sources to this machine only`
    )
  return host
}

/** Starts the preview server's thread; a failure to listen becomes a usage error. */
function startPreview(live: LiveBuild, mounts: ReturnType<typeof previewMounts>, host: string, port: number): Promise<PreviewServer> {
  return startPreviewThread({ live, mounts, host, port }).catch((error: unknown) => {
    if (error instanceof ListenError && error.code === 'EADDRINUSE')
      throw new UsageError(`Port ${port} is in use; pick another with \`--port\`, or \`--port 0\` for any free one`)
    if (error instanceof ListenError) throw new UsageError(`Cannot listen on ${host}:${port}: ${error.message}`)
    throw error
  })
}

/** Closes the watcher, the server (once started), the live build and the builder, bounded in time after a signal. */
async function closePreview(
  reason: string | undefined,
  parts: { watcher: SourceWatcher; starting: Promise<PreviewServer> | undefined; live: LiveBuild; builder: Builder }
): Promise<void> {
  const { watcher, starting, live, builder } = parts
  // Stopped by a signal: the preview is gone within STOP_WITHIN ms, however busy it is
  // (a build in progress, a watcher still scanning); Chromium is killed on the exit.
  // A second signal exits at once (the exit handler still kills Chromium).
  const signalled = reason === 'SIGINT' || reason === 'SIGTERM'
  const now = () => process.exit(EXIT.ok)
  const deadline = signalled ? setTimeout(now, STOP_WITHIN) : undefined
  deadline?.unref()
  if (signalled) {
    process.once('SIGINT', now)
    process.once('SIGTERM', now)
  }
  await watcher.close()
  // A server still starting when the signal came is closed once it listens.
  await starting?.then(
    (server) => server.close(),
    () => undefined
  )
  await live.close()
  await builder.close()
  if (deadline) clearTimeout(deadline)
  process.off('SIGINT', now)
  process.off('SIGTERM', now)
}

/**
 * `masthead dev <issue>`: the live preview. Serves the issue's print edition (the PDF and
 * its HTML), the email at 600 and 375 px and the plain text on 127.0.0.1, rebuilds on
 * every save of the issue, the templates or the styles, and tells the page through
 * server-sent events. Runs until SIGINT or SIGTERM, then closes the server, the watcher
 * and the browser.
 *
 * @returns 0 after a clean stop; 1 when the config file has errors.
 */
export async function dev(name: string, options: DevCommandOptions, io: Io): Promise<number> {
  const host = previewHost(options.host)
  const port = parsePort(options.port)
  const workspace = await loadWorkspace(io)
  const { project } = workspace
  const config = workspace.files[0]
  if (config && hasErrors([config])) {
    io.stderr.write(report([config], { cwd: io.cwd, color: io.tty }) + '\n')
    return EXIT.errors
  }
  const [slug] = await selectIssues(project, [name], io)
  const issueDir = path.isAbsolute(slug!) ? slug! : path.join(project.paths.issues, slug!)
  const root = project.paths.root

  const { stopped, dispose } = untilStopped(options.signal)
  const builder = await createBuilder(project, builderOptions(workspace, io))
  const trace = io.env.MASTHEAD_TRACE
    ? (step: string) => io.stderr.write(`[trace ${(performance.timeOrigin + performance.now()).toFixed(1)}] ${step}\n`)
    : undefined
  const live = createLiveBuild({
    builder,
    slug: slug!,
    root,
    source: path.relative(root, path.join(issueDir, 'issue.md')),
    ...(trace ? { trace } : {})
  })
  live.subscribe(roundLogger(io, root))
  const watcher = watchSources({
    issueDir,
    designDirs: [project.paths.templates, project.paths.styles],
    ...(options.settle === undefined ? {} : { settle: options.settle }),
    onChange: (kind, paths, at) => {
      trace?.(
        `change ${kind} ${paths.map((file) => path.relative(root, file)).join(', ')} (first event ${Math.round(performance.now() - at)} ms ago)`
      )
      live.change(kind, paths, at)
    },
    onError: (error) => io.stderr.write(`masthead dev: watching failed: ${error.message}\n`)
  })
  let starting: Promise<PreviewServer> | undefined
  let reason: string | undefined
  void stopped.then((why) => (reason = why))
  // A signal is honoured at once, whatever the preview is waiting for (the watcher's first
  // scan, the server's start): everything below races against it.
  const orStop = <T>(work: Promise<T>): Promise<T | typeof STOPPED> => Promise.race([work, stopped.then((): typeof STOPPED => STOPPED)])
  try {
    starting = startPreview(live, previewMounts(issueDir, builder.assetRoots, [project.paths.templates, project.paths.styles]), host, port)
    const server = await orStop(starting)
    if (server === STOPPED) return EXIT.ok
    // The first round re-reads the manifests, so their problems show in the page too.
    live.change('reload', [])
    if ((await orStop(watcher.ready)) === STOPPED) return EXIT.ok
    io.stdout.write(`Preview: ${server.url}\n`)
    io.stderr.write(
      `Watching ${[issueDir, project.paths.templates, project.paths.styles].map((dir) => path.relative(io.cwd, dir) || '.').join(', ')}; Ctrl-C stops.\n`
    )
    options.onReady?.({ url: server.url, live })
    await stopped
  } finally {
    dispose()
    await closePreview(reason, { watcher, starting, live, builder })
  }
  return EXIT.ok
}
