import path from 'node:path'
import { VFile } from '@masthead/core'
import type { Issue } from '@masthead/core'
import { describe, expect, it } from 'vitest'
import { parseDate, parseIssueFile } from '../src/index.js'
import { sectionTypes } from './section-types.js'

const sections = sectionTypes()
const FM = '---\ntitle: T\nissue: 1\ndate: 2021-04-30\nlang: zh-CN\npublisher: P\n---\n\n'

function parse(body: string, frontmatter = FM) {
  const file = new VFile({ path: path.join(process.cwd(), 'virtual-issue/issue.md'), value: frontmatter + body })
  return parseIssueFile(file, { sections })
}

function ok(body: string, frontmatter = FM): Issue {
  const { issue, file } = parse(body, frontmatter)
  expect(file.messages.map(String)).toEqual([])
  return issue!
}

describe('parseDate', () => {
  it('reads ISO and Chinese dates and keeps their precision', () => {
    expect(parseDate('2021-04-22')).toEqual({ iso: '2021-04-22', year: 2021, month: 4, day: 22 })
    expect(parseDate('2021年4月22日')).toEqual({ iso: '2021-04-22', year: 2021, month: 4, day: 22 })
    expect(parseDate('2017年 5月')).toEqual({ iso: '2017-05', year: 2017, month: 5 })
    expect(parseDate('2020')).toEqual({ iso: '2020', year: 2020 })
  })
  it('refuses dates that do not exist', () => {
    expect(parseDate('2021-02-29')).toBeUndefined()
    expect(parseDate('2020-02-29')).toBeDefined()
    expect(parseDate('2021-13')).toBeUndefined()
    expect(parseDate('April 2021')).toBeUndefined()
  })
})

describe('items and fields', () => {
  it('reads field lines under the headline and at the end, with aliases and full-width colons', () => {
    const issue = ok(':::news[新闻]\n## 标题\n日期：2021年4月22日\n供稿：秘书处\n\n正文。\n\n（来源：新华社）\n:::\n')
    const item = issue.sections[0]!.items[0]!
    expect(item.headline).toBe('标题')
    expect(item.fields).toEqual({
      date: { iso: '2021-04-22', year: 2021, month: 4, day: 22 },
      contributor: '秘书处',
      source: '新华社'
    })
    expect(item.body.html).toBe('<p>正文。</p>')
  })

  it('leaves a sentence with a colon in the body when its first word is no field name', () => {
    const issue = ok(':::news\n## Headline\nNote: this is body text.\n:::\n')
    const item = issue.sections[0]!.items[0]!
    expect(item.fields).toEqual({})
    expect(item.body.text).toBe('Note: this is body text.')
  })

  it('keeps a misspelled field line in the body, with its Markdown, and suggests the name (issue 13)', () => {
    const { issue, file } = parse(
      ':::viewpoints\n## A view\nspeaker: Erik Solheim\nrloe: Chair of the *advisory* committee\nquote: Green.\n\nBody text.\n:::\n'
    )
    const item = issue!.sections[0]!.items[0]!
    expect(item.fields).toEqual({ speaker: 'Erik Solheim', quote: 'Green.' })
    expect(item.body.html).toBe('<p>rloe: Chair of the <em>advisory</em> committee</p>\n<p>Body text.</p>')
    expect(file.messages.map((message) => `${message.line}:${message.column}: ${message.reason}`)).toEqual([
      '12:1: Unexpected field `rloe` in a `viewpoints` item, expected one of `speaker`, `role`, `portrait`, `quote`, `source`, `date`, or `link` (did you mean `role`?); the line stays in the body'
    ])
    expect(file.messages[0]!.changesContent).toBe(true)
  })

  it('gives text directives back as the text the editor wrote', () => {
    const issue = ok(':::news\n## H\n\nThe ratio was 3:2 and the key:value pair stays.\n:::\n')
    expect(issue.sections[0]!.items[0]!.body.text).toBe('The ratio was 3:2 and the key:value pair stays.')
  })

  it('opens an untitled item at a thematic break and keeps the section intro apart', () => {
    const issue = ok(':::news[News]\nIntro.\n\n## One\n\nFirst.\n\n***\n\nUntitled.\n\n来源：中国一带一路网\n:::\n')
    const section = issue.sections[0]!
    expect(section.intro.text).toBe('Intro.')
    expect(section.items.map((item) => item.headline)).toEqual(['One', undefined])
    expect(section.items[1]!.fields).toEqual({ source: '中国一带一路网' })
    expect(section.items.map((item) => item.id)).toEqual(['news-1-1', 'news-1-2'])
  })

  it('keeps ### headings inside the item body', () => {
    const issue = ok(':::news\n## Story\n\nIntro.\n\n### Part two\n\nMore.\n:::\n')
    expect(issue.sections[0]!.items).toHaveLength(1)
    expect(issue.sections[0]!.items[0]!.body.html).toContain('<h3>Part two</h3>')
  })

  it('uses the type default title in the issue language when the directive has no label', () => {
    expect(ok(':::viewpoints\n## V\nspeaker: 刘振亚\n:::\n').sections[0]!.title).toBe('观点')
  })
})

describe('milestones', () => {
  it('reads list entries with date, place, event and an indented note', () => {
    const issue = ok(':::milestones[大事记]\n引言。\n\n- 2017年5月14日 | 北京 | 首届论坛\n  习近平主席表示。\n- 2020-12 | 创新大会\n:::\n')
    const section = issue.sections[0]!
    expect(section.intro.text).toBe('引言。')
    expect(section.entries.map(({ date, place, event }) => [date.iso, place, event])).toEqual([
      ['2017-05-14', '北京', '首届论坛'],
      ['2020-12', undefined, '创新大会']
    ])
    expect(section.entries[0]!.note?.html).toBe('<p>习近平主席表示。</p>')
    expect(section.entries[0]!.position.start.line).toBe(12)
  })

  it('reads a table with Chinese column names', () => {
    const issue = ok(
      ':::milestones\n| 日期 | 地点 | 事件 | 说明 |\n| --- | --- | --- | --- |\n| 2018年5月18日 | 北京 | 大会 | 说明文字 |\n:::\n'
    )
    const entry = issue.sections[0]!.entries[0]!
    expect([entry.date.iso, entry.place, entry.event, entry.note?.text]).toEqual(['2018-05-18', '北京', '大会', '说明文字'])
  })

  it('gives every entry its own id, in lists and tables alike', () => {
    const issue = ok(':::milestones\n- 2017 | A\n- 2018 | B\n\n| date | event |\n| --- | --- |\n| 2019 | C |\n| 2020 | D |\n:::\n')
    expect(issue.sections[0]!.entries.map((entry) => entry.id)).toEqual([
      'milestones-1-1',
      'milestones-1-2',
      'milestones-1-3',
      'milestones-1-4'
    ])
  })
})

describe('raw HTML', () => {
  const html = FM.replace('publisher: P\n', 'publisher: P\nhtml: true\n')

  it('keeps allowed HTML and strips scripts, handlers and javascript: links when html is on', () => {
    const issue = ok(
      ':::news\n## H\n\n<p onclick="alert(1)">Hi <b>there</b><script>alert(1)</script></p>\n\n[x](javascript:alert(1)) <span onerror=alert(1)>s</span>\n:::\n',
      html
    )
    const body = issue.sections[0]!.items[0]!.body.html
    expect(body).toContain('<b>there</b>')
    expect(body).not.toMatch(/script|onclick|onerror|javascript:/i)
  })

  it('drops raw HTML with a warning when html is off', () => {
    const { issue, file } = parse(':::news\n## H\n\n<script>alert(1)</script>\n:::\n')
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`)).toEqual([
      '12:1 Unexpected raw HTML, expected Markdown; it is left out (set `html: true` in the frontmatter to keep sanitized HTML)'
    ])
    expect(issue!.sections[0]!.items[0]!.body.html).not.toContain('script')
  })

  it('checks raw <img> like a Markdown image: a remote or escaping src is an error, not a tracking pixel', () => {
    const { issue, file } = parse(
      ':::news\n## H\n\nText <img src="https://tracker.example/p.png?u=1" alt="t"> and <img src="../../x.png" alt="x">.\n:::\n',
      html
    )
    expect(issue).toBeUndefined()
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`)).toEqual([
      '13:6 Unexpected image URL `https://tracker.example/p.png?u=1`, expected a file in the issue folder (e.g. `images/photo.jpg`); remote images are not fetched',
      '13:64 Unexpected image path `../../x.png` that leads out of the issue folder, expected a file inside it'
    ])
  })

  it('drops <picture> and <source srcset>, whose remote sources no image check would see', () => {
    const issue = ok(':::news\n## H\n\n<picture><source srcset="https://tracker.example/p.png"></picture> Text.\n:::\n', html)
    expect(issue.sections[0]!.items[0]!.body.html).toBe('<p> Text.</p>')
  })

  it('leaves raw markup out of the plain-text twin, and javascript: links out of the links', () => {
    for (const frontmatter of [FM, html]) {
      const issue = parse(
        ':::news\n## H\n\nBefore <script>alert(1)</script> after <b onclick=alert(2)>bold</b>, [a link](javascript:alert(3)) and [a real one](https://example.org/).\n:::\n',
        frontmatter
      ).issue!
      const item = issue.sections[0]!.items[0]!
      expect(item.body.text).toBe('Before alert(1) after bold, a link and a real one.')
      expect(item.links).toEqual([{ url: 'https://example.org/', text: 'a real one' }])
    }
  })
})

describe('positions', () => {
  it('keeps the source position of sections and items', () => {
    const issue = ok(':::news\n## A\n\nText.\n\n## B\n\nMore.\n:::\n')
    const section = issue.sections[0]!
    expect(section.position.start).toMatchObject({ line: 9, column: 1 })
    expect(section.items.map((item) => item.position.start.line)).toEqual([10, 14])
  })
})

describe('merge tags and hard breaks', () => {
  it('keeps a *|MERGE|* tag verbatim instead of reading it as emphasis', () => {
    const issue = ok(':::news\n## H\n\nUnsubscribe: *|UNSUB|* or *really* now.\n:::\n')
    const body = issue.sections[0]!.items[0]!.body
    expect(body.html).toBe('<p>Unsubscribe: *|UNSUB|* or <em>really</em> now.</p>')
    expect(body.text).toBe('Unsubscribe: *|UNSUB|* or really now.')
  })

  it('keeps hard line breaks in the plain text', () => {
    const issue = ok(':::news\n## H\n\nfirst line\\\nsecond line\n:::\n')
    expect(issue.sections[0]!.items[0]!.body.text).toBe('first line\nsecond line')
  })
})

describe('section breaks (issue 14)', () => {
  it('keeps the editor’s `{break=page}` and `{break=auto}`, and nothing when unsaid', () => {
    const issue = ok(
      ':::news[A]{break=page}\n## H\n\nText.\n:::\n\n:::news[B]{break=auto}\n## H2\n\nText.\n:::\n\n:::news[C]\n## H3\n\nText.\n:::\n'
    )
    expect(issue.sections.map((section) => section.break)).toEqual(['page', 'auto', undefined])
    expect(issue.sections.map((section) => section.title)).toEqual(['A', 'B', 'C'])
  })

  it('reports any other value at the attribute', () => {
    const { issue, file } = parse('\n:::news[A]{break=column}\n## H\n\nText.\n:::\n')
    expect(issue).toBeUndefined()
    expect(file.messages.map((message) => `${message.line}:${message.column}: ${message.reason}`)).toEqual([
      '10:12: Unexpected `break=column`, expected `break=page` (start on a new page) or `break=auto` (flow on after the previous section)'
    ])
    expect(file.messages[0]!.ruleId).toBe('section-break')
  })
})

describe('an issue without a number (issue 14)', () => {
  it('parses without `issue:` and leaves it out of the metadata', () => {
    const issue = ok(
      ':::news\n## H\n\nText.\n:::\n',
      '---\ntitle: 绿色发展圆桌会特刊\ndate: 2021-04-30\nlang: zh-CN\npublisher: P\n---\n\n'
    )
    expect(issue.meta.title).toBe('绿色发展圆桌会特刊')
    expect('issue' in issue.meta).toBe(false)
  })
})

describe('a field that needs another (issue 14)', () => {
  it('warns at a QR caption without `web`, and not with it', () => {
    const { issue, file } = parse(':::contacts\n## 秘书处\n电话：010-1\n扫码：关注公众号\n:::\n')
    expect(issue).toBeDefined()
    expect(file.messages.map((message) => `${message.line}:${message.column}: ${message.reason}`)).toEqual([
      '12:1: Unexpected `扫码` without `web`, expected a line `web: …` in the same item (`qr` is printed only with it)'
    ])
    ok(':::contacts\n## 秘书处\n网址：https://example.org/\n扫码：关注公众号\n:::\n')
  })
})

describe('frontmatter typed on a Chinese keyboard (issue 13)', () => {
  const messages = (frontmatter: string) =>
    parse(':::news\n## H\ntext\n:::\n', frontmatter).file.messages.map(
      (message) => `${message.line}:${message.column} ${message.ruleId}: ${message.reason}`
    )

  it('names a full-width colon at its position instead of "Implicit keys need to be on a single line"', () => {
    expect(messages('---\ntitle: T\nissue: 1\ndate：2023-05-10\nlang: zh-CN\npublisher: P\n---\n\n')).toEqual([
      '4:5 yaml-full-width: Unexpected full-width colon `：` after `date`, expected an ASCII colon and a space (`date: …`); the full-width colon is typed by a Chinese input method in full-width mode'
    ])
  })

  it('names a full-width space after the colon and in the indentation', () => {
    expect(messages('---\ntitle: T\nissue: 1\ndate:\u30002023-05-10\nlang: zh-CN\npublisher: P\nprint:\n\u3000size: A4\n---\n\n')).toEqual([
      '4:6 yaml-full-width: Unexpected full-width space `　` after `date:`, expected an ASCII space (`date: …`); the full-width space is typed by a Chinese input method in full-width mode',
      '8:1 yaml-full-width: Unexpected full-width space `　` in the indentation of `size`, expected ASCII spaces (the full-width one is typed by a Chinese input method in full-width mode)'
    ])
  })

  it('names curly quotes around a key, which YAML would take as part of the name', () => {
    expect(messages('---\n“title”: T\nissue: 1\ndate: 2023-05-10\nlang: zh-CN\npublisher: P\n---\n\n')).toEqual([
      '2:1 yaml-full-width: Unexpected curly quotes around the key `title`, expected the key without quotes (`title: …`); curly quotes are typed by a Chinese input method in full-width mode'
    ])
  })

  it('leaves full-width colons and curly quotes inside values alone', () => {
    const { file } = parse(
      ':::news\n## H\ntext\n:::\n',
      '---\ntitle: "“一带一路”：通讯"\nissue: 1\ndate: 2023-05-10\nlang: zh-CN\npublisher: P\nsubject: |\n  会议：北京\n  “引语”: 是\n---\n\n'
    )
    expect(file.messages.map(String)).toEqual([])
  })
})

describe('relative links (issue 13)', () => {
  const body =
    ':::news\n## H\nSee [the archive](../archive/11/ "Archive") and [about](/about), [top](#top) and [mail](mailto:a@example.org).\n\n[ref]: notes.html\n\nAnd [a reference][ref].\n:::\n'

  it("resolves against the issue's url", () => {
    const { issue, file } = parse(body, FM.replace('---\n\n', 'url: https://example.org/notes/12/\n---\n\n'))
    expect(file.messages.map(String)).toEqual([])
    const html = issue!.sections[0]!.items[0]!.body.html
    expect(html).toContain('href="https://example.org/notes/archive/11/"')
    expect(html).toContain('href="https://example.org/about"')
    expect(html).toContain('href="#top"')
    expect(html).toContain('href="https://example.org/notes/12/notes.html"')
    expect(issue!.sections[0]!.items[0]!.links.map((link) => link.url)).toContain('https://example.org/notes/archive/11/')
  })

  it('is an error at the link without a url, and no href is left relative', () => {
    const { issue, file } = parse(body)
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.fatal} ${message.ruleId}`)).toEqual([
      '11:5 true relative-link',
      '11:49 true relative-link',
      '13:1 true relative-link'
    ])
    expect(file.messages[0]!.reason).toBe(
      'Unexpected relative link `../archive/11/`, expected an absolute address (`https://…`), or `url:` in the frontmatter (the web edition) to resolve it against; a PDF or an email has no address of its own'
    )
    expect(issue?.sections[0]?.items[0]?.body.html ?? '').not.toMatch(/href="(?!#|mailto:)/)
  })
})

describe('link destinations as written (issue 13)', () => {
  it('keeps an international domain name, a merge tag and a query as the editor wrote them, in the HTML and the links', () => {
    const issue = ok(
      ':::news\n## H\nSee [Bücher](https://bücher.example/a?b=1&c=*|EMAIL|*#x), [ref][r] and [loud](HTTPS://EXAMPLE.org/Q?x=%2F).\n\n[r]: https://例子.测试/路径?q=中文\n:::\n'
    )
    const item = issue.sections[0]!.items[0]!
    const hrefs = [...item.body.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!.replace(/&amp;|&#x26;/g, '&'))
    expect(hrefs).toEqual(['https://bücher.example/a?b=1&c=*|EMAIL|*#x', 'https://例子.测试/路径?q=中文', 'https://EXAMPLE.org/Q?x=%2F'])
    expect(item.links.map((link) => link.url)).toEqual(hrefs)
  })
})

describe('parts of a section (issue 14)', () => {
  it('splits a section at its `#` headings into parts with their own intro and items', () => {
    const issue = ok(
      ':::article[第三场]\n本场分三部分。\n\n## 开场\n\n主持人致辞。\n\n# （一）城市\n城市部分导语。\n\n## 报告一\n\n正文一。\n\n## 报告二\n\n正文二。\n\n# （二）乡村\n\n## 报告三\n\n正文三。\n:::\n'
    )
    const section = issue.sections[0]!
    expect(section.intro.text).toBe('本场分三部分。')
    expect(section.items.map((item) => [item.id, item.title])).toEqual([['article-1-1', '开场']])
    expect(section.parts.map((part) => [part.id, part.title, part.intro.text, part.items.map((item) => [item.id, item.title])])).toEqual([
      [
        'article-1-p1',
        '（一）城市',
        '城市部分导语。',
        [
          ['article-1-p1-1', '报告一'],
          ['article-1-p1-2', '报告二']
        ]
      ],
      ['article-1-p2', '（二）乡村', '', [['article-1-p2-1', '报告三']]]
    ])
    expect(section.parts[0]!.position.start.line).toBe(16)
  })

  it('keeps a section without `#` headings as it was: no parts', () => {
    const issue = ok(':::news\n## One\n\nText.\n:::\n')
    expect(issue.sections[0]!.parts).toEqual([])
  })
})

describe('items titled by a person (titleFrom, issue 14)', () => {
  it('titles an untitled viewpoint by its speaker, or by its role when there is no name', () => {
    const issue = ok(
      ':::viewpoints[开幕致辞]\n发言人：李明\n职务：联盟主席\n\n各位来宾。\n\n***\n\n职务：东道国部长代表\n\n欢迎各位。\n\n## 有标题的观点\n发言人：王芳\n\n正文。\n:::\n'
    )
    const items = issue.sections[0]!.items
    expect(items.map((item) => [item.headline, item.title])).toEqual([
      [undefined, '李明'],
      [undefined, '东道国部长代表'],
      ['有标题的观点', '有标题的观点']
    ])
  })

  it('refuses a viewpoint that names neither speaker nor role', () => {
    const { issue, file } = parse(':::viewpoints\n## A view\n\nText.\n:::\n')
    expect(issue).toBeUndefined()
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.reason}`)).toEqual([
      '10:1 Missing field `speaker` or `role` in a `viewpoints` item, expected a line `speaker: …` under the heading (a viewpoints item names who it is by)'
    ])
  })
})

describe('table and list settings (issue 14)', () => {
  it('reads `::table{…}`: widths on the first row, a language per column, a column flow', () => {
    const issue = ok(
      ':::article[名录]\n## 成员\n\n::table{widths="1 3 4" lang="- - en" columns=2}\n| 序号 | 名称 | Name |\n| --- | --- | --- |\n| 1 | 儿童基金会 | Children\'s Fund |\n:::\n'
    )
    expect(issue.sections[0]!.items[0]!.body.html).toBe(
      '<div class="flow-columns flow-columns--2"><table class="table--widths">\n<thead>\n<tr>\n<th style="width:12.5%">序号</th>\n<th style="width:37.5%">名称</th>\n<th lang="en" style="width:50%">Name</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td>儿童基金会</td>\n<td lang="en">Children\'s Fund</td>\n</tr>\n</tbody>\n</table></div>'
    )
  })

  it('marks Latin-only cells of a Chinese table as English without any setting', () => {
    const issue = ok(":::article\n## T\n\n| 名称 | Name |\n| --- | --- |\n| 联合国儿童基金会 | UNICEF, Children's Fund |\n:::\n")
    expect(issue.sections[0]!.items[0]!.body.html).toContain('<td lang="en">UNICEF, Children\'s Fund</td>')
    expect(issue.sections[0]!.items[0]!.body.html).toContain('<th lang="en">Name</th>')
  })

  it('flows a list in columns with `::list{columns=3}`', () => {
    const issue = ok(':::article\n## T\n\n::list{columns=3}\n- 甲\n- 乙\n:::\n')
    expect(issue.sections[0]!.items[0]!.body.html).toBe(
      '<div class="flow-columns flow-columns--3"><ul>\n<li>甲</li>\n<li>乙</li>\n</ul></div>'
    )
  })

  it('warns at the line of a setting that does not fit, and of one with nothing under it', () => {
    const { file } = parse(
      ':::article\n## T\n\n::table{widths="1 2" size=3}\n| a | b | c |\n| - | - | - |\n\n::list{columns=2}\n\nText.\n:::\n'
    )
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`)).toEqual([
      '12:1 invalid-block-settings Unexpected `widths="1 2"`, expected 3 positive numbers or percentages, one per column (e.g. `widths="1 3 3"`)',
      '12:1 invalid-block-settings Unexpected attribute `size` on `::table`, expected `columns`, `widths`, `lang`',
      '16:1 unattached-block-settings Unexpected `::list` without a list right under it, expected the list on the next line; the line is ignored'
    ])
  })
})
