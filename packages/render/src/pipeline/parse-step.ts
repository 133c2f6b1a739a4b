import path from 'node:path'
import type { Issue, SectionTypes, VFile } from '@masthead/core'
import { parseIssue } from '@masthead/parse'
import type { Project } from '../open-project.js'
import { since } from './build-result.js'

/** A parsed issue: the model (undefined when the source has errors), its file, the milliseconds it took. */
export interface Parsed {
  issue: Issue | undefined
  file: VFile
  ms: number
}

/** The folder of issue `slug`: a folder under `issues/`, or an absolute path. */
export function issueDir(project: Project, slug: string): string {
  return path.isAbsolute(slug) ? slug : path.join(project.paths.issues, slug)
}

/**
 * Parse an issue's `issue.md` into the Issue model.
 *
 * @param project The opened project.
 * @param types The section types the source may use.
 * @param slug The issue folder's name under `issues/`, or an absolute path to one.
 */
export async function parseStep(project: Project, types: SectionTypes, slug: string): Promise<Parsed> {
  const start = performance.now()
  const { issue, file } = await parseIssue(issueDir(project, slug), { sections: types, cwd: project.paths.root })
  return { issue, file, ms: since(start) }
}
