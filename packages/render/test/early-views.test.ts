import { readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmailViews } from '@masthead/email'
import type { Builder } from '../src/index.js'
import { createBuilder, openProject, projectPaths } from '../src/index.js'
import { copyProject } from './copy-project.js'

const slug = '2025-06-harbour-notes'
let project: string
let builder: Builder

beforeAll(async () => {
  project = await copyProject('early-views', slug)
  builder = await createBuilder(await openProject(projectPaths(project)))
})

afterAll(async () => {
  await builder?.close()
  await rm(project, { recursive: true, force: true })
})

describe('a build’s early views (for a live preview)', () => {
  it('hands over the email views and the saved PDF once each, the same bytes the result holds', async () => {
    const email: EmailViews[] = []
    const pdfs: Uint8Array[] = []
    const result = await builder.build(slug, { onEmailViews: (views) => email.push(views), onPdf: (pdf) => pdfs.push(pdf) })
    expect(
      result.files
        .flatMap((file) => file.messages)
        .filter((message) => message.fatal === true)
        .map(String)
    ).toEqual([])
    expect(email).toHaveLength(1)
    expect(email[0]!.html).toBe(result.outputs.get('email.html'))
    expect(email[0]!.text).toBe(result.outputs.get('email.txt'))
    expect(pdfs).toHaveLength(1)
    expect(Buffer.from(pdfs[0]!).equals(Buffer.from(result.outputs.get('print.pdf') as Uint8Array))).toBe(true)
  }, 120_000)

  it('hands over nothing from a source with errors', async () => {
    const source = path.join(project, 'issues', slug, 'issue.md')
    const good = await readFile(source, 'utf8')
    await writeFile(source, good.replace(':::news', ':::newz'))
    try {
      let calls = 0
      const result = await builder.build(slug, { onEmailViews: () => calls++, onPdf: () => calls++ })
      expect(result.outputs.size).toBe(0)
      expect(calls).toBe(0)
    } finally {
      await writeFile(source, good)
    }
  }, 120_000)
})
