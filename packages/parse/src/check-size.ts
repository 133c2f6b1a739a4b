import type { VFile } from '@masthead/core'
import { addError } from '@masthead/core'
import type { Nodes, Root } from 'mdast'

/**
 * The most sections one issue may have. Real issues have five to twenty; each section is a
 * page region, a table-of-contents entry and a bookmark, and thousands of them only end in
 * a print that runs out of time.
 */
export const MAX_SECTIONS = 200

/**
 * The most blocks (paragraphs, headings, list items, table rows, quotes, code blocks…) one
 * issue may have. The sample issues have about 200; the benchmark's 500-item issue about
 * 3,000. Past this the print takes minutes and ends in `pdf-failed`, so it is refused up
 * front, where the count is exceeded.
 */
export const MAX_BLOCKS = 10_000

const BLOCKS = new Set<string>([
  'paragraph',
  'heading',
  'thematicBreak',
  'blockquote',
  'listItem',
  'code',
  'html',
  'tableRow',
  'definition',
  'footnoteDefinition',
  'containerDirective',
  'leafDirective',
  'math'
])

/**
 * Report an issue with more than {@link MAX_SECTIONS} sections or {@link MAX_BLOCKS} blocks,
 * as an error at the first section or block past the limit. The walk is iterative and in
 * document order.
 *
 * @returns `true` when the issue is small enough to lay out and print.
 */
export function checkSize(tree: Root, file: VFile): boolean {
  let sections = 0
  let blocks = 0
  const stack: Array<[Nodes, number, string]> = [[tree, 0, '']]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth, parent] = next
    if (node.type === 'containerDirective' && depth === 1 && ++sections > MAX_SECTIONS) {
      addError(
        file,
        `Unexpected ${ordinal(sections)} section, expected at most ${MAX_SECTIONS} sections in one issue (split it into several issues)`,
        {
          ruleId: 'too-many-sections',
          source: 'masthead:parse',
          place: node.position?.start
        }
      )
      return false
    }
    // A list item's own paragraph is part of the item, not a block of its own.
    const counted = BLOCKS.has(node.type) && !(node.type === 'paragraph' && parent === 'listItem')
    if (counted && ++blocks > MAX_BLOCKS) {
      addError(
        file,
        `Unexpected ${ordinal(blocks)} block (paragraph, heading, list item, table row…), expected at most ${MAX_BLOCKS.toLocaleString('en')} in one issue (split it into several issues, or move a long list out of the issue)`,
        {
          ruleId: 'too-many-blocks',
          source: 'masthead:parse',
          place: node.position?.start
        }
      )
      return false
    }
    if ('children' in node)
      for (let index = node.children.length - 1; index >= 0; index--) stack.push([node.children[index] as Nodes, depth + 1, node.type])
  }
  return true
}

/** `201st`, `10,001st`, `12th`. */
function ordinal(count: number): string {
  const tens = count % 100
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][count % 10] ?? 'th')
  return count.toLocaleString('en') + suffix
}
