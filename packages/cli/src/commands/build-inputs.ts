import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Edition } from '@masthead/render'
import { INPUTS_DIR, createInputHasher } from '@masthead/render'
import type { Workspace } from '../context.js'

/** The print settings of a build, over the config (they shape the outputs). */
export interface PrintSettings {
  paper?: string | undefined
  bleed?: boolean | undefined
  pressReady?: boolean | undefined
  archival?: boolean | undefined
  overprint?: boolean | undefined
}

/** What lets `build` skip an issue whose inputs did not change since its outputs were written. */
export interface InputRecord {
  /** A hash of what the outputs depend on; undefined when that cannot be known (an unreadable file: it only costs a rebuild). */
  hash(slug: string): Promise<string | undefined>
  /** Whether the issue was last built from `inputs` and its outputs are all there. */
  unchanged(name: string, inputs: string): Promise<boolean>
  /** Keep `inputs` as what the outputs were built from (after they were written). */
  remember(name: string, inputs: string): Promise<void>
}

/**
 * The input record of a build of `editions` with `print` settings. The hash is kept in
 * `dist/.masthead/inputs/<issue>` (not in the folder, which is published).
 */
export function createInputRecord(workspace: Workspace, editions: readonly Edition[], print: PrintSettings): InputRecord {
  const { project, config } = workspace
  // What the outputs depend on besides the issue folder, templates and styles (see createInputHasher).
  const shaping = Object.fromEntries(Object.entries(config).filter(([key]) => key !== 'send' && key !== 'export'))
  const hasher = createInputHasher(project, {
    config: shaping,
    editions: [...editions].sort(),
    paper: print.paper ?? null,
    bleed: print.bleed ?? null,
    pressReady: print.pressReady ?? null,
    archival: print.archival ?? null,
    overprint: print.overprint ?? null
  })
  const expected = expectedOutputs(workspace, editions, print)
  const hashFile = (name: string) => path.join(project.paths.dist, INPUTS_DIR, name)
  return {
    hash: (slug) => hasher.hash(slug).catch(() => undefined),
    async unchanged(name, inputs) {
      const stored = await readFile(hashFile(name), 'utf8').catch(() => '')
      return stored.trim() === inputs && expected.every((file) => existsSync(path.join(project.paths.dist, name, file)))
    },
    // Written after the outputs: a build stopped in between leaves the old hash, which no longer matches, so the issue is built again.
    async remember(name, inputs) {
      const file = hashFile(name)
      await mkdir(path.dirname(file), { recursive: true })
      const temporary = `${file}.tmp-${process.pid}`
      await writeFile(temporary, inputs + '\n')
      await rename(temporary, file)
    }
  }
}

/** The files a build of these editions leaves, which must all be there to skip it. */
function expectedOutputs(workspace: Workspace, editions: readonly Edition[], print: PrintSettings): string[] {
  const webLayout = existsSync(path.join(workspace.project.paths.templates, 'layouts', 'web.hbs'))
  return [
    'issue.json',
    ...(editions.includes('print')
      ? ['print.pdf', ...(print.pressReady ? ['print-press.pdf'] : []), ...(print.archival ? ['print-archival.pdf'] : [])]
      : []),
    ...(editions.includes('email') ? ['email.eml'] : []),
    ...(editions.includes('web') && webLayout ? ['index.html'] : [])
  ]
}
