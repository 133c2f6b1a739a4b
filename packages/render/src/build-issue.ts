import type { Issue, VFile } from '@masthead/core'

/** The editions an issue can be built into; `model` is `issue.json`, `web` the web edition (`index.html`, its images, and `cover.jpg` when `print` is built too). */
export type Edition = 'model' | 'print' | 'email' | 'web'

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

/** The editions that can fail on their own: `print` (print.html, print.pdf and the press and archival files), `email` (email.html, email.txt, email.eml) and `web` (index.html, cover.jpg, images/). */
export type EditionName = 'print' | 'email' | 'web'

/** The output files of each edition; a name ending in `/` stands for everything in that folder. */
export const EDITION_OUTPUTS: Readonly<Record<EditionName, readonly string[]>> = {
  print: ['print.html', 'print.pdf', 'print-press.pdf', 'print-archival.pdf'],
  email: ['email.html', 'email.txt', 'email.eml'],
  web: ['index.html', 'cover.jpg', 'images/']
}

/** Whether the output `name` (a path below `dist/<issue>/`) is one of `edition`'s. */
export function isEditionOutput(edition: EditionName, name: string): boolean {
  return EDITION_OUTPUTS[edition].some((output) => (output.endsWith('/') ? name.startsWith(output) : name === output))
}
