import type { Paragraph, PhrasingContent } from 'mdast'

/**
 * The part of a paragraph that lies on the given source lines, as a paragraph of its own
 * (its inline Markdown — links, emphasis, code — kept): a field block gives back the lines
 * that are not fields this way, so they stay in the body.
 *
 * A text node's soft line breaks are its `\n`s, one per source line it spans; any other
 * inline node belongs to the line it starts on.
 *
 * @returns The paragraph, or `undefined` when none of its content lies on those lines.
 */
export function keepLines(paragraph: Paragraph, lines: ReadonlySet<number>): Paragraph | undefined {
  const byLine = new Map<number, PhrasingContent[]>()
  const add = (line: number, node: PhrasingContent) => {
    if (!lines.has(line)) return
    const list = byLine.get(line) ?? []
    list.push(node)
    byLine.set(line, list)
  }
  for (const child of paragraph.children) {
    const start = child.position?.start.line
    if (start === undefined) continue
    if (child.type !== 'text') {
      if (child.type !== 'break') add(start, child)
      continue
    }
    child.value.split('\n').forEach((part, index) => {
      if (part !== '') add(start + index, { type: 'text', value: part })
    })
  }
  const kept = [...byLine.keys()].sort((a, b) => a - b)
  if (kept.length === 0) return undefined
  const children: PhrasingContent[] = []
  for (const line of kept) {
    if (children.length > 0) children.push({ type: 'text', value: '\n' })
    children.push(...byLine.get(line)!)
  }
  const merged: PhrasingContent[] = []
  for (const node of children) {
    const last = merged.at(-1)
    if (node.type === 'text' && last?.type === 'text') last.value += node.value
    else merged.push(node.type === 'text' ? { ...node } : node)
  }
  const first = kept[0]!
  const result: Paragraph = { type: 'paragraph', children: merged }
  if (paragraph.position) {
    result.position = {
      start: first === paragraph.position.start.line ? paragraph.position.start : { line: first, column: 1 },
      end: paragraph.position.end
    }
  }
  return result
}
