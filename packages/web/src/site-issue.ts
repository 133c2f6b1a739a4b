import type { DateValue, Issue, Lang } from '@masthead/core'
import { sectionItems } from '@masthead/core'

/** What the archive and the feed know of one published issue. */
export interface SiteIssue {
  /** The issue folder's name: its web edition is `<slug>/index.html`. */
  slug: string
  /** The newsletter's name (`meta.title`) and the issue as printed (`meta.issue`). */
  title: string
  issue: string
  date: DateValue
  lang: Lang
  publisher: string
  /** One or two sentences: the subject, else the first dek, else the start of the first item. */
  summary: string
  /** Whether `<slug>/cover.jpg` and `<slug>/print.pdf` exist. */
  cover: boolean
  pdf: boolean
}

const SUMMARY_CHARS = 240

/** `text` cut to about `max` characters at a word (or, in Chinese, a character) boundary. */
function cut(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  if (chars.length <= max) return flat
  let short = chars.slice(0, max).join('')
  const space = short.lastIndexOf(' ')
  if (space > max * 0.6) short = short.slice(0, space)
  return short.replace(/[\s,.;:，。；：、]+$/u, '') + '…'
}

/**
 * The archive's and the feed's view of an issue.
 *
 * @param issue The Issue model (`dist/<slug>/issue.json`).
 * @param present Which of the issue's files exist beside its web edition.
 */
export function siteIssue(issue: Issue, present: { cover: boolean; pdf: boolean }): SiteIssue {
  const items = issue.sections.flatMap(sectionItems)
  const dek = items.map((item) => item.fields['dek']).find((value): value is string => typeof value === 'string' && value.trim() !== '')
  const first = items.map((item) => item.body.text).find((text) => text.trim() !== '') ?? ''
  return {
    slug: issue.slug,
    title: issue.meta.title,
    issue: issue.meta.issue ?? '',
    date: issue.meta.date,
    lang: issue.meta.lang,
    publisher: issue.meta.publisher,
    summary: cut(issue.meta.subject ?? dek ?? first, SUMMARY_CHARS),
    cover: present.cover,
    pdf: present.pdf
  }
}

/** Newest first; issues of one date by slug, last first. */
export function newestFirst(issues: readonly SiteIssue[]): SiteIssue[] {
  const key = (date: DateValue) => `${date.year}-${String(date.month ?? 0).padStart(2, '0')}-${String(date.day ?? 0).padStart(2, '0')}`
  return [...issues].sort((a, b) => key(b.date).localeCompare(key(a.date)) || b.slug.localeCompare(a.slug))
}

/** The issue's date as an instant, for the feed: midnight UTC of the day (the first of the month or year when that is all there is). */
export function dateInstant(date: DateValue): Date {
  return new Date(Date.UTC(date.year, (date.month ?? 1) - 1, date.day ?? 1))
}
