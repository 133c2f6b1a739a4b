/**
 * Support for the hostile-case suite: a temporary project per case (the repository's
 * templates/ and styles/, the case's fixture as its issue, previous outputs in dist/), the
 * real `masthead` command as a child process, and the Chromium processes it leaves.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
export const cli = path.join(root, 'packages/cli/bin/masthead.js')
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/hostile')

/** What a case's dist/<issue>/ held before the command: one line per file. */
export const PREVIOUS = ['issue.json', 'print.html', 'print.pdf', 'email.html', 'email.txt', 'email.eml']

/** A temporary project for one case. */
export interface Project {
  dir: string
  /** The issue's folder name (the fixture's name). */
  slug: string
  /** `$TMPDIR` of the commands run here: Chromium's profile lives in it, and nothing may be left. */
  tmp: string
  /** `dist/<slug>/`. */
  dist: string
}

/** Options for {@link makeProject}. */
export interface ProjectOptions {
  /** What `{{origin}}` in the fixture's head.html becomes. */
  origin?: string
  /** Write fake previous outputs into dist/<slug>/ (default: true). */
  previous?: boolean
  /** The folder holding the case folders (default: fixtures/hostile). */
  fixtures?: string
}

/**
 * Make a project from `fixtures/hostile/<name>/`: `issue.md` and `images/` become
 * `issues/<name>/`; `templates/` is laid over the copied templates; `head.html` is inserted
 * into `layouts/print.hbs` after `<meta charset="utf-8">`; `masthead.config.json` goes to the root.
 */
export async function makeProject(name: string, options: ProjectOptions = {}): Promise<Project> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `masthead-hostile-${name}-`))
  await cp(path.join(root, 'templates'), path.join(dir, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(dir, 'styles'), { recursive: true })
  const issueDir = path.join(dir, 'issues', name)
  await mkdir(issueDir, { recursive: true })
  const fixture = path.join(options.fixtures ?? fixtures, name)
  for (const entry of existsSync(fixture) ? await readdir(fixture) : []) {
    const from = path.join(fixture, entry)
    if (entry === 'templates') await cp(from, path.join(dir, 'templates'), { recursive: true })
    else if (entry === 'masthead.config.json') await cp(from, path.join(dir, entry))
    else if (entry === 'head.html') {
      const layout = path.join(dir, 'templates/layouts/print.hbs')
      const text = await readFile(layout, 'utf8')
      const anchor = '<meta charset="utf-8">'
      if (!text.includes(anchor)) throw new Error(`Cannot find \`${anchor}\` in templates/layouts/print.hbs to insert ${name}/head.html`)
      const head = (await readFile(from, 'utf8')).replaceAll('{{origin}}', options.origin ?? 'http://127.0.0.1:9')
      await writeFile(layout, text.replace(anchor, `${anchor}\n${head}`))
    } else await cp(from, path.join(issueDir, entry), { recursive: true })
  }
  const tmp = path.join(dir, '.tmp')
  await mkdir(tmp)
  const dist = path.join(dir, 'dist', name)
  if (options.previous !== false) {
    await mkdir(dist, { recursive: true })
    for (const file of PREVIOUS) await writeFile(path.join(dist, file), `previous ${file} of ${name}\n`)
  }
  return { dir, slug: name, tmp, dist }
}

/** The previous outputs as they were written, byte for byte. */
export function previousOutputs(project: Project): Record<string, string> {
  return Object.fromEntries(PREVIOUS.map((file) => [file, `previous ${file} of ${project.slug}\n`]))
}

/** Every file of a folder (and its subfolders, as `images/a.webp`) with its bytes as text, sorted, to compare before and after. */
export function folderContents(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {}
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
      .sort()
      .map((file) => [file, readFileSync(path.join(dir, file), 'latin1')])
  )
}

/** What a command did. */
export interface Outcome {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Options for {@link run}. */
export interface RunOptions {
  /** While the command runs: called with its pid once it started, and what it wrote on stderr so far. */
  during?: (pid: number, stderr: () => string) => Promise<void>
  /** Extra environment. */
  env?: Record<string, string>
  /** Run under `unshare -rm sh -c <script>`, with `$CLI` the command's script. */
  namespace?: string
}

/**
 * Run `masthead <args>` in the project as a child process, without colours, with the
 * project's own `$TMPDIR`. Paths of the project in its output read `<project>`.
 * `HOSTILE_DEBUG=1` prints each command's exit code and stderr (to write expectations).
 */
export async function run(project: Project, args: readonly string[], options: RunOptions = {}): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: project.tmp, NO_COLOR: '1', ...options.env }
  delete env.FORCE_COLOR
  const [command, argv] =
    options.namespace === undefined ? [process.execPath, [cli, ...args]] : ['unshare', ['-rm', 'sh', '-c', options.namespace]]
  env.CLI = cli
  env.NODE = process.execPath
  const child = spawn(command, argv, { cwd: project.dir, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal }))
  )
  if (options.during && child.pid !== undefined) await options.during(child.pid, () => stderr)
  const { code, signal } = await exited
  const clean = (text: string) => text.replaceAll(project.dir, '<project>')
  if (process.env.HOSTILE_DEBUG) console.log(args.join(' '), code, JSON.stringify(clean(stderr)))
  return { code, signal, stdout: clean(stdout), stderr: clean(stderr) }
}

/** Processes whose command line or environment names the project's `$TMPDIR`: Chromium and its helpers (pid and command line). */
export function processesOf(project: Project): Array<{ pid: number; cmdline: string }> {
  const found: Array<{ pid: number; cmdline: string }> = []
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8')
      if (cmdline.includes(project.tmp) || environ.split('\0').some((line) => line.startsWith(`TMPDIR=${project.tmp}`)))
        found.push({ pid: Number(pid), cmdline })
    } catch {
      // gone, or not ours to read
    }
  }
  return found
}

/** Pids of the project's Chromium browser processes (not its helpers), oldest first. */
export function browserPids(project: Project): number[] {
  return processesOf(project)
    .filter(({ cmdline }) => cmdline.includes('--user-data-dir=') && !cmdline.includes('--type='))
    .map(({ pid }) => pid)
    .sort((a, b) => a - b)
}

/** `/proc/<pid>/stat`'s fields after the command name: state, ppid, …; undefined once the process is gone. */
function statOf(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** Whether `pid` is `ancestor` or one of its descendants (a renderer is a child of the browser's zygote). */
function descendsFrom(pid: number, ancestor: number): boolean {
  for (let current: number | undefined = pid, depth = 0; current !== undefined && current > 1 && depth < 8; depth++) {
    if (current === ancestor) return true
    const parent: string | undefined = statOf(current)?.[1]
    current = parent === undefined ? undefined : Number(parent)
  }
  return false
}

/**
 * The most CPU time, in seconds, that one page renderer of browser `browser` has used (user
 * + system, in the kernel's 100 Hz clock ticks): a page's busy script shows up here.
 * Chromium's own UI renderer (`--top-chrome-webui`, up to 2 s of CPU at startup) is not one.
 */
export function pageRendererCpuSeconds(project: Project, browser: number): number {
  let most = 0
  for (const { pid, cmdline } of processesOf(project)) {
    if (!cmdline.includes('--type=renderer') || cmdline.includes('--top-chrome-webui') || !descendsFrom(pid, browser)) continue
    const stat = statOf(pid)
    if (stat) most = Math.max(most, (Number(stat[11]) + Number(stat[12])) / 100)
  }
  return most
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Wait until `check` returns a value, polling; throws after `timeout` ms. */
export async function waitFor<T>(what: string, check: () => T | undefined, timeout = 30_000): Promise<T> {
  const started = performance.now()
  for (;;) {
    const value = check()
    if (value !== undefined) return value
    if (performance.now() - started > timeout) throw new Error(`Timed out waiting for ${what}`)
    await sleep(50)
  }
}

/** Remove the project; first check nothing of it is still running and its `$TMPDIR` is empty. */
export async function finish(project: Project): Promise<{ survivors: string[]; tmpLeft: string[] }> {
  // A killed Chromium's helpers take a moment to notice.
  let found = processesOf(project)
  for (let attempt = 0; attempt < 20 && found.length > 0; attempt++) {
    await sleep(100)
    found = processesOf(project)
  }
  const survivors = found.map(({ pid, cmdline }) => `${pid} ${cmdline.slice(0, 100)}`)
  const tmpLeft = existsSync(project.tmp) ? readdirSync(project.tmp) : []
  for (const { pid } of found) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  await rm(project.dir, { recursive: true, force: true })
  return { survivors, tmpLeft }
}

/** True when this machine lets us make a user and mount namespace (for the full-disk cases). */
export const canUnshare = (): boolean => spawnSync('unshare', ['-rm', 'true'], { stdio: 'ignore' }).status === 0

/** Run a case in a fresh project; afterwards nothing of it may still run, and its $TMPDIR is empty. */
export async function hostile(name: string, body: (project: Project) => Promise<void>, options: ProjectOptions = {}): Promise<void> {
  const project = await makeProject(name, options)
  try {
    await body(project)
  } finally {
    const { survivors, tmpLeft } = await finish(project)
    expect(survivors, 'Chromium processes left behind').toEqual([])
    expect(tmpLeft, 'files left in $TMPDIR (a Chromium profile?)').toEqual([])
  }
}

/** The case was refused: exit 1, and dist/<issue>/ is exactly as it was. */
export function refused(project: Project, outcome: Outcome): void {
  expect(outcome.code).toBe(1)
  expect(folderContents(project.dist)).toEqual(previousOutputs(project))
}

/** The report of one refused issue: progress line, then the report as the CLI prints it. */
export const notBuilt = (slug: string, report: string): string =>
  `… building ${slug}\n✗ ${slug}: not built (see the problems below); previous outputs left as they were\n${report}`
