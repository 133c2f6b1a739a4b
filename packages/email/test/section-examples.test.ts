import { existsSync } from 'node:fs'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { HtmlValidate } from 'html-validate'
import type { ConfigData } from 'html-validate'
import { describe, expect, it } from 'vitest'
import { buildIssueEmail, markdownIssue, root } from './sample.js'

const FRONTMATTER = {
  'zh-CN':
    '---\ntitle: 绿色丝路通讯\nissue: 2021年第1期\ndate: 2021-04-30\nlang: zh-CN\npublisher: 绿色联盟秘书处\nurl: https://example.org/brigc/1/\n---\n\n',
  en: '---\ntitle: Harbour Notes\nissue: No. 12\ndate: 2025-06-01\nlang: en\npublisher: Northsea Cooperative\nurl: https://example.org/harbour-notes/12/\n---\n\n'
}

const sectionsDir = path.join(root, 'templates', 'sections')
const sections = (await readdir(sectionsDir)).filter((name) => existsSync(path.join(sectionsDir, name, 'example.md')))

describe('every section type’s example.md in the email edition', () => {
  for (const name of sections) {
    it.each(['full', 'digest'] as const)(`renders sections/${name}/example.md (%s)`, async (mode) => {
      const example = await readFile(path.join(sectionsDir, name, 'example.md'), 'utf8')
      const lang = /[\u4e00-\u9fff]/.test(example) ? 'zh-CN' : 'en'
      const issue = await markdownIssue(`example-${name}`, FRONTMATTER[lang] + example)
      const email = await buildIssueEmail(issue, { mode })
      const problems = email.files.flatMap((file) => file.messages.filter((message) => message.fatal !== undefined).map(String))
      expect(problems).toEqual([])
      const section = issue.sections[0]!
      expect(email.html).toContain(`class="section-title"`)
      expect(email.html).toContain(section.title)
      for (const item of section.items) if (item.headline) expect(email.html).toContain(item.headline.replace(/&/g, '&amp;'))
      for (const entry of section.entries) expect(email.html).toContain(entry.event)
      const rules = JSON.parse(await readFile(path.join(root, 'packages/email/.htmlvalidate.json'), 'utf8')) as ConfigData
      const report = await new HtmlValidate(rules).validateString(email.html)
      expect(report.results.flatMap((result) => result.messages.map((m) => `${m.message} (${m.ruleId})`))).toEqual([])
      expect(email.text).toContain(`\n${section.title}\n===`)
    })
  }
})
