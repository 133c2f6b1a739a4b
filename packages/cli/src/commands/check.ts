import type { VFile } from '@masthead/core'
import { hasErrors, report, toJson } from '@masthead/core'
import { buildIssue } from '@masthead/render'
import type { Io } from '../context.js'
import { EXIT, loadProject, selectIssues } from '../context.js'

/** Options of `masthead check`. */
export interface CheckOptions {
  format: 'text' | 'json'
  strict: boolean
  quiet: boolean
}

/**
 * `masthead check [issue…]`: report every problem in the sources, write nothing.
 *
 * @returns The exit code: 1 when there are errors (or warnings, with `strict`).
 */
export async function check(names: readonly string[], options: CheckOptions, io: Io): Promise<number> {
  const project = await loadProject(io)
  const files: VFile[] = [...project.files]
  if (!hasErrors(project.files)) {
    for (const slug of await selectIssues(project, names, io)) {
      const result = await buildIssue(project, slug, { editions: [] })
      files.push(...result.files)
    }
  }
  const failed = hasErrors(files, options.strict)
  if (options.format === 'json') {
    const messages = toJson(files, io.cwd)
    io.stdout.write(JSON.stringify({ ok: !failed, errors: messages.filter((m) => m.severity === 'error').length, warnings: messages.filter((m) => m.severity === 'warning').length, messages }, null, 2) + '\n')
  } else {
    const text = report(files, { cwd: io.cwd, color: io.tty, quiet: options.quiet })
    if (text) io.stderr.write(text + '\n')
    else if (!options.quiet) io.stderr.write('No problems found.\n')
  }
  return failed ? EXIT.errors : EXIT.ok
}
