import type { Position } from './issue.js'
import { pointAt } from './diagnostics.js'
import type { Document, Node as YamlNode } from 'yaml'
import { isMap, isNode, isScalar, isSeq } from 'yaml'

function toPosition(text: string, range: readonly [number, number, number] | null | undefined): Position | undefined {
  if (!range) return undefined
  return { start: pointAt(text, range[0]), end: pointAt(text, range[1]) }
}

/**
 * Find the position of the node at `path` in `doc` (parsed from `text` with `parseDocument`).
 * With `key`, point at the last key instead of its value (for an unexpected key). A path
 * that does not exist (a missing key) points at the deepest node that does.
 *
 * @param doc The document from `yaml`'s `parseDocument`.
 * @param text The source text, to turn offsets into line and column.
 * @param path Keys and indices, as in a valibot issue path.
 */
export function locateJson(doc: Document, text: string, path: ReadonlyArray<string | number>, key = false): Position | undefined {
  let node: unknown = doc.contents
  let position = isNode(node) ? toPosition(text, node.range) : undefined
  for (const [index, segment] of path.entries()) {
    const last = index === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))
      if (!pair) return position
      const keyNode = pair.key as YamlNode
      if (last && key) return toPosition(text, keyNode.range) ?? position
      node = pair.value
      position = (isNode(node) ? toPosition(text, node.range) : undefined) ?? toPosition(text, keyNode.range) ?? position
    } else if (isSeq(node)) {
      const item: unknown = node.items[Number(segment)]
      if (!isNode(item)) return position
      node = item
      position = toPosition(text, item.range) ?? position
    } else {
      return position
    }
  }
  return position
}
