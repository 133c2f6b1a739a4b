import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BuilderResult } from '../src/index.js'
import { createBuilder, openProject, projectPaths } from '../src/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const slug = '2025-06-harbour-notes'
let project: string
let cacheDir: string

/** Build the print edition with a new builder (a new browser, as a new `masthead build` would). */
async function buildOnce(): Promise<BuilderResult> {
  const builder = await createBuilder(await openProject(projectPaths(project)))
  try {
    return await builder.build(slug, { editions: ['print'] })
  } finally {
    await builder.close()
  }
}

const errors = (result: BuilderResult) =>
  result.files
    .flatMap((file) => file.messages)
    .filter((message) => message.fatal !== undefined)
    .map(String)

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-toc-cache-'))
  for (const folder of ['templates', 'styles', `issues/${slug}`])
    await cp(path.join(root, folder), path.join(project, folder), { recursive: true })
  await mkdir(path.join(project, 'node_modules'))
  cacheDir = path.join(project, 'node_modules/.cache/masthead/toc')
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('the table-of-contents cache between builds', () => {
  it('lets a second build print once', async () => {
    const first = await buildOnce()
    expect(errors(first)).toEqual([])
    expect(first.timings.prints).toBeGreaterThanOrEqual(2)
    const [file] = await readdir(cacheDir)
    expect(file).toMatch(/^2025-06-harbour-notes-[0-9a-f]{8}\.json$/)

    const second = await buildOnce()
    expect(errors(second)).toEqual([])
    expect(second.timings.prints).toBe(1)
    expect(second.outputs.get('print.pdf')?.length).toBeGreaterThan(0)
  }, 120_000)

  it('only ever hints: wrong or broken numbers cost a print, never a wrong page', async () => {
    const [file] = await readdir(cacheDir)
    const cached = path.join(cacheDir, file!)
    const entry = JSON.parse(await readFile(cached, 'utf8')) as { key: string; pages: Record<string, number> }
    // Every heading a page later than it is: the first print shows they moved.
    await writeFile(
      cached,
      JSON.stringify({ key: entry.key, pages: Object.fromEntries(Object.entries(entry.pages).map(([id, page]) => [id, page + 1])) })
    )
    const stale = await buildOnce()
    expect(errors(stale)).toEqual([])
    expect(stale.timings.prints).toBe(2)
    expect(JSON.parse(await readFile(cached, 'utf8'))).toEqual(entry)

    await writeFile(cached, '{ not json')
    const broken = await buildOnce()
    expect(errors(broken)).toEqual([])
    expect(broken.timings.prints).toBeGreaterThanOrEqual(2)
    expect(JSON.parse(await readFile(cached, 'utf8'))).toEqual(entry)
  }, 120_000)
})
