import { parseFeed } from '@rowanmanning/feed-parser'
import * as cheerio from 'cheerio'
import { describe, expect, it } from 'vitest'
import { buildFeed, siteIssue } from '../src/index.js'
import { SAMPLES, SITE, sampleIssue } from './sample.js'

const ATOM = 'http://www.w3.org/2005/Atom'
/** RFC 3339 date-time, as RFC 4287 §3.3 requires. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

async function sampleFeed(): Promise<string> {
  const issues = await Promise.all(SAMPLES.map((slug) => sampleIssue(slug)))
  return buildFeed(
    issues.map((issue) => siteIssue(issue, { cover: true, pdf: true })),
    { siteUrl: SITE }
  )
}

describe('buildFeed', () => {
  it('writes an Atom feed a feed parser reads: both samples, newest first, with links and summaries', async () => {
    const feed = parseFeed(await sampleFeed())
    expect(feed.meta.type).toBe('atom')
    expect(feed.title).toBe('Harbour Notes')
    expect(feed.url).toBe(SITE)
    expect(feed.updated?.toISOString()).toBe('2025-06-01T00:00:00.000Z')
    expect(feed.authors.map((author) => author.name)).toEqual(['Northsea Harbour Cooperative'])
    expect(feed.items.map((item) => item.url)).toEqual([`${SITE}2025-06-harbour-notes/`, `${SITE}2021-green-silk-road/`])
    expect(feed.items.map((item) => item.title)).toEqual(['Harbour Notes · No. 12', '“一带一路”绿色发展国际联盟通讯 · 2021年第1期'])
    expect(feed.items[0]!.description).toBe('Shore power on the North Quay, six years of the cooperative, and the summer tides')
    expect(feed.items[1]!.description).toBe('共同构建人与自然生命共同体，高质量共建绿色“一带一路”')
    expect(feed.items[1]!.updated?.toISOString()).toBe('2021-04-30T00:00:00.000Z')
  })

  it('has every element RFC 4287 requires of a feed and of each entry', async () => {
    const $ = cheerio.load(await sampleFeed(), { xml: true })
    const root = $.root().children().first()
    expect(root.get(0)?.name).toBe('feed')
    expect(root.attr('xmlns')).toBe(ATOM)
    // §4.1.1: exactly one id, title and updated; an author unless every entry has one; a self link is recommended.
    for (const name of ['id', 'title', 'updated']) expect(root.children(name).length, name).toBe(1)
    expect(root.children('id').text()).toMatch(/^https:\/\//)
    expect(root.children('updated').text()).toMatch(DATE_TIME)
    expect(root.children('author').children('name').text()).not.toBe('')
    expect(root.children('link[rel="self"]').attr('href')).toBe(`${SITE}feed.xml`)
    expect(root.children('link[rel="alternate"]').attr('href')).toBe(SITE)
    const entries = root.children('entry').toArray()
    expect(entries).toHaveLength(2)
    const ids = new Set<string>()
    for (const element of entries) {
      const entry = $(element)
      // §4.1.2: exactly one id, title, updated; a link rel=alternate (there is no content); a summary.
      for (const name of ['id', 'title', 'updated', 'summary']) expect(entry.children(name).length, name).toBe(1)
      expect(entry.children('updated').text()).toMatch(DATE_TIME)
      const id = entry.children('id').text()
      expect(id).toMatch(/^https:\/\//)
      ids.add(id)
      expect(entry.children('link').first().attr('href')).toBe(id)
      expect(entry.children('link[rel="enclosure"]').attr('href')).toBe(`${id}cover.jpg`)
    }
    expect(ids.size).toBe(2)
  })

  it('writes the same bytes every time (updated is the newest issue’s date, not the build’s)', async () => {
    expect(await sampleFeed()).toBe(await sampleFeed())
  })

  it('escapes what the summary holds: its text is shown, not read as markup', async () => {
    const issue = await sampleIssue(SAMPLES[0])
    const tricky = siteIssue({ ...issue, meta: { ...issue.meta, subject: 'Piers & <b>quays</b>' } }, { cover: false, pdf: true })
    const xml = buildFeed([tricky], { siteUrl: SITE })
    // The summary is `type="html"`: the text's markup characters are escaped in it, so a reader shows them.
    expect(cheerio.load(xml, { xml: true })('entry > summary').text()).toBe('Piers &amp; &lt;b&gt;quays&lt;/b&gt;')
    expect(parseFeed(xml).items[0]!.description).toBe('Piers & <b>quays</b>')
  })

  it('refuses to write a feed without the site’s absolute URL', () => {
    expect(() => buildFeed([], { siteUrl: '/news/' })).toThrow(/absolute http\(s\) URL/)
  })
})
