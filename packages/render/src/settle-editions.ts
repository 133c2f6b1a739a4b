import type { VFile } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import type { BuildResult, EditionName, Outputs } from './build-issue.js'
import { isEditionOutput } from './build-issue.js'

/** An edition that failed on its own, and the first reason why. */
export interface EditionFailure {
  edition: EditionName
  reason: string
}

/** What to write of one build, edition by edition. */
export interface SettledEditions {
  /** The outputs to write: those of the editions that succeeded. */
  outputs: Outputs
  /** Editions that failed on their own; their previous outputs are to stay as they are. */
  failed: EditionFailure[]
  /** True when what every edition shares (the source, the layout) failed, or every edition asked for did: nothing is to be written. */
  refused: boolean
}

/**
 * Decide what of a build to write: nothing when the source, layout or manifests have errors
 * (or, with `strict`, warnings), or when every edition asked for failed; otherwise every edition's outputs except those of an edition
 * whose own steps failed. Editions are independent: a PDF that cannot print does not stop
 * the email, and an email over the size limit does not stop the PDF.
 *
 * @param result A build's result.
 * @param strict Count warnings as errors.
 */
export function settleEditions(result: BuildResult, strict = false): SettledEditions {
  const editions = Object.entries(result.editionFiles ?? {}) as Array<[EditionName, VFile[]]>
  const own = new Set(editions.flatMap(([, files]) => files))
  const common = result.files.filter((file) => !own.has(file))
  if (hasErrors(common, strict) || result.outputs.size === 0) return { outputs: new Map(), failed: [], refused: true }
  const outputs: Outputs = new Map(result.outputs)
  const failed: EditionFailure[] = []
  for (const [edition, files] of editions) {
    if (!hasErrors(files, strict)) continue
    for (const name of [...outputs.keys()]) if (isEditionOutput(edition, name)) outputs.delete(name)
    const first = files.flatMap((file) => file.messages).find((message) => message.fatal === true || (strict && message.fatal === false))
    failed.push({ edition, reason: first?.reason ?? 'see the problems below' })
  }
  // Every edition asked for failed: nothing is written, not even the model.
  if (failed.length > 0 && [...outputs.keys()].every((name) => name === 'issue.json')) return { outputs: new Map(), failed, refused: true }
  return { outputs, failed, refused: false }
}
