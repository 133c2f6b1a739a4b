import type { Issue, Item, Position } from '@masthead/core'
import { describe, expect, it } from 'vitest'
import { plainTextEdition, resolveEmailConfig, stringWidth } from '../src/index.js'

const at: Position = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } }

function item(id: string, headline: string, text: string, fields: Item['fields'] = {}, links: Item['links'] = []): Item {
  return { id, headline, fields, body: { html: '', text }, images: [], links, position: at }
}

const issue: Issue = {
  slug: 'fixture-zh',
  dir: '/nowhere',
  source: '/nowhere/issue.md',
  meta: {
    title: '“一带一路”绿色发展国际联盟通讯',
    issue: '2021年第1期',
    date: { iso: '2021-04-30', year: 2021, month: 4, day: 30 },
    lang: 'zh-CN',
    publisher: '绿色联盟秘书处',
    keywords: [],
    url: 'https://example.org/brigc/2021-1/',
    editions: { print: { size: 'A4', bleed: false }, email: { mode: 'full', preheader: '共同构建人与自然生命共同体' } }
  },
  sections: [
    {
      id: 'news-1',
      type: 'news',
      title: '绿色丝路新闻',
      fields: {},
      intro: { html: '', text: '' },
      parts: [],
      entries: [],
      position: at,
      items: [
        item(
          'news-1-1',
          '习近平出席“领导人气候峰会”并发表重要讲话，倡议共同构建人与自然生命共同体',
          '2021年4月22日晚，应美国总统拜登邀请，国家主席习近平在北京以视频方式出席领导人气候峰会，并发表题为《共同构建人与自然生命共同体》的重要讲话。全文见新华网。\n\n• 坚持人与自然和谐共生，坚持绿色发展，坚持系统治理，坚持以人为本。\n• 坚持多边主义，坚持共同但有区别的责任原则。\n\n退订请点击 *|UNSUB|* 。',
          { date: { iso: '2021-04-22', year: 2021, month: 4, day: 22 }, source: '新华社' },
          [{ url: 'https://www.news.cn/2021-04/22/c_1127363035.htm', text: '新华网' }]
        )
      ]
    },
    {
      id: 'milestones-1',
      type: 'milestones',
      title: '大事记',
      fields: {},
      intro: { html: '', text: '' },
      items: [],
      position: at,
      parts: [],
      entries: [
        {
          id: 'm-1',
          date: { iso: '2019-04-25', year: 2019, month: 4, day: 25 },
          place: '北京',
          event: '绿色联盟第一次全体会议',
          position: at
        },
        {
          id: 'm-2',
          date: { iso: '2020-12', year: 2020, month: 12 },
          event: '“一带一路”绿色创新大会（2020年）',
          note: { html: '', text: '发布6份年度政策研究专题报告。' },
          position: at
        }
      ]
    }
  ]
}

describe('plainTextEdition', () => {
  const text = plainTextEdition(issue, resolveEmailConfig(issue, { unsubscribeUrl: '{{ UnsubscribeURL }}' }))

  it('writes the edition from the model', async () => {
    await expect(text).toMatchFileSnapshot('./fixtures/plain-text-zh/email.txt')
  })

  it('numbers links and lists them at the end, tagged', () => {
    expect(text.replace(/\n/g, '')).toContain('全文见新华网 [1]')
    expect(text).toMatch(
      /^\[1\] https:\/\/www\.news\.cn\/2021-04\/22\/c_1127363035\.htm\?utm_source=newsletter&utm_medium=email&utm_campaign=fixture-zh$/m
    )
  })

  it('wraps at 72 columns, CJK counted double, never a line opening with closing punctuation', () => {
    for (const line of text.split('\n')) {
      if (/https?:\/\//.test(line)) continue
      expect(stringWidth(line), line).toBeLessThanOrEqual(72)
      expect('，。、；：？！）」』》”').not.toContain(line[0] ?? 'x')
      expect('（「『《“').not.toContain(line.at(-1) ?? 'x')
    }
  })

  it('keeps merge tags verbatim', () => {
    expect(text).toContain('*|UNSUB|*')
    expect(text).toContain('退订：{{ UnsubscribeURL }}')
    expect(text).toContain('\n-- \n')
  })
})

describe('plainTextEdition: parts and speeches (issue 14)', () => {
  const speech = (id: string, fields: Item['fields'], text: string): Item => {
    const title = typeof fields['speaker'] === 'string' ? fields['speaker'] : (fields['role'] as string)
    return { id, title, fields, body: { html: '', text }, images: [], links: [], position: at }
  }
  const parted: Issue = {
    ...issue,
    sections: [
      {
        id: 'viewpoints-1',
        type: 'viewpoints',
        title: '开幕致辞',
        fields: {},
        intro: { html: '', text: '' },
        items: [
          speech('viewpoints-1-1', { speaker: '林晓舟', role: '理事长' }, '各位来宾。'),
          speech('viewpoints-1-2', { role: '部门代表' }, '女士们、先生们。')
        ],
        parts: [],
        entries: [],
        position: at
      },
      {
        id: 'article-1',
        type: 'article',
        title: '第一场',
        fields: {},
        intro: { html: '', text: '' },
        items: [],
        parts: [
          {
            id: 'article-1-p1',
            title: '（一）交通',
            intro: { html: '', text: '本部分两篇。' },
            items: [item('article-1-p1-1', '公交优先', '报告正文。')],
            position: at
          },
          {
            id: 'article-1-p2',
            title: '（二）建筑',
            intro: { html: '', text: '' },
            items: [item('article-1-p2-1', '屋顶光伏', '报告正文二。')],
            position: at
          }
        ],
        entries: [],
        position: at
      }
    ]
  }
  const text = plainTextEdition(parted, resolveEmailConfig(parted))

  it('titles a speech by its speaker, or its role, without saying it twice', () => {
    // The generic fallback names every other field (`role：`); the templates' viewpoints text.hbs does not.
    expect(text).toContain('林晓舟\n------\n\nrole：理事长\n\n各位来宾。')
    expect(text).toContain('部门代表\n--------\n\n女士们、先生们。')
  })

  it('sets each part under its own title, its items after it', () => {
    expect(text).toContain(
      '（一）交通\n~~~~~~~~~~\n\n本部分两篇。\n\n公交优先\n--------\n\n报告正文。\n\n（二）建筑\n~~~~~~~~~~\n\n屋顶光伏'
    )
  })
})
