import type { Page } from 'puppeteer-core'

/** A table-of-contents target as found in the document. */
export interface TocTarget {
  id: string
  /** Whether an element with this id exists. */
  exists: boolean
  /** The target's text, whitespace collapsed (to match a bookmark title). */
  text: string
  /** How many earlier headings have the same text (to pick the n-th bookmark). */
  nth: number
  /** Whether the target is a heading (h1–h6), so Chromium writes a bookmark for it. */
  heading: boolean
  line?: number
  column?: number
}

/**
 * List the ids that `.toc-page[data-toc-target]` spans point at, in document order.
 *
 * @param page A loaded page with the source-place helper installed.
 */
export async function readToc(page: Page): Promise<TocTarget[]> {
  return page.evaluate(() => {
    const placeOf = window.__mastheadPlace
    const norm = (text: string | null): string => (text ?? '').replace(/\s+/g, ' ').trim()
    const headings = [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
    const ids = new Map<string, Element>()
    for (const span of document.querySelectorAll('.toc-page[data-toc-target]')) {
      const id = span.getAttribute('data-toc-target') ?? ''
      if (!ids.has(id)) ids.set(id, span)
    }
    return [...ids].map(([id, span]) => {
      const element = document.getElementById(id)
      if (!element) return { id, exists: false, text: '', nth: 0, heading: false, ...placeOf(span) }
      const text = norm(element.textContent)
      const index = headings.indexOf(element)
      const nth = index < 0 ? 0 : headings.slice(0, index).filter((heading) => norm(heading.textContent) === text).length
      return { id, exists: true, text, nth, heading: index >= 0, ...placeOf(element) }
    })
  })
}
