import { editionUrl, escapeHtml } from '@masthead/core'
import { Feed } from 'feed'
import type { SiteIssue } from './site-issue.js'
import { dateInstant, newestFirst } from './site-issue.js'

/** Options for {@link buildFeed}. */
export interface FeedOptions {
  /** Where `dist/` is published (`site.url`): every id and link of the feed is absolute. */
  siteUrl: string
  /** The feed's title (default: the newest issue's newsletter name). */
  title?: string
}

/**
 * `feed.xml`: an Atom feed (RFC 4287) of the issues, newest first, written by the `feed`
 * library. The feed has `id`, `title`, `updated` (the newest issue's date, so a rebuild
 * writes the same bytes), `author` (the newest issue's publisher), links to the archive
 * and to itself; each issue is an entry with `id`, `title`, `updated`, a link to its web
 * edition and its summary.
 *
 * @param issues The published issues (at least one).
 */
export function buildFeed(issues: readonly SiteIssue[], options: FeedOptions): string {
  if (typeof options?.siteUrl !== 'string' || !/^https?:\/\//.test(options.siteUrl))
    throw new TypeError('Expected `siteUrl`, the absolute http(s) URL `dist/` is published at')
  const sorted = newestFirst(issues)
  const newest = sorted[0]
  if (!newest) throw new TypeError('Expected at least one issue for the feed')
  const site = options.siteUrl.replace(/\/*$/, '/')
  const feed = new Feed({
    id: site,
    title: options.title ?? newest.title,
    updated: dateInstant(newest.date),
    generator: 'Masthead',
    language: newest.lang,
    author: { name: newest.publisher },
    link: site,
    feedLinks: { atom: new URL('feed.xml', site).href }
  })
  for (const issue of sorted) {
    const link = editionUrl(site, issue.slug)
    feed.addItem({
      title: escapeHtml(issue.issue ? `${issue.title} · ${issue.issue}` : issue.title),
      id: link,
      link,
      date: dateInstant(issue.date),
      description: escapeHtml(issue.summary),
      author: [{ name: issue.publisher }],
      ...(issue.cover ? { image: { url: `${link}cover.jpg`, type: 'image/jpeg' } } : {})
    })
  }
  return feed.atom1() + '\n'
}
