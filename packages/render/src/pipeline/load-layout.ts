import type { SectionTypes, VFile } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import type { EmailStyles } from '@masthead/email'
import type { Layout } from '@masthead/layout'
import { createLayout } from '@masthead/layout'
import type { Project } from '../open-project.js'

/** A project's compiled templates and styles, as one build uses them. */
export interface LoadedLayout {
  /** Undefined when a template or manifest has errors: nothing can be rendered. */
  layout: Layout | undefined
  /** The manifests' and templates' files (the caller reports those with messages). */
  files: VFile[]
  /** Counts loads: a staged result from an earlier one cannot be continued from. */
  generation: number
  /** The email styles, read at the first email build that needs them (the email package loads on first use). */
  emailStyles?: EmailStyles
}

/**
 * Compile the project's templates and read its styles.
 *
 * @param project The opened project (its paths).
 * @param types The section types the templates are compiled for.
 * @param manifests The files of loading `types`: errors there leave no layout.
 * @param generation The number of this load.
 */
export async function loadLayout(project: Project, types: SectionTypes, manifests: VFile[], generation: number): Promise<LoadedLayout> {
  const created = await createLayout({ templatesDir: project.paths.templates, stylesDir: project.paths.styles, types })
  return {
    layout: hasErrors(created.files) || hasErrors(manifests) ? undefined : created.layout,
    files: [...manifests, ...created.files],
    generation
  }
}
