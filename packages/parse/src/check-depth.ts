import type { VFile } from '@masthead/core'
import { addError } from '@masthead/core'
import type { Nodes, Root } from 'mdast'

/**
 * How deep blocks and inline marks may nest (blockquotes in blockquotes, lists in lists,
 * emphasis in links in emphasis…). Real issues stay below ten; the recursive steps after
 * parsing (cloning, mdast → hast, sanitizing, serializing) overflow the stack somewhere
 * past a thousand.
 */
export const MAX_DEPTH = 100

/**
 * Report a tree that nests deeper than {@link MAX_DEPTH} as an error at the first node
 * past the limit. The walk is iterative, so it cannot overflow itself.
 *
 * @returns `true` when the tree is shallow enough to process.
 */
export function checkDepth(tree: Root, file: VFile): boolean {
  const stack: Array<[Nodes, number]> = [[tree, 0]]
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [node, depth] = next
    if (depth > MAX_DEPTH) {
      addError(
        file,
        `Unexpected nesting more than ${MAX_DEPTH} levels deep, expected blockquotes, lists and emphasis nested at most ${MAX_DEPTH} levels`,
        {
          ruleId: 'nesting-too-deep',
          source: 'masthead:parse',
          place: node.position
        }
      )
      return false
    }
    if ('children' in node)
      for (let index = node.children.length - 1; index >= 0; index--) stack.push([node.children[index] as Nodes, depth + 1])
  }
  return true
}
