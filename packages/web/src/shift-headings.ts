import type { CheerioAPI } from 'cheerio'

/**
 * Move every heading inside `<main>` one level down (`h1` → `h2` … `h5` → `h6`; an `h6`
 * stays). Section templates are shared with print, where a section's title is an `h1` and
 * an item's headline an `h2`; on the web page the title is the only `h1`, so the
 * sections nest under it and the heading order has no gaps.
 *
 * @param $ The page.
 */
export function shiftHeadings($: CheerioAPI): void {
  for (const element of $('main').find('h1, h2, h3, h4, h5').toArray()) {
    const level = Number(element.tagName.slice(1))
    element.tagName = `h${level + 1}`
  }
}
