import type { Issue, VFile } from '@masthead/core'
import type { BuilderOptions } from './create-builder.js'
import { createBuilder } from './create-builder.js'
import type { Project } from './open-project.js'

/** The editions an issue can be built into; `model` is `issue.json`, `web` the web edition (`index.html`, its images, and `cover.jpg` when `print` is built too). */
export type Edition = 'model' | 'print' | 'email' | 'web'

/** Options for {@link buildIssue}. */
export interface BuildOptions extends BuilderOptions {
  /** Which editions to build (default: all). */
  editions?: readonly Edition[]
}

/** Output files, by their name inside `dist/<issue>/`. */
export type Outputs = Map<string, string | Uint8Array>

/** What a build returns: everything in memory, nothing written. */
export interface BuildResult {
  slug: string
  issue: Issue | undefined
  /** Every file with messages: the issue source, templates, manifests. */
  files: VFile[]
  /** Output files; empty when `files` hold errors. */
  outputs: Outputs
}

/**
 * Build one issue's editions in memory, with a browser of its own (closed before it
 * returns). To build several issues, use {@link createBuilder}, which keeps one browser.
 *
 * @param project The opened project.
 * @param slug The issue folder's name under `issues/`, or an absolute path to one.
 */
export async function buildIssue(project: Project, slug: string, options: BuildOptions = {}): Promise<BuildResult> {
  const builder = await createBuilder(project, options)
  try {
    return await builder.build(slug, options.editions ? { editions: options.editions } : {})
  } finally {
    await builder.close()
  }
}
