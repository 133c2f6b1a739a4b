import type { Content, Item, Part } from '@masthead/core'
import type { Heading, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { ItemOptions } from './read-items.js'
import { readItems } from './read-items.js'
import type { ContentOptions } from './to-content.js'
import { toContent } from './to-content.js'

/** What a section of headed items splits into: its introduction, its items, its parts. */
export interface PartedBody {
  intro: Content
  /** The items before the first part. */
  items: Item[]
  parts: Part[]
}

/** Options for {@link readParts}. */
export interface PartOptions extends ContentOptions {
  type: ItemOptions['type']
  sectionId: string
}

/**
 * Split a section's children at its `#` headings into parts (sub-sections), each with its
 * own introduction and items; what comes before the first `#` heading is the section's
 * introduction and leading items.
 */
export function readParts(children: readonly RootContent[], options: PartOptions): PartedBody {
  const lead: RootContent[] = []
  const runs: Array<{ heading: Heading; nodes: RootContent[] }> = []
  for (const node of children) {
    if (node.type === 'heading' && node.depth === 1) runs.push({ heading: node, nodes: [] })
    else (runs.at(-1)?.nodes ?? lead).push(node)
  }
  const body = readItems(lead, { ...options, idPrefix: options.sectionId })
  const parts = runs.map((run, index): Part => {
    const given = run.heading.data?.hProperties?.id
    const id = typeof given === 'string' ? given : `${options.sectionId}-p${index + 1}`
    const partBody = readItems(run.nodes, { ...options, idPrefix: id })
    const start = run.heading.position!.start
    const end = run.nodes.at(-1)?.position?.end ?? run.heading.position!.end
    return {
      id,
      title: toString(run.heading).trim(),
      intro: toContent(partBody.intro, options).content,
      items: partBody.items,
      position: { start, end }
    }
  })
  return { intro: toContent(body.intro, options).content, items: body.items, parts }
}
