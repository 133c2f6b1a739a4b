import type { Issue } from '@masthead/core'
import { sectionItems } from '@masthead/core'
import type { CheerioAPI } from 'cheerio'

/**
 * Make sure every section, item and timeline entry of `issue` has an element with its id,
 * the anchor a digest's "read more" and the contents link to. Templates put the id on a
 * headline; an item without one (untitled, or a template that leaves it out) gets it on
 * the element that carries the item's `data-source-line` and `data-source-column`.
 *
 * @param $ The page.
 * @param issue The issue it shows.
 * @returns The ids that found no element.
 */
export function ensureAnchors($: CheerioAPI, issue: Issue): string[] {
  const missing: string[] = []
  const has = (id: string) =>
    $('[id]')
      .toArray()
      .some((element) => element.attribs['id'] === id)
  const places = issue.sections.flatMap((section) => [
    { id: section.id, start: section.position.start },
    ...section.parts.map((part) => ({ id: part.id, start: part.position.start })),
    ...sectionItems(section).map((item) => ({ id: item.id, start: item.position.start })),
    ...section.entries.map((entry) => ({ id: entry.id, start: entry.position.start }))
  ])
  for (const { id, start } of places) {
    if (has(id)) continue
    const element = $('main [data-source-line][data-source-column]')
      .toArray()
      .find(
        (candidate) =>
          candidate.attribs['data-source-line'] === String(start.line) &&
          candidate.attribs['data-source-column'] === String(start.column) &&
          !candidate.attribs['id']
      )
    if (element) element.attribs['id'] = id
    else missing.push(id)
  }
  return missing
}
