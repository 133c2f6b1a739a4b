import { describe, expect, it } from 'vitest'
import { buildIssueEmail, markdownIssue } from './sample.js'

const FM = '---\ntitle: 绿色城市简讯\nissue: 特刊\ndate: 2026-05-20\nlang: zh-CN\npublisher: 秘书处\n---\n\n'

describe('email: parts, speeches and tables (issue 14)', () => {
  it('opens each part with its title, the section once, titles a speech by its speaker, and styles body tables', async () => {
    const issue = await markdownIssue(
      'parts',
      FM +
        ':::viewpoints[开幕致辞]\n发言人：林晓舟\n职务：理事长\n\n各位来宾。\n\n职务：部门代表\n\n女士们。\n:::\n\n' +
        ':::article[第一场]\n导语。\n\n# （一）交通\n\n## 公交优先\n\n正文一。\n\n# （二）建筑\n\n## 屋顶光伏\n\n::table{widths="1 3"}\n| 序号 | Name |\n| --- | --- |\n| 1 | Urban Water Alliance |\n| 2 | Children\'s Fund |\n:::\n'
    )
    const { html, text } = await buildIssueEmail(issue)
    expect(html.match(/class="section-title"[^>]*>第一场</g)).toHaveLength(1)
    expect([...html.matchAll(/class="part-title"[^>]*>([^<]*)</g)].map((match) => match[1])).toEqual(['（一）交通', '（二）建筑'])
    expect([...html.matchAll(/class="headline speaker-title"[^>]*>([^<]*)</g)].map((match) => match[1])).toEqual(['林晓舟', '部门代表'])
    expect(html.match(/林晓舟/g)).toHaveLength(1)
    // Rules, zebra rows and widths reach the cells as inline styles.
    expect(html).toMatch(/<table class="table--widths data-table" style="[^"]*border-collapse: ?collapse/)
    expect(html).toMatch(/<th style="[^"]*width: ?25%/)
    expect(html).toMatch(/<td lang="en" style="[^"]*background-color: ?#f5f8f6[^"]*"[^>]*>Children's Fund<\/td>/)
    expect(text).toContain('（一）交通\n~~~~~~~~~~')
  })
})
