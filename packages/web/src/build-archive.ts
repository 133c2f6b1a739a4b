import type { Lang } from '@masthead/core'
import { escapeHtml, formatDate } from '@masthead/core'
import { labels } from '@masthead/layout'
import type { SiteIssue } from './site-issue.js'
import { newestFirst } from './site-issue.js'

/** Options for {@link buildArchive}. */
export interface ArchiveOptions {
  /** The styles of the page (`styles/web.css` with its imports), put in a `<style>`. */
  css: string
  /** The page's title (default: the newest issue's newsletter name). */
  title?: string
  /** Where `dist/` is published (`site.url`): the canonical URL. */
  siteUrl?: string
}

function card(issue: SiteIssue, pageLang: Lang): string {
  const words = labels[issue.lang]
  const href = `${encodeURIComponent(issue.slug)}/`
  const lang = issue.lang === pageLang ? '' : ` lang="${issue.lang}"`
  const cover = issue.cover
    ? `<a class="archive-cover" href="${href}" tabindex="-1" aria-hidden="true"><img src="${href}cover.jpg" alt="" width="300" height="424" loading="lazy" decoding="async"></a>`
    : ''
  return `<li class="archive-issue"${lang}>
${cover}<div class="archive-text">
<h2 class="archive-title"><a href="${href}">${escapeHtml(issue.issue ? `${issue.title} · ${issue.issue}` : issue.title)}</a></h2>
<p class="archive-date"><time datetime="${issue.date.iso}">${escapeHtml(formatDate(issue.date, issue.lang))}</time></p>
<p class="archive-summary">${escapeHtml(issue.summary)}</p>
<p class="archive-links"><a href="${href}">${words.readIssue}</a>${issue.pdf ? ` · <a href="${href}print.pdf" download>${words.downloadPdf}</a>` : ''}</p>
</div>
</li>`
}

/**
 * `index.html` of the site: every issue, newest first, with its cover (when rendered),
 * date, title, summary and links to its web edition and its PDF. The page is in the
 * newest issue's language; an issue in another one says so with `lang`.
 *
 * @param issues The published issues (at least one).
 */
export function buildArchive(issues: readonly SiteIssue[], options: ArchiveOptions): string {
  const sorted = newestFirst(issues)
  const newest = sorted[0]
  if (!newest) throw new TypeError('Expected at least one issue for the archive')
  const lang = newest.lang
  const words = labels[lang]
  const title = options.title ?? newest.title
  return `<!doctype html>
<html lang="${lang}" class="edition-web archive">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · ${words.allIssues}</title>
<meta name="generator" content="Masthead">
${options.siteUrl ? `<link rel="canonical" href="${escapeHtml(options.siteUrl)}">\n<meta property="og:url" content="${escapeHtml(options.siteUrl)}">\n` : ''}<meta property="og:type" content="website">
<meta property="og:title" content="${escapeHtml(title)}">
<link rel="alternate" type="application/atom+xml" href="feed.xml" title="${escapeHtml(title)}">
<style>
${options.css.trim()}
</style>
</head>
<body>
<a class="skip-link" href="#main">${words.skipToContent}</a>
<header class="web-header">
<div class="masthead">
<p class="masthead-kicker">${escapeHtml(newest.publisher)}</p>
<h1 class="masthead-title">${escapeHtml(title)}</h1>
<p class="masthead-meta">${words.allIssues}</p>
</div>
</header>
<main id="main" tabindex="-1" class="archive-main">
<ol class="archive-list">
${sorted.map((issue) => card(issue, lang)).join('\n')}
</ol>
</main>
<footer class="web-footer">
<p><a href="feed.xml" lang="en">Atom</a></p>
</footer>
</body>
</html>
`
}
