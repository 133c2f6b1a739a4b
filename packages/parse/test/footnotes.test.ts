import path from 'node:path'
import { VFile } from '@masthead/core'
import type { Element, Root } from 'hast'
import { raw } from 'hast-util-raw'
import { visit } from 'unist-util-visit'
import { describe, expect, it } from 'vitest'
import { parseIssueFile } from '../src/index.js'
import { sectionTypes } from './section-types.js'

// to-content.ts relies on what mdast-util-to-hast writes for footnotes: ids prefixed by
// `clobberPrefix`, except the label's, which it always names `footnote-label` (renamed per
// item by prefixNoteLabel). An upgrade that names things otherwise fails here.

const FM = '---\ntitle: T\nissue: 1\ndate: 2021-04-30\nlang: en\npublisher: P\n---\n\n'
const body = ':::news\n## One\nA claim.[^a]\n\n[^a]: The first source.\n\n## Two\nAnother.[^a]\n\n[^a]: The second source.\n:::\n'

/** The elements of an HTML fragment, read back with a real HTML parser. */
function elements(html: string): Element[] {
  const tree = raw({ type: 'root', children: [{ type: 'raw', value: html }] } as unknown as Root) as Root
  const found: Element[] = []
  visit(tree, 'element', (node: Element) => {
    found.push(node)
  })
  return found
}

describe('footnotes of two items in one issue', () => {
  const file = new VFile({ path: path.join(process.cwd(), 'virtual-issue/issue.md'), value: FM + body })
  const { issue } = parseIssueFile(file, { sections: sectionTypes() })
  const html = issue!.sections[0]!.items.map((item) => item.body.html).join('\n')
  const all = elements(html)
  const ids = all
    .map((element) => element.properties.id)
    .filter((id) => id !== undefined)
    .map(String)

  it('parses without messages', () => {
    expect(file.messages.map(String)).toEqual([])
  })

  it('gives every id in the issue once, each label its item’s', () => {
    expect(new Set(ids).size).toBe(ids.length)
    expect(ids.filter((id) => id.endsWith('footnote-label'))).toEqual(['news-1-1-footnote-label', 'news-1-2-footnote-label'])
  })

  it('points every note link and every aria-describedby at an id of the issue', () => {
    const links = all
      .map((element) => element.properties.href)
      .filter((href) => typeof href === 'string' && href.startsWith('#'))
      .map((href) => String(href).slice(1))
    const described = all.flatMap((element) =>
      element.properties.ariaDescribedBy === undefined ? [] : [String(element.properties.ariaDescribedBy)]
    )
    expect(links).toHaveLength(4)
    expect(described).toEqual(['news-1-1-footnote-label', 'news-1-2-footnote-label'])
    for (const target of [...links, ...described]) expect(ids).toContain(target)
  })
})
