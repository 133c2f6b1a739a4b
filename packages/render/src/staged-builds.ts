import type { Issue } from '@masthead/core'
import { VFile } from '@masthead/core'
import type { BuildResult } from './build-issue.js'
import type { BuilderEdition, BuildRequest } from './builder-types.js'

/** What a result leaves for a later build `from` it: the parsed issue and its print HTML. */
export interface Stage {
  /** The layout load it was built with (see `LoadedLayout.generation`). */
  generation: number
  issue: Issue
  file: VFile
  /** The print HTML as rendered (without `<base>`), once it was. */
  printHtml?: string | undefined
}

/**
 * The live preview's staged builds on top of the pipeline: it builds `print-html`, then
 * `email`, then `print` of one issue, each `from` the first result, so the issue is parsed
 * and its print HTML rendered once per change; and after the templates or a linked file
 * changed, the next print loads its document afresh.
 */
export interface Stages {
  /**
   * The stage `from` left, when the layout is still the one it was built with, and a copy
   * of its file (with its messages) for the new result's own findings.
   */
  resume(from: BuildResult | undefined, generation: number): { stage: Stage; file: VFile } | undefined
  /** Remember what `result` leaves for a build from it; returns the stage to fill in. */
  keep(result: BuildResult, stage: Stage): Stage
  /** Whether a build of `editions` prints afresh: asked for, or the first print since {@link Stages.reloaded}. */
  fresh(request: BuildRequest, editions: ReadonlySet<BuilderEdition>): boolean
  /** The templates, styles or manifests were reloaded: files the warm page cached may have changed. */
  reloaded(): void
}

/** A copy of a VFile with its messages, so a later build adds findings to its own file. */
function copyFile(file: VFile): VFile {
  const copy = new VFile({ path: file.path, cwd: file.cwd, value: file.value })
  copy.messages.push(...file.messages)
  return copy
}

/** Create the staging of one builder. */
export function createStages(): Stages {
  const stages = new WeakMap<BuildResult, Stage>()
  let stale = false
  return {
    resume(from, generation) {
      const earlier = from ? stages.get(from) : undefined
      if (!earlier || earlier.generation !== generation) return undefined
      return { stage: earlier, file: copyFile(earlier.file) }
    },
    keep(result, stage) {
      const kept = { ...stage }
      stages.set(result, kept)
      return kept
    },
    fresh(request, editions) {
      if (!editions.has('print')) return false
      const fresh = request.fresh === true || stale
      stale = false
      return fresh
    },
    reloaded() {
      stale = true
    }
  }
}
