import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Project } from '@masthead/render'
import { findRoot, listIssues, openProject, projectPaths } from '@masthead/render'

/** Exit codes: ok, errors in the sources, bad usage. */
export const EXIT = { ok: 0, errors: 1, usage: 2 } as const

/** A problem with how the command was called: printed, and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** How the CLI talks to its terminal. */
export interface Io {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  cwd: string
  env: NodeJS.ProcessEnv
  /** Colours and progress redraws only on a TTY. */
  tty: boolean
}

/** The default Io: the process's own streams. */
export function processIo(): Io {
  const tty = Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env)
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), env: process.env, tty: tty || process.env.FORCE_COLOR === '1' }
}

/** Find and open the project the command runs in. */
export async function loadProject(io: Io): Promise<Project> {
  const root = findRoot(io.cwd)
  if (!root) {
    throw new UsageError(`Not inside a Masthead project (no masthead.config.json, nor issues/ and templates/ folders, in ${io.cwd} or above)`)
  }
  return openProject(projectPaths(root))
}

/**
 * The issues a command works on: the named ones (folder names under issues/, or paths to
 * issue folders), or every issue when none is named.
 */
export async function selectIssues(project: Project, names: readonly string[], io: Io): Promise<string[]> {
  const all = await listIssues(project.paths)
  if (names.length === 0) {
    if (all.length === 0) throw new UsageError(`No issues found in ${path.relative(io.cwd, project.paths.issues) || '.'}/ (create one with \`masthead new <slug>\`)`)
    return all
  }
  return names.map((name) => {
    const trimmed = name.replace(/[\\/]+$/, '')
    if (all.includes(trimmed)) return trimmed
    const asPath = path.resolve(io.cwd, trimmed)
    if (existsSync(path.join(asPath, 'issue.md'))) return asPath
    if (trimmed.endsWith('issue.md') && existsSync(asPath)) return path.dirname(asPath)
    throw new UsageError(`Unknown issue \`${name}\`, expected one of ${all.map((slug) => '`' + slug + '`').join(', ') || '(none yet)'} or a path to an issue folder`)
  })
}
