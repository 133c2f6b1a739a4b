import path from 'node:path'
import { VFile, hasErrors, report, toJson, warn } from '@masthead/core'
import type { Io, Workspace } from '../context.js'
import { stopping, untilExit, type Stoppable } from '../on-signal.js'
import { EXIT, selectIssues, workspaceFailed } from '../context.js'
import type { BuilderCommand } from './builder-command.js'
import { openBuilder, runBuilderCommand } from './builder-command.js'

/** Options of `masthead check`. */
export interface CheckOptions extends Stoppable {
  format: 'text' | 'json'
  strict: boolean
  quiet: boolean
  /** Also render the editions in memory, for preflight, email lint and size (default). */
  render: boolean
}

/**
 * Warn, once, when the email has nowhere to unsubscribe: no link in its footer and no
 * `List-Unsubscribe` header, which Gmail's and Yahoo's rules for bulk senders require.
 * `masthead send` and `masthead export` always have one (they refuse without, or use the
 * platform's own tag); this is for the `.eml` and HTML that `build` writes.
 */
function checkUnsubscribe(workspace: Workspace, files: VFile[]): void {
  const { email, send } = workspace.config
  if (email?.unsubscribeUrl?.trim() || send?.unsubscribeUrl?.trim()) return
  const configPath = path.join(workspace.project.paths.root, 'masthead.config.json')
  let file = files.find((candidate) => candidate.path !== undefined && /(^|[\\/])masthead\.config\.(json|mjs)$/.test(candidate.path))
  if (!file) {
    file = new VFile({ path: configPath })
    files.push(file)
  }
  warn(
    file,
    'Missing unsubscribe URL, expected `email.unsubscribeUrl` in masthead.config.json (a link, or your mailing platform’s tag such as `*|UNSUB|*`): without it the email has no unsubscribe link and no `List-Unsubscribe` header, which Gmail and Yahoo require of bulk senders',
    {
      ruleId: 'email-unsubscribe',
      source: 'masthead:email'
    }
  )
}

/**
 * `masthead check [issue…]`: report every problem in the sources, write nothing.
 *
 * @returns The exit code: 1 when there are errors (or warnings, with `strict`).
 */
export async function check(names: readonly string[], options: CheckOptions, io: Io): Promise<number> {
  return runBuilderCommand(options, io, (command) => checkIssues(names, options, io, command))
}

async function checkIssues(names: readonly string[], options: CheckOptions, io: Io, command: BuilderCommand): Promise<number> {
  const { workspace, files } = command
  if (!workspaceFailed(workspace)) {
    const slugs = await selectIssues(workspace.project, names, io)
    // Stopped while loading: the early Chromium is going; no new one.
    if (stopping()) return untilExit()
    const { builder, close } = await openBuilder(command, io, options, { prints: options.render })
    try {
      for (const slug of slugs) {
        const result = await builder.build(slug, { editions: options.render ? ['print', 'email'] : [], checkOnly: true })
        for (const file of result.files) if (!files.includes(file)) files.push(file)
      }
    } finally {
      await close()
    }
    if (options.render) checkUnsubscribe(workspace, files)
  }
  const failed = hasErrors(files, options.strict)
  if (options.format === 'json') {
    const messages = toJson(files, io.cwd)
    io.stdout.write(
      JSON.stringify(
        {
          ok: !failed,
          errors: messages.filter((m) => m.severity === 'error').length,
          warnings: messages.filter((m) => m.severity === 'warning').length,
          messages
        },
        null,
        2
      ) + '\n'
    )
  } else {
    const text = report(files, { cwd: io.cwd, color: io.tty, quiet: options.quiet })
    if (text) io.stderr.write(text + '\n')
    const problems = files.some((file) => file.messages.some((message) => message.fatal !== undefined))
    if (!problems && !options.quiet) io.stderr.write('No problems found.\n')
  }
  return failed ? EXIT.errors : EXIT.ok
}
