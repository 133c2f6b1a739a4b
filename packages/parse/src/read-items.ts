import type { FieldValue, Item, Position, SectionType } from '@masthead/core'
import type { Heading, Paragraph, RootContent } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { keepLines } from './keep-lines.js'
import type { FieldContext, FieldLine } from './read-fields.js'
import { checkRequires, fieldNames, readFieldBlock, requireFields, typeFields } from './read-fields.js'
import type { ContentOptions } from './to-content.js'
import { toContent } from './to-content.js'

/** A run of nodes that forms one item: opened by a `##` heading or a thematic break. */
interface ItemRun {
  heading: Heading | undefined
  nodes: RootContent[]
  start: Position['start']
  end: Position['end']
}

/** What a section's body splits into. */
export interface SectionBody {
  /** Nodes before the first item. */
  intro: RootContent[]
  items: Item[]
}

/** Options for {@link readItems}. */
export interface ItemOptions extends ContentOptions {
  type: SectionType
  /** Item ids default to `<idPrefix>-<n>`: the section's id, or the part's. */
  idPrefix: string
}

/**
 * Split a section's children into its introduction and its items, read each item's field
 * lines (directly under the heading, or the last paragraph) and render its body.
 */
export function readItems(children: readonly RootContent[], options: ItemOptions): SectionBody {
  const intro: RootContent[] = []
  const runs: ItemRun[] = []
  const namesPerson = personBlock(options)
  for (const node of children) {
    const opensItem = (node.type === 'heading' && node.depth === 2) || node.type === 'thematicBreak'
    const current = runs.at(-1)
    if (node.position && node.type === 'paragraph' && (!current || current.nodes.length > 0) && namesPerson(node)) {
      runs.push({ heading: undefined, nodes: [node], start: node.position.start, end: node.position.end })
      continue
    }
    if (opensItem && node.position) {
      runs.push({
        heading: node.type === 'heading' ? node : undefined,
        nodes: [],
        start: node.position.start,
        end: node.position.end
      })
      continue
    }
    const run = runs.at(-1)
    if (run) {
      run.nodes.push(node)
      if (node.position) run.end = node.position.end
    } else {
      intro.push(node)
    }
  }
  const items = runs.filter((run) => run.heading || run.nodes.length > 0).map((run, index) => readItem(run, index, options))
  return { intro, items }
}

/**
 * For a type whose items are titled by a person (`titleFrom`), a test for a field block
 * that names one (`speaker: …`, `role: …`): such a block opens an untitled item of its own.
 */
function personBlock(options: ItemOptions): (node: Paragraph) => boolean {
  const titleFrom = new Set(options.type.titleFrom ?? [])
  if (titleFrom.size === 0) return () => false
  const names = fieldNames(options.type.fields)
  const source = String(options.file.value)
  return (node) => readFieldBlock(node, source, names)?.some((line) => line.field !== undefined && titleFrom.has(line.field)) ?? false
}

function readItem(run: ItemRun, index: number, options: ItemOptions): Item {
  const { type, file } = options
  const source = String(file.value)
  const names = fieldNames(type.fields)
  const context: FieldContext = { file, type, owner: 'item', specs: type.fields, resolveImage: options.resolveImage }
  const fields: Record<string, FieldValue> = {}
  const body = [...run.nodes]
  const fieldLines: FieldLine[] = []
  const take = (at: number) => {
    const node = body[at]
    if (node?.type !== 'paragraph') return
    const lines = readFieldBlock(node as Paragraph, source, names)
    if (!lines) return
    // Lines whose name the section does not know stay in the body (typeFields warns).
    const rest = keepLines(node as Paragraph, new Set(lines.filter((line) => !line.field).map((line) => line.start.line)))
    body.splice(at, 1, ...(rest ? [rest] : []))
    typeFields(lines, context, fields)
    fieldLines.push(...lines)
  }
  take(0)
  if (body.length > 0) take(body.length - 1)
  requireFields(fields, context, run.heading?.position?.start ?? run.start)
  checkRequires(fieldLines, fields, context)
  const id = typeof run.heading?.data?.hProperties?.id === 'string' ? run.heading.data.hProperties.id : `${options.idPrefix}-${index + 1}`
  const parts = toContent(body, { ...options, notePrefix: `${id}-` })
  for (const value of Object.values(fields)) {
    if (typeof value === 'object' && 'path' in value) parts.images.unshift(value)
  }
  const item: Item = {
    id,
    fields,
    body: parts.content,
    images: parts.images,
    links: parts.links,
    position: { start: run.start, end: run.end }
  }
  if (run.heading) item.headline = toString(run.heading).trim()
  const title = item.headline ?? titleField(fields, type)
  if (title) item.title = title
  return item
}

/** The first of the type's `titleFrom` fields that the item sets, as text. */
function titleField(fields: Record<string, FieldValue>, type: SectionType): string | undefined {
  for (const name of type.titleFrom ?? []) {
    const value = fields[name]
    if (typeof value === 'string' && value !== '') return value
  }
  return undefined
}
