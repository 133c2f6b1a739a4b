import type { Content, Issue, Item } from '@masthead/core'
import { absoluteUrl, editionUrl } from '@masthead/core'

/**
 * The web edition's URL of `issue`: `<site.url><slug>/` when the site's URL is set (it is
 * where `dist/` is published, so that is where the page is), else the frontmatter's `url`.
 *
 * @param issue The issue.
 * @param siteUrl The config's `site.url`, if any.
 */
export function webEditionUrl(issue: Issue, siteUrl: string | undefined): string | undefined {
  return siteUrl ? editionUrl(siteUrl, issue.slug) : issue.meta.url
}

/** `href="…"` values of HTML as hast-util-to-html writes it (always double-quoted, `"` escaped). */
const HREF = /(\shref=")([^"]*)(")/g

function absoluteContent(content: Content, base: string): Content {
  return {
    ...content,
    html: content.html.replace(
      HREF,
      (_all, before: string, href: string, after: string) =>
        before + absoluteUrl(href.replaceAll('&#x26;', '&').replaceAll('&amp;', '&'), base).replaceAll('&', '&#x26;') + after
    )
  }
}

/**
 * The issue as the email sees it once the web edition has an address: `meta.url` is the
 * web edition (so "view in browser" and every digest "read more" lead there, to the
 * item's anchor), and every relative link of the text (`../2021-03/`, `#s2-1`) is made
 * absolute against it. Without an address the issue is returned as it is.
 *
 * @param issue The issue (not changed).
 * @param url The web edition's URL (see {@link webEditionUrl}).
 */
export function linkToWebEdition(issue: Issue, url: string | undefined): Issue {
  if (!url) return issue
  return {
    ...issue,
    meta: { ...issue.meta, url },
    sections: issue.sections.map((section) => ({
      ...section,
      intro: absoluteContent(section.intro, url),
      items: section.items.map((item) => absoluteItem(item, url)),
      parts: section.parts.map((part) => ({
        ...part,
        intro: absoluteContent(part.intro, url),
        items: part.items.map((item) => absoluteItem(item, url))
      })),
      entries: section.entries.map((entry) => (entry.note ? { ...entry, note: absoluteContent(entry.note, url) } : entry))
    }))
  }
}

function absoluteItem(item: Item, url: string): Item {
  return {
    ...item,
    body: absoluteContent(item.body, url),
    links: item.links.map((link) => ({ ...link, url: absoluteUrl(link.url, url) }))
  }
}
