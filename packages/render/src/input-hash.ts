import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { Project } from './open-project.js'

/** The folder under `dist/` that holds, per issue, the hash of the inputs its outputs were built from (`dist/.masthead/inputs/<issue>`). */
export const INPUTS_DIR = path.join('.masthead', 'inputs')

/** The packages whose versions go into every hash (Masthead's own, and what shapes the outputs). */
const PACKAGES = [
  '@masthead/core',
  '@masthead/parse',
  '@masthead/layout',
  '@masthead/pdf',
  '@masthead/email',
  '@masthead/web',
  '@masthead/render',
  'mjml',
  'sharp',
  'handlebars',
  'puppeteer-core'
]

/** Every file under `dir` (dot-files and `node_modules` left out), as paths relative to it, sorted. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => [])
  return entries
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.'))
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .filter((file) => !file.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules'))
    .sort()
}

/** Add every file of `dir` to `hash`: its path, its length, its bytes. */
async function addFolder(hash: ReturnType<typeof createHash>, dir: string, label: string): Promise<void> {
  for (const file of await listFiles(dir)) {
    const bytes = await readFile(path.join(dir, file))
    hash.update(`${label}/${file.split(path.sep).join('/')}\0${bytes.length}\0`)
    hash.update(bytes)
  }
}

function versions(): string {
  const require = createRequire(import.meta.url)
  return PACKAGES.map((name) => {
    try {
      const file = require.resolve(`${name}/package.json`)
      return `${name}@${(JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version ?? '?'}`
    } catch {
      return `${name}@-`
    }
  }).join(' ')
}

/** Hashes an issue's inputs; see {@link createInputHasher}. */
export interface InputHasher {
  /** The hash of everything `slug`'s outputs depend on, as 64 hex digits. */
  hash(slug: string): Promise<string>
}

/**
 * Hash what an issue's outputs depend on, as Turborepo hashes a task's inputs: the issue
 * folder (`issue.md`, images, every other file in it), `templates/`, `styles/`, the
 * settings the build runs with (`settings`: the config's values, the editions, paper and
 * bleed, the Chromium binary), the lock file, the versions of Masthead's packages and of
 * the libraries that shape the outputs (mjml, sharp, handlebars, puppeteer-core), and
 * Node's version. The shared part is hashed once per hasher.
 *
 * @param project The opened project.
 * @param settings Everything else the build depends on, as JSON-able data.
 */
export function createInputHasher(project: Project, settings: unknown): InputHasher {
  let shared: Promise<string> | undefined
  const sharedHash = async () => {
    const hash = createHash('sha256')
    hash.update(`masthead-inputs 1\0${process.version}\0${versions()}\0${JSON.stringify(settings)}\0`)
    const lock = path.join(project.paths.root, 'package-lock.json')
    if (existsSync(lock)) hash.update(await readFile(lock))
    await addFolder(hash, project.paths.templates, 'templates')
    await addFolder(hash, project.paths.styles, 'styles')
    return hash.digest('hex')
  }
  return {
    async hash(slug) {
      const dir = path.isAbsolute(slug) ? slug : path.join(project.paths.issues, slug)
      const hash = createHash('sha256')
      hash.update(await (shared ??= sharedHash()))
      await addFolder(hash, dir, 'issue')
      return hash.digest('hex')
    }
  }
}
