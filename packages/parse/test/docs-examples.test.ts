import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { VFile } from '@masthead/core'
import { describe, expect, it } from 'vitest'
import { parseIssueFile } from '../src/index.js'
import { root, sectionTypes } from './section-types.js'

const sections = sectionTypes()
const FM = '---\ntitle: Example\nissue: 1\ndate: 2021-04-30\nlang: en\npublisher: Example\n---\n\n'

/** Every ```markdown block of a Markdown document. */
function markdownBlocks(text: string): string[] {
  return [...text.matchAll(/^```markdown\n([\s\S]*?)^```$/gm)].map((match) => match[1]!)
}

function parseExample(text: string, where: string) {
  const file = new VFile({ path: path.join(root, 'issues/example/issue.md'), value: text.startsWith('---') ? text : FM + text })
  const result = parseIssueFile(file, { sections })
  // Examples may name images that do not exist; everything else must be clean.
  const problems = file.messages
    .filter((message) => message.ruleId !== 'missing-image')
    .map((message) => `${where} ${message.line}:${message.column} ${message.reason}`)
  return { ...result, problems }
}

describe('docs/authoring.md', async () => {
  const doc = await readFile(path.join(root, 'docs/authoring.md'), 'utf8')
  const blocks = markdownBlocks(doc)

  it('has an example of every section type', () => {
    for (const name of sections.keys()) {
      expect(
        blocks.some((block) => block.includes(`:::${name}`)),
        name
      ).toBe(true)
    }
  })

  blocks.forEach((block, index) => {
    it(`example ${index + 1} parses without problems`, () => {
      const { problems, file } = parseExample(block, `example ${index + 1}`)
      expect(problems).toEqual([])
      if (!block.includes('images/')) expect(file.messages).toEqual([])
    })
  })
})

describe('templates/sections/*/example.md', () => {
  // Every section type the templates define has an example: a missing one fails, it is not skipped.
  for (const name of [...sections.keys()].sort()) {
    it(`${name}/example.md exists and parses without problems`, async () => {
      const example = path.join(root, 'templates/sections', name, 'example.md')
      expect(existsSync(example), `templates/sections/${name}/example.md is missing`).toBe(true)
      const { problems } = parseExample(await readFile(example, 'utf8'), `${name}/example.md`)
      expect(problems).toEqual([])
    })
  }
})
