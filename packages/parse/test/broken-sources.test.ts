import { mkdtemp, readdir, readFile, symlink, writeFile, mkdir, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { VFile } from '@masthead/core'
import { severity } from '@masthead/core'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_BLOCKS, MAX_SECTIONS, parseIssue } from '../src/index.js'
import { sectionTypes } from './section-types.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const broken = path.join(here, 'fixtures/broken')
const sections = sectionTypes()

/** Messages as `line:column severity reason`, the form of each fixture's messages.txt. */
function format(file: VFile): string {
  return (
    [...file.messages]
      .sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
      .map((message) => `${message.line ?? 1}:${message.column ?? 1} ${severity(message)} ${message.reason}`)
      .join('\n') + '\n'
  )
}

const cases = (await readdir(broken)).sort()

describe('broken sources', () => {
  it('has a fixture set of at least 15 broken sources', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15)
  })

  for (const name of cases) {
    it(`reports exactly the diagnostics of ${name}`, async () => {
      const { issue, file } = await parseIssue(path.join(broken, name), { sections, cwd: path.join(broken, name) })
      const expected = path.join(broken, name, 'messages.txt')
      // A missing messages.txt fails (vitest `update: 'none'`, scripts/vitest-shared.mjs); `-u` writes it.
      await expect(format(file)).toMatchFileSnapshot(expected)
      const errors = file.messages.filter((message) => message.fatal === true)
      if (name === 'warnings-only') {
        expect(errors).toEqual([])
        expect(issue).toBeDefined()
      } else {
        expect(errors.length).toBeGreaterThan(0)
        expect(issue).toBeUndefined()
      }
    })
  }
})

describe('sources made at test time', () => {
  const made: string[] = []
  const tmp = async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'masthead-parse-'))
    made.push(dir)
    return dir
  }
  afterAll(async () => {
    await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
  })

  it('refuses a 5 MB source with one positioned error, quickly and without parsing it', async () => {
    const dir = await tmp()
    const frontmatter = '---\ntitle: Big\nissue: 1\ndate: 2021-04-30\nlang: en\npublisher: Test\n---\n\n:::news\n'
    const body = '## Item\n\n' + 'All work and no play. '.repeat(40) + '\n\n'
    await writeFile(path.join(dir, 'issue.md'), frontmatter + body.repeat(Math.ceil((5 * 1024 * 1024) / body.length)) + ':::\n')
    const { issue, file } = await parseIssue(dir, { sections })
    expect(issue).toBeUndefined()
    expect(format(file)).toBe(
      '1:1 error Unexpected file size of 5.0 MB, expected at most 2 MB for one issue (split it, or move data out of the source)\n'
    )
  })

  it('refuses an image that is a symlink leading out of the issue folder', async () => {
    const outside = await tmp()
    const dir = await tmp()
    await writeFile(path.join(outside, 'secret.png'), await readFile(path.join(broken, 'warnings-only/images/dot.png')))
    await mkdir(path.join(dir, 'images'))
    await symlink(path.join(outside, 'secret.png'), path.join(dir, 'images/photo.png'))
    await writeFile(
      path.join(dir, 'issue.md'),
      '---\ntitle: T\nissue: 1\ndate: 2021-04-30\nlang: en\npublisher: P\n---\n\n:::news\n## A\n\n![A photo](images/photo.png)\n:::\n'
    )
    const { issue, file } = await parseIssue(dir, { sections })
    expect(issue).toBeUndefined()
    expect(format(file)).toBe(
      '12:1 error Unexpected image `images/photo.png` that links out of the issue folder, expected a file inside it\n'
    )
  })

  it('refuses an issue.md that is a symlink leading out of the issue folder, without reading it', async () => {
    const outside = await tmp()
    const dir = await tmp()
    await writeFile(path.join(outside, 'notes.md'), 'secret words')
    await symlink(path.join(outside, 'notes.md'), path.join(dir, 'issue.md'))
    const { issue, file } = await parseIssue(dir, { sections })
    expect(issue).toBeUndefined()
    expect(format(file)).toBe(
      '1:1 error Unexpected `issue.md` that links out of the issue folder, expected the source file itself in the folder\n'
    )
  })

  it('reports a missing issue.md instead of throwing', async () => {
    const dir = await tmp()
    const { issue, file } = await parseIssue(dir, { sections })
    expect(issue).toBeUndefined()
    expect(file.messages[0]?.reason).toBe(`Cannot read \`${path.join(dir, 'issue.md')}\`: ENOENT, expected an issue source file`)
  })

  const frontmatter = '---\ntitle: T\nissue: 1\ndate: 2025-06-01\nlang: en\npublisher: P\n---\n\n'

  it(`refuses section ${MAX_SECTIONS + 1} at its opening line, and takes ${MAX_SECTIONS}`, async () => {
    const section = (index: number) => `:::news[Part ${index}]\n## Item\nText.\n:::\n\n`
    const dir = await tmp()
    const sectionsText = Array.from({ length: MAX_SECTIONS + 1 }, (_, index) => section(index + 1)).join('')
    await writeFile(path.join(dir, 'issue.md'), frontmatter + sectionsText)
    const over = await parseIssue(dir, { sections })
    expect(over.issue).toBeUndefined()
    // Each section takes 5 lines, after 8 of frontmatter.
    expect(format(over.file)).toBe(
      `${8 + MAX_SECTIONS * 5 + 1}:1 error Unexpected 201st section, expected at most 200 sections in one issue (split it into several issues)\n`
    )
    await writeFile(path.join(dir, 'issue.md'), frontmatter + sectionsText.slice(0, sectionsText.lastIndexOf(':::news')))
    const limit = await parseIssue(dir, { sections })
    expect(limit.file.messages).toEqual([])
    expect(limit.issue?.sections).toHaveLength(MAX_SECTIONS)
  }, 120_000)

  // Parsing 10,000 list items takes seconds on a loaded machine: the timeouts only guard against a hang.
  it(`refuses a list that takes the issue past ${MAX_BLOCKS} blocks, at the first block too many`, async () => {
    const dir = await tmp()
    // The section and its heading are two blocks; the list items fill the rest.
    const items = (count: number) => Array.from({ length: count }, (_, index) => `- Berth ${index + 1}\n`).join('')
    await writeFile(path.join(dir, 'issue.md'), frontmatter + ':::news[A long list]\n## Every berth\n\n' + items(MAX_BLOCKS - 1) + ':::\n')
    const over = await parseIssue(dir, { sections })
    expect(over.issue).toBeUndefined()
    expect(format(over.file)).toBe(
      `${11 + MAX_BLOCKS - 2}:1 error Unexpected 10,001st block (paragraph, heading, list item, table row…), expected at most 10,000 in one issue (split it into several issues, or move a long list out of the issue)\n`
    )
    await writeFile(path.join(dir, 'issue.md'), frontmatter + ':::news[A long list]\n## Every berth\n\n' + items(MAX_BLOCKS - 3) + ':::\n')
    const limit = await parseIssue(dir, { sections })
    expect(limit.file.messages).toEqual([])
  }, 120_000)
})
