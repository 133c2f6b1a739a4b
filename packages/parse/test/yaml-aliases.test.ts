import path from 'node:path'
import { VFile } from '@masthead/core'
import { describe, expect, it } from 'vitest'
import { parseIssueFile } from '../src/index.js'
import { sectionTypes } from './section-types.js'

const sections = sectionTypes()

function messages(frontmatter: string): string[] {
  const file = new VFile({
    path: path.join(process.cwd(), 'virtual-issue/issue.md'),
    value: `---\n${frontmatter}---\n\n:::news\n## H\n\nText.\n:::\n`
  })
  const { issue } = parseIssueFile(file, { sections })
  if (file.messages.some((message) => message.fatal)) expect(issue).toBeUndefined()
  return file.messages.map((message) => `${message.line}:${message.column} ${message.reason} ${message.ruleId}`)
}

const laughs = (levels: number) =>
  [
    'a: &a [x, x, x, x, x, x, x, x, x]',
    ...Array.from(
      { length: levels },
      (_, index) => `${'bcdefghij'[index]}: &${'bcdefghij'[index]} [${Array(9).fill(`*${'abcdefghij'[index]}`).join(', ')}]`
    )
  ].join('\n') + '\n'

describe('YAML aliases in the frontmatter', () => {
  it('an alias with no anchor is an error at the alias', () => {
    expect(messages('title: T\nissue: *number\ndate: 2021-04-30\nlang: zh-CN\npublisher: P\n')).toEqual([
      '3:8 Unexpected alias `*number` with no anchor `&number` before it, expected a value (or the anchor first) yaml-alias'
    ])
  })

  it('a billion laughs is an error at the alias that goes past the limit, found without expanding it', () => {
    expect(messages(`title: T\nissue: 1\ndate: 2021-04-30\nlang: zh-CN\npublisher: P\n${laughs(8)}`)).toEqual([
      '10:8 Unexpected alias `*c` that makes the frontmatter expand past 1000 values, expected plain values (aliases are limited against resource exhaustion) yaml-alias'
    ])
  })

  it('an anchor used inside itself is refused too', () => {
    expect(messages('title: T\nissue: 1\ndate: 2021-04-30\nlang: zh-CN\npublisher: P\nself: &s [1, *s]\n')).toEqual([
      '7:14 Unexpected alias `*s` that makes the frontmatter expand past 1000 values, expected plain values (aliases are limited against resource exhaustion) yaml-alias'
    ])
  })

  it('a small alias is fine', () => {
    expect(messages('title: &t T\nissue: 1\ndate: 2021-04-30\nlang: zh-CN\npublisher: *t\n')).toEqual([])
  })
})
