import type { Item, Section } from './issue.js'

/**
 * Every item of a section in reading order: the items before its first part, then each
 * part's items.
 *
 * @param section A section of the Issue model.
 */
export function sectionItems(section: Section): Item[] {
  return [...section.items, ...section.parts.flatMap((part) => part.items)]
}
