import type { Issue } from '@masthead/core'
import { VFile, escapeHtml, warn } from '@masthead/core'
import * as cheerio from 'cheerio'
import { ensureAnchors } from './ensure-anchors.js'
import { inlineStyles } from './inline-styles.js'
import { responsiveImages } from './responsive-images.js'
import { shiftHeadings } from './shift-headings.js'

const SOURCE = 'masthead:web'

/** Input of {@link buildWebEdition}. */
export interface WebEditionInput {
  issue: Issue
  /** The page as `templates/layouts/web.hbs` rendered it (`layout.render('web', issue)`). */
  html: string
  /** The web edition's absolute URL (`editionUrl(site.url, slug)` or the issue's `url`): og:image needs it. */
  url?: string
  /** Whether `cover.jpg` is written beside the page (it becomes og:image). */
  cover?: boolean
  /** Whether `../feed.xml` is written (it needs `site.url`); without it the page's links to the feed are taken out. Default true. */
  feed?: boolean
}

/** The web edition: files by their path inside `dist/<issue>/`, and the messages. */
export interface WebEdition {
  /** `index.html` and `images/*.webp`. */
  outputs: Map<string, string | Uint8Array>
  /** The issue source, with a warning for each anchor no element carries. */
  files: VFile[]
}

/**
 * Turn the web layout's HTML into the published page, in this order: inline the linked
 * stylesheets, move headings inside `<main>` one level down, give every section, item and
 * entry its anchor id, make the issue's images responsive (WebP in several widths with
 * `srcset`), add `og:image` when there is a cover and a URL, and take out the links to
 * the feed when there is none.
 *
 * @param input The issue, the rendered page, and where it will be published.
 */
export async function buildWebEdition(input: WebEditionInput): Promise<WebEdition> {
  const { issue } = input
  const file = new VFile({ path: issue.source })
  const $ = cheerio.load(input.html)
  await inlineStyles($)
  shiftHeadings($)
  for (const id of ensureAnchors($, issue)) {
    warn(
      file,
      `Missing an element with id \`${id}\` in the web edition, expected the template to keep the item's \`id\` or its \`data-source-line\` and \`data-source-column\`; links to it from the email land at the top`,
      {
        ruleId: 'web-missing-anchor',
        source: SOURCE
      }
    )
  }
  if (input.feed === false) {
    $('link[rel="alternate"][href="../feed.xml"]').remove()
    $('a[href="../feed.xml"]').each((_, element) => {
      // The link and the separator before it (` · `).
      const previous = element.previousSibling
      if (previous?.type === 'text') previous.data = previous.data.replace(/\s*·\s*$/, '')
      $(element).remove()
    })
  }
  const outputs = new Map<string, string | Uint8Array>()
  for (const [name, data] of await responsiveImages($, issue.dir)) outputs.set(name, data)
  if (input.cover && input.url) {
    const image = new URL('cover.jpg', input.url).href
    $('head').append(
      `<meta property="og:image" content="${escapeHtml(image)}">\n<meta name="twitter:card" content="summary_large_image">\n`
    )
  }
  outputs.set('index.html', $.html())
  return {
    outputs: new Map([['index.html', outputs.get('index.html')!], ...[...outputs].filter(([name]) => name !== 'index.html')]),
    files: [file]
  }
}
