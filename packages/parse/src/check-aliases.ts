import { isAlias, isCollection, isPair, isScalar, visit, type Document, type Node } from 'yaml'

/** Values the frontmatter may expand to through aliases, counted node by node. */
export const MAX_ALIAS_EXPANSION = 1000

/** An alias the frontmatter cannot use, and where it is (an offset into the YAML). */
export interface AliasProblem {
  offset: number
  reason: string
}

/**
 * Check the YAML aliases of a document before it is turned into values: an alias with no
 * anchor before it, and aliases that expand past {@link MAX_ALIAS_EXPANSION} nodes (a
 * "billion laughs" document), each at the alias that goes wrong. The expansion is counted
 * without expanding anything (each anchor's size is computed once).
 *
 * @param doc The parsed document.
 * @returns The first problem, or `undefined`.
 */
export function checkAliases(doc: Document): AliasProblem | undefined {
  const sizes = new Map<Node, number>()
  const sizeOf = (node: unknown, depth: number): number => {
    if (depth > 64) return Number.POSITIVE_INFINITY
    if (isAlias(node)) {
      const target = node.resolve(doc)
      return target === undefined ? 1 : sizeOf(target, depth + 1)
    }
    if (isScalar(node)) return 1
    if (isPair(node)) return sizeOf(node.key, depth + 1) + sizeOf(node.value, depth + 1)
    if (!isCollection(node)) return 1
    const known = sizes.get(node)
    if (known !== undefined) return known
    let size = 1
    for (const item of node.items) {
      size += sizeOf(item, depth + 1)
      if (size > MAX_ALIAS_EXPANSION) break
    }
    sizes.set(node, size)
    return size
  }
  let problem: AliasProblem | undefined
  let expanded = 0
  visit(doc, {
    Alias(_key, node) {
      const offset = node.range?.[0] ?? 0
      const target = node.resolve(doc)
      if (target === undefined) {
        problem = {
          offset,
          reason: `Unexpected alias \`*${node.source}\` with no anchor \`&${node.source}\` before it, expected a value (or the anchor first)`
        }
        return visit.BREAK
      }
      expanded += sizeOf(target, 0)
      if (expanded > MAX_ALIAS_EXPANSION) {
        problem = {
          offset,
          reason: `Unexpected alias \`*${node.source}\` that makes the frontmatter expand past ${MAX_ALIAS_EXPANSION} values, expected plain values (aliases are limited against resource exhaustion)`
        }
        return visit.BREAK
      }
      return undefined
    }
  })
  return problem
}
