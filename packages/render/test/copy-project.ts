import { cp, mkdtemp } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root: its templates, styles and sample issues. */
export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * A project of its own in a temporary folder, for a test that changes files: a copy of the
 * repository's templates, styles and the sample issue `slug`.
 *
 * @returns The project's root.
 */
export async function copyProject(name: string, slug: string): Promise<string> {
  const project = await mkdtemp(path.join(os.tmpdir(), `masthead-${name}-`))
  for (const folder of ['templates', 'styles', `issues/${slug}`])
    await cp(path.join(repositoryRoot, folder), path.join(project, folder), { recursive: true })
  return project
}
