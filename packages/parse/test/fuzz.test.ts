import path from 'node:path'
import { VFile } from '@masthead/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseIssueFile } from '../src/index.js'
import { sectionTypes } from './section-types.js'

/**
 * Property tests: the parser never throws on any input; it returns an Issue or messages,
 * and every message has a position inside the file. CI runs a fixed seed and a bounded
 * number of runs; `npm run fuzz` sets FUZZ_RUNS high and a random seed.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 150)
const seed = process.env.FUZZ_SEED === undefined ? 20261122 : Number(process.env.FUZZ_SEED)
const sections = sectionTypes()

const pieces = [
  '---\n',
  'title: T\n',
  'issue: 1\n',
  'date: 2021-04-30\n',
  'lang: zh-CN\n',
  'lang: en\n',
  'publisher: P\n',
  'date: 2021-02-30\n',
  'title: [\n',
  'email: {mode: digest}\n',
  'html: true\n',
  ':::news[新闻]\n',
  ':::milestones\n',
  ':::viewpoints\n',
  ':::contacts\n',
  ':::article{#x}\n',
  ':::newz\n',
  '::news\n',
  ':::\n',
  '## 标题\n',
  '### Sub\n',
  '***\n',
  '来源：新华社\n',
  '（来源：新华网）\n',
  'speaker: 刘振亚\n',
  'date: 2021年4月22日\n',
  'web: http://x.org\n',
  'email: a@b.c\n',
  'portrait: ![a](images/x.jpg)\n',
  '- 2017-05-14 | 北京 | 论坛\n',
  '  说明\n',
  '- 坏的\n',
  '| 日期 | 事件 |\n',
  '| --- | --- |\n',
  '| 2019 | 启动 |\n',
  '![alt](../../etc/passwd "c")\n',
  '![](https://x/y.png)\n',
  '<script>alert(1)</script>\n',
  '<img src=x onerror=alert(1)>\n',
  '[x](javascript:alert(1))\n',
  '*|UNSUB|*\n',
  'text:directive and 3:2\n',
  'url: javascript:alert(1)\n',
  '> > > > > > > > quoted\n',
  '>'.repeat(120) + ' deep\n',
  '*'.repeat(60) + 'x' + '*'.repeat(60) + '\n',
  '<a href="javascript:alert(1)">x</a>\n',
  '<svg onload=alert(1)>\n',
  '\n',
  '\n\n',
  '正文段落。\n',
  'Plain words.\n',
  '\u0000',
  '\uFEFF',
  '\r\n'
]

const document = fc.oneof(
  fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', maxLength: 400 }),
  fc
    .tuple(fc.array(fc.constantFrom(...pieces), { maxLength: 20 }), fc.string({ maxLength: 80 }))
    .map(([parts, noise]) => parts.join('') + noise)
)

const parse = (text: string) =>
  parseIssueFile(new VFile({ path: path.join(process.cwd(), 'fuzz-issue/issue.md'), value: text }), { sections })

describe('parser properties', () => {
  it('never throws, and returns an Issue exactly when there is no error', () => {
    fc.assert(
      fc.property(document, (text) => {
        const { issue, file } = parse(text)
        const errors = file.messages.filter((message) => message.fatal === true)
        expect(issue !== undefined).toBe(errors.length === 0)
        const lines = text.split('\n').length
        for (const message of file.messages) {
          if (message.line != null) {
            expect(message.line).toBeGreaterThanOrEqual(1)
            expect(message.line).toBeLessThanOrEqual(lines + 1)
          }
        }
      }),
      { numRuns: runs, seed }
    )
  }, 300_000)

  it('never lets script, event handlers or javascript: URLs into any HTML it produces', () => {
    fc.assert(
      fc.property(document, (text) => {
        const { issue } = parse(text)
        if (!issue) return
        const html = JSON.stringify(
          issue.sections.map((section) => [
            section.intro.html,
            section.items.map((item) => item.body.html),
            section.entries.map((entry) => entry.note?.html)
          ])
        )
        expect(html).not.toMatch(/<script|\bon[a-z]+=|javascript:/i)
        // URLs a template puts in href attributes are web addresses only.
        expect(issue.meta.url ?? 'https://').toMatch(/^https?:\/\//i)
        const links = issue.sections.flatMap((section) => section.items.flatMap((item) => item.links.map((link) => link.url)))
        expect(links.filter((url) => /^\s*(javascript|vbscript|data):/i.test(url))).toEqual([])
      }),
      { numRuns: runs, seed }
    )
  }, 300_000)
})
