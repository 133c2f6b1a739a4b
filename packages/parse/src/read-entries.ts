import type { Entry, VFile } from '@masthead/core'
import { DATE_FORMS, addError, parseDate } from '@masthead/core'
import type { List, ListItem, Paragraph, PhrasingContent, RootContent, Table } from 'mdast'
import { toString } from 'mdast-util-to-string'
import type { ContentOptions } from './to-content.js'
import { toContent } from './to-content.js'

const SOURCE = 'masthead:parse'

const COLUMNS: Record<string, 'date' | 'place' | 'event' | 'note'> = {
  date: 'date',
  日期: 'date',
  时间: 'date',
  when: 'date',
  place: 'place',
  地点: 'place',
  where: 'place',
  location: 'place',
  event: 'event',
  事件: 'event',
  活动: 'event',
  what: 'event',
  内容: 'event',
  note: 'note',
  notes: 'note',
  说明: 'note',
  备注: 'note',
  简介: 'note'
}

/** What a timeline section's body splits into. */
export interface EntriesBody {
  intro: RootContent[]
  entries: Entry[]
}

/**
 * Read a timeline section: every list item (`date | place | event`, further lines the
 * note) and every table row (columns date, place, event, note) is a dated entry; other
 * blocks are the section's introduction.
 */
export function readEntries(children: readonly RootContent[], sectionId: string, options: ContentOptions): EntriesBody {
  const intro: RootContent[] = []
  const entries: Entry[] = []
  let count = 0
  const next = () => `${sectionId}-${++count}`
  for (const node of children) {
    if (node.type === 'list') {
      for (const item of (node as List).children) {
        const entry = readListEntry(item, next(), options)
        if (entry) entries.push(entry)
      }
    } else if (node.type === 'table') {
      entries.push(...readTable(node as Table, next, options))
    } else {
      intro.push(node)
    }
  }
  return { intro, entries }
}

function noDate(file: VFile, what: string, place: Entry['position'] | undefined, expected: string): void {
  addError(file, `Unexpected milestone \`${what}\` without a valid date, expected ${expected}`, {
    ruleId: 'milestone-date',
    source: SOURCE,
    place
  })
}

function readListEntry(item: ListItem, id: string, options: ContentOptions): Entry | undefined {
  const first = item.children[0]
  if (first?.type !== 'paragraph' || !item.position) {
    noDate(options.file, toString(item).slice(0, 40), item.position, `a first line \`date | place | event\` (dates as ${DATE_FORMS})`)
    return undefined
  }
  const [head, tail] = splitFirstLine(first)
  const parts = toString({ type: 'paragraph', children: head }).split(/\s*[|｜]\s*/)
  const date = parseDate(parts[0] ?? '')
  if (!date || parts.length < 2) {
    noDate(
      options.file,
      toString({ type: 'paragraph', children: head }).trim().slice(0, 60),
      first.position,
      `a first line \`date | place | event\` or \`date | event\` (dates as ${DATE_FORMS})`
    )
    return undefined
  }
  const place = parts.length >= 3 ? parts[1]!.trim() : undefined
  const event = parts
    .slice(parts.length >= 3 ? 2 : 1)
    .join(' | ')
    .trim()
  const rest: RootContent[] = []
  if (tail.length > 0) rest.push({ type: 'paragraph', children: tail })
  rest.push(...item.children.slice(1))
  const entry: Entry = { id, date, event, position: item.position }
  if (place) entry.place = place
  if (rest.length > 0) entry.note = toContent(rest, options).content
  return entry
}

/** Split a paragraph's inline content at its first line break. */
function splitFirstLine(paragraph: Paragraph): [PhrasingContent[], PhrasingContent[]] {
  const head: PhrasingContent[] = []
  const children = paragraph.children
  for (let index = 0; index < children.length; index++) {
    const child = children[index]!
    if (child.type === 'break') return [head, children.slice(index + 1)]
    if (child.type === 'text' && child.value.includes('\n')) {
      const at = child.value.indexOf('\n')
      head.push({ type: 'text', value: child.value.slice(0, at) })
      const after = child.value.slice(at + 1)
      const tail = children.slice(index + 1)
      return [head, after.trim() === '' ? tail : [{ type: 'text', value: after }, ...tail]]
    }
    head.push(child)
  }
  return [head, []]
}

function readTable(table: Table, next: () => string, options: ContentOptions): Entry[] {
  const [header, ...rows] = table.children
  const columns = (header?.children ?? []).map((cell) => COLUMNS[toString(cell).trim().toLowerCase()])
  if (!columns.includes('date') || !columns.includes('event')) {
    addError(
      options.file,
      `Unexpected timeline table columns ${(header?.children ?? []).map((cell) => '`' + toString(cell).trim() + '`').join(', ')}, expected at least \`date\` and \`event\` (or 日期 and 事件), optionally \`place\` and \`note\``,
      {
        ruleId: 'milestone-table',
        source: SOURCE,
        place: header?.position
      }
    )
    return []
  }
  const entries: Entry[] = []
  for (const row of rows) {
    const cell = (name: string) => {
      const index = columns.indexOf(name as 'date')
      return index === -1 ? undefined : row.children[index]
    }
    const dateText = toString(cell('date') ?? { type: 'text', value: '' }).trim()
    const event = toString(cell('event') ?? { type: 'text', value: '' }).trim()
    const date = parseDate(dateText)
    if (!date || !row.position) {
      noDate(options.file, event || dateText, row.position, `a date as ${DATE_FORMS} in the date column`)
      continue
    }
    const entry: Entry = { id: next(), date, event, position: row.position }
    const place = toString(cell('place') ?? { type: 'text', value: '' }).trim()
    if (place) entry.place = place
    const noteCell = cell('note')
    if (noteCell && toString(noteCell).trim() !== '') {
      entry.note = toContent([{ type: 'paragraph', children: noteCell.children }], options).content
    }
    entries.push(entry)
  }
  return entries
}
