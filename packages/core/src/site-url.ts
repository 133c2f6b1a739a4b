/**
 * Where things live on the published site: `dist/` served as it is at `site.url`. One place
 * for these addresses, so that the web edition, the archive, the feed and the email's links
 * agree. Item anchors are the Issue model's ids (`Item.id`, made by `@masthead/parse`).
 */

/** `url` with exactly one `/` at its end. */
function withSlash(url: string): string {
  return url.replace(/\/*$/, '/')
}

/**
 * The web edition's address: `<siteUrl><slug>/` (its `index.html`).
 *
 * @param siteUrl Where `dist/` is published (`site.url`), e.g. `https://news.example.org/`.
 * @param slug The issue folder's name.
 */
export function editionUrl(siteUrl: string, slug: string): string {
  return withSlash(siteUrl) + encodeURIComponent(slug) + '/'
}

/**
 * The address of one item (or section, or timeline entry) of a web edition: the edition's
 * URL and the id as its fragment.
 *
 * @param edition The web edition's URL (see {@link editionUrl}).
 * @param id The item's id (`Item.id`), the same id the web page gives the item.
 */
export function anchorUrl(edition: string, id: string): string {
  return `${edition.replace(/#.*$/, '')}#${encodeURIComponent(id)}`
}

/**
 * `href` made absolute against `base`: a relative path, or a bare `#fragment` (which then
 * names a place in the page at `base`). Absolute URLs, `mailto:`, `tel:` and merge tags
 * (`*|ARCHIVE|*`, `{{ x }}`) are returned as they are.
 *
 * @param href A link as written.
 * @param base An absolute http(s) URL.
 */
export function absoluteUrl(href: string, base: string): string {
  const trimmed = href.trim()
  if (trimmed === '' || /^[a-z][a-z0-9+.-]*:/i.test(trimmed) || /^\*\||^\{\{|^%%|^\[/.test(trimmed)) return href
  try {
    return new URL(trimmed, base).href
  } catch {
    return href
  }
}
