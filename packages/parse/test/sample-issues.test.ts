import path from 'node:path'
import type { DateValue, Issue } from '@masthead/core'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseIssue } from '../src/index.js'
import { root, sectionTypes } from './section-types.js'

const sections = sectionTypes()

async function load(slug: string): Promise<Issue> {
  const { issue, file } = await parseIssue(path.join(root, 'issues', slug), { sections, cwd: root })
  expect(file.messages.map(String)).toEqual([])
  return issue!
}

describe('issues/2021-green-silk-road (the real issue)', () => {
  let issue: Issue
  beforeAll(async () => {
    issue = await load('2021-green-silk-road')
  })

  it('has the metadata of a Chinese issue', () => {
    expect(issue.meta.lang).toBe('zh-CN')
    expect(issue.meta.publisher).toBe('“一带一路”绿色发展国际联盟秘书处')
    expect(issue.meta.editions.email.mode).toBe('digest')
  })

  it('has the sections of the seed, in order, with their items', () => {
    expect(issue.sections.map((section) => [section.type, section.title, section.items.length, section.entries.length])).toEqual([
      ['news', '绿色丝路新闻', 5, 0],
      ['milestones', '“一带一路”绿色发展国际联盟启动两周年大事记', 0, 23],
      ['news', '专题工作进展', 5, 0],
      ['viewpoints', '观点', 3, 0],
      ['contacts', '联系方式', 1, 0]
    ])
  })

  it('gives each news item its headline and source', () => {
    const news = issue.sections[0]!.items
    expect(news.map((item) => item.fields.source)).toEqual([
      '新华社',
      '新华网',
      '新华社',
      '中国政府网、券商中国，绿色联盟秘书处摘编',
      '人民日报'
    ])
    expect(news[4]!.headline).toBe('绿色工程，为乌干达发展“充电”')
    expect(news[4]!.images.map((image) => [image.src, image.caption])).toEqual([
      ['images/karuma-aerial.jpg', '图为乌干达卡鲁玛水电站航拍全景']
    ])
    expect(news[2]!.body.html.match(/<h3>/g)).toHaveLength(4)
  })

  it('has the timeline from 2017-05-14 to December 2020 with dates and places, in order', () => {
    const entries = issue.sections[1]!.entries
    const dates = entries.map((entry) => entry.date.iso)
    expect(dates[0]).toBe('2017-05-14')
    expect(dates.at(-1)).toMatch(/^2020-12/)
    expect([...dates].sort()).toEqual(dates)
    expect(entries.every((entry) => entry.place !== undefined && entry.event !== '')).toBe(true)
    const byDate = (iso: string) => entries.filter((entry) => entry.date.iso === iso).map((entry) => [entry.place, entry.event])
    expect(byDate('2017-05-14')).toEqual([['北京', '首届“一带一路”国际合作高峰论坛']])
    expect(byDate('2019-10-23')).toEqual([['挪威奥斯陆', '我们的海洋2019']])
    expect(byDate('2019-09-24')).toContainEqual(['美国纽约', '联合国气候行动峰会'])
    expect(byDate('2020-12-08')).toEqual([['深圳', '“一带一路”项目绿色发展指南研究专家对话会']])
    expect(new Set(entries.map((entry) => entry.place))).toEqual(new Set(['北京', '杭州', '大连', '美国纽约', '挪威奥斯陆', '深圳']))
  })

  it('credits the thematic reports to their partnerships', () => {
    const reports = issue.sections[2]!.items
    expect(reports.map((item) => item.fields.contributor)).toEqual([
      '绿色金融与投资专题伙伴关系',
      '南南合作和可持续发展目标专题伙伴关系',
      undefined,
      '海洋命运共同体和海洋环境治理专题伙伴关系',
      undefined
    ])
    expect(reports[4]!.headline).toBeUndefined()
    expect(reports[4]!.fields.source).toBe('中国一带一路网')
  })

  it('names each viewpoint’s speaker and title', () => {
    const views = issue.sections[3]!.items
    expect(views.map((item) => [item.fields.speaker, item.fields.role])).toEqual([
      ['索尔海姆（Erik Solheim）', '绿色联盟咨询委员会主任委员、世界资源研究所高级顾问'],
      ['刘振亚', '绿色联盟咨询委员会主任委员、全球能源互联网发展合作组织主席'],
      ['中国人民大学重阳金融研究院', undefined]
    ])
    expect(views[0]!.images[0]!.src).toBe('images/solheim.jpg')
  })

  it('has the contacts page with the phone number and the blurb', () => {
    const contacts = issue.sections[4]!
    expect(contacts.intro.text).toMatch(/^“一带一路”绿色发展国际联盟由中华人民共和国生态环境部与中外合作伙伴共同发起成立。/)
    const card = contacts.items[0]!
    expect(card.fields.phone).toBe('+86-10-82200535')
    expect(card.fields.people).toBe('蓝艳、彭宁（秘书处）；张建宇（咨询委员会）')
  })

  it('joined the seed’s line breaks: no paragraph keeps a mid-sentence newline', () => {
    for (const section of issue.sections) {
      for (const item of section.items) {
        for (const paragraph of item.body.text.split('\n\n')) {
          if (paragraph.startsWith('•')) continue
          expect(paragraph, paragraph.slice(0, 30)).not.toMatch(/[\u4e00-\u9fff，、]\n[\u4e00-\u9fff]/)
        }
      }
    }
  })
})

describe('issues/2025-06-harbour-notes (the English issue)', () => {
  it('uses every section type, in English', async () => {
    const issue = await load('2025-06-harbour-notes')
    expect(issue.meta.lang).toBe('en')
    expect(new Set(issue.sections.map((section) => section.type))).toEqual(new Set(sections.keys()))
    const timeline = issue.sections.find((section) => section.type === 'milestones')!
    expect(timeline.entries.some((entry) => (entry.date as DateValue).day === undefined)).toBe(true)
  })
})
