import path from 'node:path'
import type { SectionTypes, VFile } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import { fontRoots as layoutFontRoots, loadSectionTypes } from '@masthead/layout'
import { fontRoots } from '@masthead/pdf'
import { createBrowserSlot } from './browser-slot.js'
import type { Builder, BuilderEdition, BuilderOptions, BuilderResult, BuildRequest } from './builder-types.js'
import type { Project } from './open-project.js'
import { createResult } from './pipeline/build-result.js'
import type { PipelineContext } from './pipeline/build-editions.js'
import { buildEditions } from './pipeline/build-editions.js'
import { loadLayout } from './pipeline/load-layout.js'
import { issueDir, parseStep } from './pipeline/parse-step.js'
import type { Stages } from './staged-builds.js'
import { createStages } from './staged-builds.js'
import { tocCache } from './toc-cache.js'

const DEFAULT_EDITIONS: readonly BuilderEdition[] = ['model', 'print', 'email', 'web']

/**
 * Create a builder for a project: compiled templates and one browser shared by every
 * build. The browser starts on the first print build (or at once with `prelaunch`) and is
 * reused by every later one, across issues.
 *
 * @param project The opened project.
 */
export async function createBuilder(project: Project, options: BuilderOptions = {}): Promise<Builder> {
  let types = project.types
  // The project's own manifest messages are the caller's to report (they came with `openProject`).
  let loaded = await loadLayout(project, types, [], 1)
  const stages = createStages()
  const slot = createBrowserSlot(options)
  const tocPages = tocCache(project.paths.root)
  // The font packages the layout links, and those the PDF step knows of.
  const assetRoots = [...new Set([project.paths.templates, project.paths.styles, ...layoutFontRoots(), ...fontRoots()])]
  return {
    assetRoots,
    build: (slug, request = {}) =>
      buildStaged({ project, options, loaded, slot, tocPages, allowedRoots: assetRoots }, types, stages, slug, request),
    async reload(): Promise<VFile[]> {
      const sectionTypes = await loadSectionTypes(project.paths.templates)
      types = sectionTypes.types
      loaded = await loadLayout(project, types, sectionTypes.files, loaded.generation + 1)
      stages.reloaded()
      return loaded.files
    },
    close: () => slot.close()
  }
}

/**
 * One build: parse the issue (or continue from the stage `request.from` left), then the
 * editions asked for, through the pipeline.
 */
async function buildStaged(
  context: PipelineContext,
  types: SectionTypes,
  stages: Stages,
  slug: string,
  request: BuildRequest
): Promise<BuilderResult> {
  const { project, loaded } = context
  const editions = new Set(request.editions ?? DEFAULT_EDITIONS)
  const resumed = stages.resume(request.from, loaded.generation)
  const parsed = resumed ? { ...resumed, issue: resumed.stage.issue } : await parseStep(project, types, slug)
  const result = createResult(path.basename(issueDir(project, slug)), parsed.file, loaded.files)
  result.issue = parsed.issue
  if ('ms' in parsed) result.timings.parse = parsed.ms
  if (!parsed.issue || hasErrors(result.files) || !loaded.layout) return result
  const stage = stages.keep(result, resumed?.stage ?? { generation: loaded.generation, issue: parsed.issue, file: parsed.file })
  const built = await buildEditions(context, {
    issue: parsed.issue,
    source: parsed.file,
    result,
    editions,
    request,
    fresh: stages.fresh(request, editions),
    printHtml: stage.printHtml
  })
  stage.printHtml ??= built.printHtml
  return result
}
