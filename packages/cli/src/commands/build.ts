import path from 'node:path'
import type { VFile } from '@masthead/core'
import { hasErrors, report } from '@masthead/core'
import type { Edition } from '@masthead/render'
import { createBuilder, writeOutputs } from '@masthead/render'
import type { Io } from '../context.js'
import { EXIT, builderOptions, loadWorkspace, selectIssues, workspaceFailed } from '../context.js'

/** Options of `masthead build`. */
export interface BuildCommandOptions {
  editions: Edition[]
  strict: boolean
  quiet: boolean
  /** Paper size and bleed, over the config and the frontmatter. */
  paper?: string | undefined
  bleed?: boolean | undefined
}

/**
 * `masthead build [issue…]`: build each issue into `dist/<issue>/`. An issue whose
 * sources have errors writes nothing, and its previous outputs stay as they were.
 *
 * @returns The exit code: 1 when any issue had errors.
 */
export async function build(names: readonly string[], options: BuildCommandOptions, io: Io): Promise<number> {
  const workspace = await loadWorkspace(io)
  const { project } = workspace
  const files: VFile[] = [...workspace.files]
  let failed = workspaceFailed(workspace, options.strict)
  const slugs = failed ? [] : await selectIssues(project, names, io)
  const builder = failed ? undefined : await createBuilder(project, builderOptions(workspace, io, { paper: options.paper, bleed: options.bleed }))
  try {
    for (const slug of slugs) {
      const started = performance.now()
      const result = await builder!.build(slug, { editions: options.editions })
      files.push(...result.files)
      if (hasErrors(result.files, options.strict) || result.outputs.size === 0) {
        failed = true
        io.stderr.write(`✗ ${result.slug}: not built (see the problems below); previous outputs left as they were\n`)
        continue
      }
      const written = await writeOutputs(path.join(project.paths.dist, result.slug), result.outputs)
      if (!options.quiet) {
        const ms = Math.round(performance.now() - started)
        io.stderr.write(`✓ ${result.slug} (${ms} ms)\n${written.map((file) => `    ${path.relative(io.cwd, file)}`).join('\n')}\n`)
      }
    }
  } finally {
    await builder?.close()
  }
  const text = report(files, { cwd: io.cwd, color: io.tty, quiet: options.quiet })
  if (text) io.stderr.write(text + '\n')
  return failed ? EXIT.errors : EXIT.ok
}
