import { readdir } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import type { SectionTypes, VFile } from '@masthead/core'
import { loadSectionTypes } from '@masthead/layout'

/** Where a project keeps its things. */
export interface ProjectPaths {
  root: string
  issues: string
  templates: string
  styles: string
  dist: string
}

/** An opened project: its paths and its section types. */
export interface Project {
  paths: ProjectPaths
  types: SectionTypes
  /** Messages from loading the section types (manifests). */
  files: VFile[]
}

/** The default paths below a project root. */
export function projectPaths(root: string, overrides: { [K in keyof Omit<ProjectPaths, 'root'>]?: string | undefined } = {}): ProjectPaths {
  const at = (value: string | undefined, fallback: string) => path.resolve(root, value ?? fallback)
  return {
    root,
    issues: at(overrides.issues, 'issues'),
    templates: at(overrides.templates, 'templates'),
    styles: at(overrides.styles, 'styles'),
    dist: at(overrides.dist, 'dist')
  }
}

/**
 * Open a project: load and validate the section types under `templates/sections/`.
 *
 * @param paths The project's folders (see {@link projectPaths}).
 */
export async function openProject(paths: ProjectPaths): Promise<Project> {
  const { types, files } = await loadSectionTypes(paths.templates)
  return { paths, types, files }
}

/** The slugs of every issue folder (a folder holding `issue.md`) under `issues/`, sorted. */
export async function listIssues(paths: ProjectPaths): Promise<string[]> {
  const entries = await readdir(paths.issues, { withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(path.join(paths.issues, entry.name, 'issue.md')))
    .map((entry) => entry.name)
    .sort()
}
