import { execFileSync } from 'node:child_process'
import { appendFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Builder, BuilderResult } from '../src/index.js'
import { createBuilder, openProject, projectPaths } from '../src/index.js'
import { copyProject } from './copy-project.js'

const slug = '2025-06-harbour-notes'
let project: string
let builder: Builder

beforeAll(async () => {
  project = await copyProject('fresh-print', slug)
  builder = await createBuilder(await openProject(projectPaths(project)))
})

afterAll(async () => {
  await builder?.close()
  await rm(project, { recursive: true, force: true })
})

/** The PDF's text, read back with pdftotext. */
async function pdfText(result: BuilderResult): Promise<string> {
  const file = path.join(project, 'print.pdf')
  await writeFile(file, result.outputs.get('print.pdf') as Uint8Array)
  return execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })
}

/** Change the print stylesheet the print document links: it adds `word` after the body. */
const mark = (word: string) => appendFile(path.join(project, 'styles', 'print.css'), `\nbody::after { content: "Stylesheet ${word}"; }\n`)

describe('printing after a linked file changed on disk', () => {
  it('prints the new stylesheet with `fresh`, and on the first print after a reload', async () => {
    await mark('Autumn')
    const first = await builder.build(slug, { editions: ['print-html'] })
    expect(await pdfText(await builder.build(slug, { editions: ['print'], from: first }))).toContain('Stylesheet Autumn')
    await mark('Winter')
    expect(await pdfText(await builder.build(slug, { editions: ['print'], fresh: true }))).toContain('Stylesheet Winter')
    await mark('Spring')
    await builder.reload()
    expect(await pdfText(await builder.build(slug, { editions: ['print'] }))).toContain('Stylesheet Spring')
  }, 180_000)
})
