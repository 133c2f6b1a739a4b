import type { Issue, VFile } from '@masthead/core'
import type { BuilderOptions } from './create-builder.js'
import { createBuilder } from './create-builder.js'
import type { Project } from './open-project.js'

/** The editions an issue can be built into; `model` is `issue.json`. */
export type Edition = 'model' | 'print' | 'email'

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
  /**
   * Output files. Empty when the source, the layout or the manifests have errors; without
   * the outputs of an edition whose own steps failed (see `editionFiles`), while the other
   * editions' outputs stay: editions are independent.
   */
  outputs: Outputs
  /**
   * The files holding the messages of each edition's own steps (also in `files`): an error
   * there fails that edition alone. `print`: the print template and the PDF (printing,
   * preflight); `email`: the email templates, MJML, transforms and size.
   */
  editionFiles?: Partial<Record<EditionName, VFile[]>>
}

/** The editions that can fail on their own: `print` (print.html, print.pdf) and `email` (email.html, email.txt, email.eml). */
export type EditionName = 'print' | 'email'

/** The output files of each edition. */
export const EDITION_OUTPUTS: Readonly<Record<EditionName, readonly string[]>> = {
  print: ['print.html', 'print.pdf'],
  email: ['email.html', 'email.txt', 'email.eml']
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
