import { existsSync } from 'node:fs'
import path from 'node:path'
import type { Config, VFile } from '@masthead/core'
import { hasErrors, loadConfig, report } from '@masthead/core'
import type { BuilderOptions, Project } from '@masthead/render'
import { findRoot, listIssues, openProject, projectPaths } from '@masthead/render'

import type { Io } from './io.js'
import { UsageError } from './io.js'

export { EXIT, UsageError, processIo } from './io.js'
export type { Io } from './io.js'

/** The project a command runs in, with its config. */
export interface Workspace {
  project: Project
  config: Config
  /** The config file and the manifests, with their messages. */
  files: VFile[]
}

/**
 * Find the project the command runs in, load its config file and open it. With errors in
 * the config, `config` is empty and `files` says why.
 */
export async function loadWorkspace(io: Io): Promise<Workspace> {
  const root = findRoot(io.cwd)
  if (!root) {
    throw new UsageError(
      `Not inside a Masthead project (no masthead.config.json, nor issues/ and templates/ folders, in ${io.cwd} or above)`
    )
  }
  const loaded = await loadConfig(root)
  const config = loaded.config ?? {}
  const project = await openProject(projectPaths(root, config.paths ?? {}))
  const files = [loaded.file, ...project.files]
  return { project, config, files }
}

/** Builder options from the config, with command-line overrides. */
export function builderOptions(
  workspace: Workspace,
  io: Io,
  overrides: {
    paper?: string | undefined
    bleed?: boolean | undefined
    pressReady?: boolean | undefined
    archival?: boolean | undefined
    overprint?: boolean | undefined
  } = {}
): BuilderOptions {
  const { config } = workspace
  const options: BuilderOptions = { env: io.env }
  if (config.browser?.executablePath) options.chromium = config.browser.executablePath
  if (config.browser?.launchTimeout) options.launchTimeout = config.browser.launchTimeout
  if (config.browser?.renderTimeout) options.renderTimeout = config.browser.renderTimeout
  if (config.network?.allow?.length) options.allowedOrigins = config.network.allow
  const paper = overrides.paper ?? config.print?.paper
  const bleed = overrides.bleed ?? config.print?.bleed
  const pressReady = overrides.pressReady ?? config.print?.pressReady
  const archival = overrides.archival ?? config.print?.archival
  const overprint = overrides.overprint ?? config.print?.overprint
  options.print = {
    ...(paper ? { paper } : {}),
    ...(bleed === undefined ? {} : { bleed }),
    ...(pressReady === undefined ? {} : { pressReady }),
    ...(archival === undefined ? {} : { archival }),
    ...(overprint === undefined ? {} : { overprint })
  }
  if (config.site?.url) options.site = { url: config.site.url }
  if (config.email) {
    const { sender, ...email } = config.email
    options.email = compact({ ...email, sender: sender ? compact(sender) : undefined }) as NonNullable<BuilderOptions['email']>
  }
  return options
}

/** True when the workspace itself (config, manifests) has errors. */
export function workspaceFailed(workspace: Workspace, strict = false): boolean {
  return hasErrors(workspace.files, strict)
}

/**
 * The issues a command works on: the named ones (folder names under issues/, or paths to
 * issue folders), or every issue when none is named.
 */
export async function selectIssues(project: Project, names: readonly string[], io: Io): Promise<string[]> {
  const all = await listIssues(project.paths)
  if (names.length === 0) {
    if (all.length === 0)
      throw new UsageError(
        `No issues found in ${path.relative(io.cwd, project.paths.issues) || '.'}/ (create one with \`masthead new <slug>\`)`
      )
    return all
  }
  return names.map((name) => {
    const trimmed = name.replace(/[\\/]+$/, '')
    if (all.includes(trimmed)) return trimmed
    const asPath = path.resolve(io.cwd, trimmed)
    if (existsSync(path.join(asPath, 'issue.md'))) return asPath
    if (trimmed.endsWith('issue.md') && existsSync(asPath)) return path.dirname(asPath)
    throw new UsageError(
      `Unknown issue \`${name}\`, expected one of ${all.map((slug) => '`' + slug + '`').join(', ') || '(none yet)'} or a path to an issue folder`
    )
  })
}

/** Drop the keys whose value is `undefined` (valibot's optional output) for exact optional types. */
function compact<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
}

/** A command on one issue (`send`, `export`): the files it reports, and its end. */
export interface IssueCommand {
  /** The config's and manifests' files; the command adds its own. */
  files: VFile[]
  /** Print the report of `files`, and return `code`. */
  done(code: number): number
  /** The issue, or undefined when the workspace has errors: the command ends with `done(EXIT.errors)`. */
  slug: string | undefined
}

/**
 * Start a command on the issue `name`: the workspace's files to report, and the issue
 * unless the config or the manifests have errors.
 */
export async function openIssueCommand(workspace: Workspace, name: string, io: Io, quiet: boolean): Promise<IssueCommand> {
  const files: VFile[] = [...workspace.files]
  const done = (code: number) => {
    printReport(files, io, quiet)
    return code
  }
  if (workspaceFailed(workspace)) return { files, done, slug: undefined }
  const [slug] = await selectIssues(workspace.project, [name], io)
  return { files, done, slug }
}

/** Print the messages of `files` (vfile-reporter style) on stderr, when there are any. */
export function printReport(files: readonly VFile[], io: Io, quiet = false): void {
  const text = report(files, { cwd: io.cwd, color: io.tty, quiet })
  if (text) io.stderr.write(text + '\n')
}
