import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Issue } from '@masthead/core'
import { hasErrors, report } from '@masthead/core'
import { createLayout, loadSectionTypes } from '@masthead/layout'
import { parseIssue } from '@masthead/parse'
import * as cheerio from 'cheerio'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EmailBuild } from '../src/index.js'
import { buildEmail, loadEmailStyles } from '../src/index.js'
import { root } from './sample.js'

/**
 * The text part follows the section manifests: for every section type (its example.md,
 * full and digest) and for a type added in this test by files alone (a manifest and an
 * email.hbs, no text.hbs), every field value an item has reaches the text part, and so
 * does everything the HTML shows of the item's headline and text. Compared without white
 * space, so wrapping (CJK lines break between characters) does not matter.
 */
const FRONTMATTER = {
  'zh-CN':
    '---\ntitle: 绿色丝路通讯\nissue: 2021年第1期\ndate: 2021-04-30\nlang: zh-CN\npublisher: 绿色联盟秘书处\nurl: https://example.org/brigc/1/\n---\n\n',
  en: '---\ntitle: Harbour Notes\nissue: No. 12\ndate: 2025-06-01\nlang: en\npublisher: Northsea Cooperative\nurl: https://example.org/harbour-notes/12/\n---\n\n'
}
const flat = (value: string) => value.replace(/\s+/g, '')
const visible = (html: string) => {
  const $ = cheerio.load(html)
  $('style, head, title').remove()
  return $('body').text()
}

let templates: string
let work: string

/** Parse `markdown` against `templatesDir` and build its email through the real layout. */
async function build(markdown: string, mode: 'full' | 'digest', templatesDir = templates): Promise<{ issue: Issue; email: EmailBuild }> {
  const { types } = await loadSectionTypes(templatesDir)
  const { layout } = await createLayout({ templatesDir, stylesDir: path.join(root, 'styles'), types })
  const dir = await mkdtemp(path.join(work, 'issue-'))
  await writeFile(path.join(dir, 'issue.md'), markdown)
  const { issue, file } = await parseIssue(dir, { sections: types, cwd: dir })
  if (!issue || hasErrors([file])) throw new Error(report([file], { cwd: dir }))
  const email = await buildEmail({
    issue,
    render: (prepared) => layout.render('email', prepared),
    renderText: (prepared) => layout.render('text', prepared),
    config: { styles: await loadEmailStyles(path.join(root, 'styles')), mode }
  })
  const problems = email.files.flatMap((vfile) => vfile.messages.filter((message) => message.fatal !== undefined).map(String))
  expect(problems).toEqual([])
  return { issue, email }
}

/** Every field value of every item (texts, dates as the email writes them), and headlines, in the text part. */
function expectParity(issue: Issue, email: EmailBuild): void {
  const text = flat(email.text)
  const html = flat(visible(email.html))
  for (const section of issue.sections) {
    expect(text).toContain(flat(section.title))
    for (const entry of section.entries) expect(text).toContain(flat(entry.event))
    for (const item of section.items) {
      if (item.headline) {
        expect(html).toContain(flat(item.headline))
        expect(text).toContain(flat(item.headline))
      }
      for (const [name, value] of Object.entries(item.fields)) {
        if (typeof value !== 'string' || value === '') continue
        // A digest leaves credits to the full text, in both parts: there, what the HTML shows.
        if (email.mode === 'digest' && !html.includes(flat(value))) continue
        expect(text, `${section.type} field \`${name}\``).toContain(flat(value))
      }
      // What the HTML shows of the item's text (the body, or its excerpt) is in the text part.
      const excerpt = email.mode === 'digest' ? item.body.text.split(/\n\s*\n/)[0]!.slice(0, 20) : item.body.text
      for (const paragraph of excerpt.split(/\n\s*\n/)) {
        const words = flat(paragraph.replace(/^\[.*\]$/, ''))
        if (words && html.includes(words)) expect(text).toContain(words)
      }
    }
  }
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'masthead-text-parity-'))
  templates = path.join(root, 'templates')
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('HTML/text parity for every section type', () => {
  const sectionsDir = path.join(root, 'templates', 'sections')
  for (const name of ['article', 'contacts', 'milestones', 'news', 'viewpoints']) {
    it.each(['full', 'digest'] as const)(`${name} (%s)`, async (mode) => {
      expect(existsSync(path.join(sectionsDir, name, 'text.hbs'))).toBe(true)
      const example = await readFile(path.join(sectionsDir, name, 'example.md'), 'utf8')
      const lang = /[\u4e00-\u9fff]/.test(example) ? 'zh-CN' : 'en'
      const { issue, email } = await build(FRONTMATTER[lang] + example, mode)
      expectParity(issue, email)
    })
  }

  it('covers every section type the templates folder has', async () => {
    const types = (await readdir(sectionsDir)).filter((type) => existsSync(path.join(sectionsDir, type, 'section.json')))
    expect(types.sort()).toEqual(['article', 'contacts', 'milestones', 'news', 'viewpoints'])
  })

  it('reaches a type added by files alone, with no text.hbs, through the generic text template', async () => {
    const copy = path.join(work, 'templates')
    await cp(templates, copy, { recursive: true })
    const events = path.join(copy, 'sections', 'events')
    await mkdir(events)
    await writeFile(
      path.join(events, 'section.json'),
      JSON.stringify({
        name: 'events',
        title: { en: 'Events' },
        fields: {
          venue: { type: 'text' },
          funding: { type: 'text', aliases: ['funded by'] },
          date: { type: 'date' },
          source: { type: 'text' }
        },
        sectionFields: {},
        editions: ['print', 'email']
      })
    )
    await writeFile(
      path.join(events, 'print.hbs'),
      '{{#each items}}<h2 id="{{id}}">{{headline}}</h2><p>{{fields.venue}} {{fields.funding}}</p>{{{body.html}}}{{/each}}'
    )
    await writeFile(
      path.join(events, 'email.hbs'),
      '{{> email-section-head}}<mj-section><mj-column><mj-text>{{#each items}}<h3>{{headline}}</h3><p>{{fields.venue}} · {{fields.funding}}</p>{{{body.html}}}{{/each}}</mj-text></mj-column></mj-section>'
    )
    const markdown =
      FRONTMATTER.en +
      ':::events[What’s on]\n## Harbour open day\nvenue: The fish market, North Quay\nfunded by: The regional climate fund\ndate: 2025-06-21\nsource: Harbour office\n\nGuided tours of the shore-power cabinets every hour.\n:::\n'
    for (const mode of ['full', 'digest'] as const) {
      const { issue, email } = await build(markdown, mode, copy)
      expectParity(issue, email)
      expect(email.text).toContain('venue: The fish market, North Quay\nfunding: The regional climate fund\n')
      expect(email.text).toContain('Date: 21 June 2025\n')
      expect(email.text).toContain('Source: Harbour office\n')
      expect(email.text).toContain('Guided tours of the shore-power cabinets every hour.')
    }
  })
})
