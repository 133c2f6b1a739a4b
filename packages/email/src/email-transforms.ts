import * as cheerio from 'cheerio'
import type { CheerioAPI } from 'cheerio'
import { decodeHTMLAttribute } from 'entities'
import litePreset from 'cssnano-preset-lite'
import { process as htmlnano } from 'htmlnano'
import postcss from 'postcss'

/** Query parameters added to links. */
export type Utm = Record<string, string>

/**
 * Add `utm` parameters to an http(s) URL, keeping what it already has and its fragment.
 * Other schemes (`mailto:`, `tel:`), in-page anchors and merge tags are returned as they are.
 *
 * @param href The link.
 * @param utm Parameters to add; one already in the query is not overwritten.
 */
export function tagUrl(href: string, utm: Utm): string {
  if (!/^https?:\/\//i.test(href)) return href
  const hashAt = href.indexOf('#')
  const base = hashAt === -1 ? href : href.slice(0, hashAt)
  const hash = hashAt === -1 ? '' : href.slice(hashAt)
  const existing = new Set([...base.matchAll(/[?&]([^=&#]+)=/g)].map((match) => safeDecode(match[1]!)))
  const added = Object.entries(utm)
    .filter(([key]) => !existing.has(key))
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
  if (added.length === 0) return href
  return base + (base.includes('?') ? (/[?&]$/.test(base) ? '' : '&') : '?') + added.join('&') + hash
}

/** A query name as the server reads it; a malformed escape (`%zz`) stays as written. */
function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value)
  } catch {
    return value
  }
}

/** Escape a URL for a double-quoted attribute value: `&` and `"`, nothing else. */
export function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;')
}

/**
 * DOM form: tag every `<a href>` but those marked `data-no-utm` (the mark is removed).
 *
 * The DOM keeps attribute values as written, entities and all (Handlebars writes `=` as
 * `&#x3D;` and `'` as `&#x27;`), so each href is decoded to the URL a mail client follows
 * before it is tagged, and escaped again (`&` and `"` only) after. Tagging the raw value
 * would take the `#` of `&#x3D;` for the start of a fragment.
 */
export function tagLinks($: CheerioAPI, utm: Utm | false): void {
  $('a[href]').each((_, element) => {
    const link = $(element)
    if (link.attr('data-no-utm') !== undefined) {
      link.removeAttr('data-no-utm')
      return
    }
    if (!utm) return
    const href = decodeHTMLAttribute(link.attr('href')!).trim()
    const tagged = tagUrl(href, utm)
    if (tagged !== href) link.attr('href', escapeAttribute(tagged))
  })
}

/** String form: `#abc` → `#aabbcc` in a CSS value (some clients drop three-digit colours). */
export function sixHex(css: string): string {
  return css.replace(/#([0-9a-f])([0-9a-f])([0-9a-f])(?![0-9a-f\w-])/gi, '#$1$1$2$2$3$3')
}

/** DOM form of {@link sixHex}: `style`, `bgcolor` and `color` attributes and `<style>` declarations. */
export function sixHexDom($: CheerioAPI): void {
  $('[style], [bgcolor], [color]').each((_, element) => {
    for (const name of ['style', 'bgcolor', 'color']) {
      const value = element.attribs[name]
      if (value?.includes('#')) element.attribs[name] = sixHex(value)
    }
  })
  $('style').each((_, element) => {
    const style = $(element)
    style.text(style.text().replace(/:[^;{}]*/g, (declaration) => sixHex(declaration)))
  })
}

/**
 * cssnano's `lite` preset, as MJML's own minifier uses it: comments, white space and empty
 * rules go, nothing else. The default preset would also rewrite colours (`#aabbcc` → `#abc`,
 * undoing sixHex) and merge rules whose order email clients' hacks depend on.
 */
const cssMinifier = postcss(litePreset().plugins.map(([plugin, options]) => plugin(options)))

/** Minify the CSS of one `<style>` element with {@link cssMinifier}. */
async function minifyCss(css: string): Promise<string> {
  return (await cssMinifier.process(css, { from: undefined })).css
}

/**
 * Minify: the CSS of each `<style>` (those inside Outlook's conditional comments too) with
 * cssnano's lite preset, white space between tags with htmlnano; keep every comment
 * (Outlook's conditional comments carry layout), leave attribute values and URLs as they are.
 */
export async function minifyHtml(html: string): Promise<string> {
  const styles = /(<style\b[^>]*>)([\s\S]*?)(<\/style>)/g
  const minified = await Promise.all([...html.matchAll(styles)].map((match) => minifyCss(match[2]!)))
  let index = 0
  const squeezed = html.replace(styles, (_, open: string, _css: string, close: string) => open + minified[index++]! + close)
  const result = await htmlnano(
    squeezed,
    {
      skipConfigLoading: true,
      skipInternalWarnings: true,
      collapseWhitespace: 'conservative',
      removeComments: false,
      removeEmptyAttributes: false
    },
    {}
  )
  return result.html
}

/** Parse email HTML for the DOM transforms, keeping the source as written (no tree fixing). */
export function parseEmailHtml(html: string): CheerioAPI {
  return cheerio.load(html, { xml: { xmlMode: false, decodeEntities: false } })
}
