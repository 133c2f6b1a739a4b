import path from 'node:path'
import type { Issue, VFile } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import { parseIssue } from '@masthead/parse'
import type { Project } from './open-project.js'

/** The editions an issue can be built into. */
export type Edition = 'model' | 'print' | 'email'

/** Options for {@link buildIssue}. */
export interface BuildOptions {
  /** Which editions to build (default: all). */
  editions?: readonly Edition[]
}

/** One output file, by its name inside `dist/<issue>/`. */
export type Outputs = Map<string, string | Uint8Array>

/** What {@link buildIssue} returns: everything in memory, nothing written. */
export interface BuildResult {
  slug: string
  issue: Issue | undefined
  /** Every file with messages: the issue source, templates, manifests. */
  files: VFile[]
  /** Output files; empty when `files` hold errors. */
  outputs: Outputs
}

/**
 * Build one issue's editions in memory.
 *
 * @param project The opened project.
 * @param slug The issue folder's name under `issues/`, or a path to an issue folder.
 */
export async function buildIssue(project: Project, slug: string, options: BuildOptions = {}): Promise<BuildResult> {
  const editions = new Set(options.editions ?? ['model', 'print', 'email'])
  const dir = path.isAbsolute(slug) || slug.includes(path.sep) ? path.resolve(slug) : path.join(project.paths.issues, slug)
  const { issue, file } = await parseIssue(dir, { sections: project.types, cwd: project.paths.root })
  const result: BuildResult = { slug: path.basename(dir), issue, files: [file], outputs: new Map() }
  if (!issue || hasErrors(result.files)) return result
  if (editions.has('model')) result.outputs.set('issue.json', JSON.stringify(issue, null, 2) + '\n')
  return result
}
