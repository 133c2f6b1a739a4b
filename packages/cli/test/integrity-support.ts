/**
 * The integrity invariant of issue 13: every text node of an issue's source reaches every
 * edition — the print PDF (pdftotext), the full email HTML (parsed with parse5) and the
 * text part — or, in digest mode, its item's excerpt plus a working link to the full text.
 * What an edition leaves out on purpose is listed by the section type's manifest (`omits`).
 *
 * Comparison: each piece of source text is normalized (NFKC, lower case, only letters,
 * digits and marks kept) and must occur in the edition's text normalized the same way. So
 * line breaks, CJK line breaking, hyphenation, punctuation and case do not count; a word
 * that is missing does. Field names (`source:`, `来源：`) and a timeline table's column
 * names are syntax, not content: the values must arrive, the names need not. Dates are
 * printed in the issue's language: one of their printed forms must arrive.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, readdirSync } from 'node:fs'
import path from 'node:path'
import { createProcessor, parseDate } from '@masthead/parse'
import type { Issue } from '@masthead/core'
import type { Nodes, Root } from 'mdast'
import type {} from 'mdast-util-directive'
import { toString } from 'mdast-util-to-string'
import { parse as parseHtml } from 'parse5'

/** The editions compared, and the name a manifest's `omits` uses for each. */
export type EditionKey = 'print' | 'email' | 'text'
export const EDITION_KEYS: readonly EditionKey[] = ['print', 'email', 'text']

/** One piece of source text that must reach the editions. */
export interface Unit {
  /** As written (for messages). */
  text: string
  /** Normalized forms, any of which counts as arrived (one, or a date's printed forms). */
  forms: string[]
  line: number
  /** The section type it is in. */
  type: string | undefined
  /** The canonical field name, when the text is a field's value. */
  field: string | undefined
}

export const normalize = (text: string): string =>
  text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}]+/gu, '')

/** A mailing platform's merge tag, and the pseudo field name its units carry. */
const MERGE_TAG = /\*\|[A-Za-z0-9_:-]+\|\*/
export const MERGE_FIELD = '*merge-tag*'
/** The pseudo field name of an empty section's title. */
export const EMPTY_SECTION = '*empty-section*'
const LINE = /^([\p{L}][\p{L}\p{N} _-]{0,30}?)\s*[:：]\s*(.*)$/u
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

/** A date's printed forms (see the layout's formatDate): with or without the year, as the timeline groups by year. */
export function dateForms(value: string): string[] | undefined {
  const date = parseDate(value.trim())
  if (!date) return undefined
  const { year, month, day } = date
  if (month === undefined) return [String(year)]
  const name = MONTHS[month - 1]!
  const forms =
    day === undefined
      ? [`${year}年${month}月`, `${month}月`, `${name}${year}`, name]
      : [`${year}年${month}月${day}日`, `${month}月${day}日`, `${day}${name}${year}`, `${day}${name}`]
  return [...forms.map(normalize), normalize(date.iso)]
}

/** Section manifests of a templates folder: field names (with aliases) and `omits`. */
export interface Manifests {
  names: Map<string, Map<string, string>>
  types: Map<string, { date: Set<string>; entries: boolean; omits: Partial<Record<EditionKey, string[]>> }>
}

export function readManifests(templates: string): Manifests {
  const names = new Map<string, Map<string, string>>()
  const types: Manifests['types'] = new Map()
  const dir = path.join(templates, 'sections')
  for (const entry of readdirSync(dir)) {
    let manifest: {
      name: string
      entries?: unknown
      fields?: Record<string, { type: string; aliases?: string[] }>
      sectionFields?: Record<string, { type: string; aliases?: string[] }>
      omits?: Partial<Record<EditionKey, string[]>>
    }
    try {
      manifest = JSON.parse(readFileSync(path.join(dir, entry, 'section.json'), 'utf8'))
    } catch {
      continue
    }
    const table = new Map<string, string>()
    const date = new Set<string>()
    for (const [name, spec] of Object.entries({ ...manifest.sectionFields, ...manifest.fields })) {
      for (const alias of [name, ...(spec.aliases ?? [])])
        table.set(
          alias
            .trim()
            .toLowerCase()
            .replace(/[\s_-]+/g, '-'),
          name
        )
      if (spec.type === 'date') date.add(name)
    }
    names.set(manifest.name, table)
    types.set(manifest.name, { date, entries: manifest.entries !== undefined, omits: manifest.omits ?? {} })
  }
  return { names, types }
}

/** Every text node of `issue.md` as units: headings, paragraphs line by line, list items, table cells, section titles. */
export function sourceUnits(source: string, manifests: Manifests): Unit[] {
  const tree = createProcessor().parse(source) as Root
  const units: Unit[] = []
  const add = (text: string, line: number, type: string | undefined, field?: string) => {
    const trimmed = text.trim()
    if (normalize(trimmed) === '') return
    const dated = field !== undefined && type !== undefined && manifests.types.get(type)?.date.has(field)
    // A web address may be printed without its scheme (`example.org/x`).
    const bare = trimmed.replace(/^https?:\/\/(www\.)?/i, '').replace(/\/$/, '')
    const forms = (dated ? dateForms(trimmed) : undefined) ?? [...new Set([normalize(trimmed), normalize(bare)])]
    units.push({ text: trimmed, forms, line, type, field })
  }
  /** The text pieces of a paragraph or heading, per source line: each text node's part on that line. */
  const pieces = (node: Nodes, into: Map<number, string[]>) => {
    if (node.type === 'text' || node.type === 'inlineCode') {
      const start = node.position?.start.line ?? 0
      node.value.split('\n').forEach((part, index) => into.set(start + index, [...(into.get(start + index) ?? []), part]))
      return
    }
    if (node.type === 'image' || node.type === 'html') return
    if ('children' in node) for (const child of node.children) pieces(child as Nodes, into)
  }
  /** A line of a paragraph: a field line gives its value; a timeline line its cells; any other line its text nodes. */
  const addLine = (raw: string, line: number, type: string | undefined, parts: readonly string[]) => {
    let text = raw.trim()
    const wrapped = /^[（(](.*)[）)]$/u.exec(text)
    if (wrapped) text = wrapped[1]!.trim()
    const match = LINE.exec(text)
    const field =
      match && type
        ? manifests.names.get(type)?.get(
            match[1]!
              .trim()
              .toLowerCase()
              .replace(/[\s_-]+/g, '-')
          )
        : undefined
    if (match && field) return add(match[2]!, line, type, field)
    // A paragraph with a merge tag (`*|UNSUB|*`) is a mailing platform's: the print layout
    // leaves it out on purpose (layout's dropMergeTags); the email must carry it.
    if (MERGE_TAG.test(raw)) {
      for (const part of parts) add(part, line, type, MERGE_FIELD)
      return
    }
    const plain = parts
    if (type !== undefined && manifests.types.get(type)?.entries && plain.join('').includes('|')) {
      for (const cell of plain.join('').split('|')) add(cell, line, type, dateForms(cell) ? 'date' : undefined)
      return
    }
    for (const part of plain) add(part, line, type)
  }
  const walk = (node: Nodes, type: string | undefined) => {
    const line = node.position?.start.line ?? 0
    switch (node.type) {
      case 'yaml':
      case 'html':
      case 'image':
      case 'imageReference':
      case 'definition':
      case 'thematicBreak':
        return
      case 'containerDirective': {
        // An empty section (warned about) has only its title: print leaves it out.
        const empty = node.children.every(
          (child) => child.type === 'paragraph' && child.data && 'directiveLabel' in child.data && child.data.directiveLabel
        )
        for (const child of node.children) {
          if (empty && child.type === 'paragraph') add(toString(child), child.position?.start.line ?? line, node.name, EMPTY_SECTION)
          else walk(child, node.name)
        }
        return
      }
      case 'paragraph':
      case 'heading': {
        if (node.type === 'paragraph' && node.data && 'directiveLabel' in node.data && node.data.directiveLabel)
          return add(toString(node), line, type)
        const byLine = new Map<number, string[]>()
        pieces(node, byLine)
        const text = node.children
          .filter((child) => child.type !== 'image' && child.type !== 'html')
          .map((child) => toString(child))
          .join('')
        text.split('\n').forEach((part, index) => addLine(part, line + index, type, byLine.get(line + index) ?? []))
        return
      }
      case 'table': {
        node.children
          .slice(1)
          .forEach((row) =>
            row.children.forEach((cell) =>
              add(toString(cell), cell.position?.start.line ?? line, type, dateForms(toString(cell)) ? 'date' : undefined)
            )
          )
        return
      }
      case 'code':
      case 'inlineCode':
        return add(node.value, line, type)
      default:
        if ('children' in node) for (const child of node.children) walk(child as Nodes, type)
    }
  }
  walk(tree, undefined)
  // A date cell of a timeline: its forms are a date's.
  for (const unit of units) if (unit.field === 'date') unit.forms = dateForms(unit.text) ?? unit.forms
  return units
}

/**
 * Two readings of the print PDF's text, page by page, without the running header (the
 * newsletter's and a section's title) and footer (the page number): in content-stream order
 * (`pdftotext -raw`: Chromium draws text in document order, so columns stay whole), and in
 * physical order (the default: a paragraph running over a page break stays whole even when
 * a pull quote is drawn after it). A piece of text counts as printed when either holds it.
 */
export function pdfText(file: string, titles: readonly string[]): string[] {
  return [pdfReading(file, titles, ['-raw']), pdfReading(file, titles, [])]
}

/** One reading of the PDF's text: `-raw` (content-stream order) or the default (physical order). */
function pdfReading(file: string, titles: readonly string[], mode: string[]): string {
  const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1] ?? 0)
  const known = [...new Set(titles.map(normalize))].filter(Boolean).sort((a, b) => b.length - a.length)
  const running = (line: string): boolean => {
    let rest = normalize(line)
    if (/^\d*$/.test(rest)) return true
    for (const title of known) rest = rest.replaceAll(title, '')
    return rest === ''
  }
  const texts: string[] = []
  for (let page = 1; page <= pages; page++) {
    const lines = execFileSync('pdftotext', [...mode, '-enc', 'UTF-8', '-f', String(page), '-l', String(page), file, '-'], {
      encoding: 'utf8'
    })
      .split('\n')
      .filter((line) => line.trim() !== '' && line !== '\f')
    for (let count = 0; count < 3 && lines.length > 0 && running(lines[0]!); count++) lines.shift()
    for (let count = 0; count < 2 && lines.length > 0 && running(lines.at(-1)!); count++) lines.pop()
    texts.push(lines.join('\n'))
  }
  return texts.join('\n')
}

/** The text of an HTML document's body (what a reader sees, and the addresses of its links), with parse5. */
export function htmlText(html: string): string {
  const parts: string[] = []
  type Node = { nodeName: string; value?: string; attrs?: Array<{ name: string; value: string }>; childNodes?: Node[]; content?: Node }
  const visit = (node: Node) => {
    if (['style', 'script', 'head', 'title'].includes(node.nodeName)) return
    if (node.nodeName === '#text') parts.push(node.value ?? '')
    // A link's address reaches the reader too (a url field is often a button).
    if (node.nodeName === 'a') parts.push(node.attrs?.find((attr) => attr.name === 'href')?.value ?? '')
    for (const child of node.childNodes ?? []) visit(child)
  }
  visit(parseHtml(html) as unknown as Node)
  return parts.join(' ')
}

/** What one edition lost. */
export interface EditionCheck {
  /** Normalized characters of the source units. */
  source: number
  /** Of those, found in the edition. */
  found: number
  /** Units not found and not left out on purpose. */
  missing: Unit[]
  /** Units not in full, accepted as their item's excerpt with a link (digest mode). */
  excerpted: number
  /** Units left out on purpose (manifest `omits`). */
  omitted: number
}

/**
 * Compare units with an edition's text.
 *
 * @param digest In digest mode: a unit of an item's body that is not found passes when the
 *   item's headline is in the edition and `linked(item)` says a link to the full text follows it.
 */
export function checkEdition(
  units: readonly Unit[],
  text: string | readonly string[],
  edition: EditionKey,
  manifests: Manifests,
  digest?: { issue: Issue; linked: (headline: string, next: string | undefined) => boolean }
): EditionCheck {
  const readings = (typeof text === 'string' ? [text] : text).map(normalize)
  const result: EditionCheck = { source: 0, found: 0, missing: [], excerpted: 0, omitted: 0 }
  const items = digest ? digest.issue.sections.flatMap((section) => section.items) : []
  for (const unit of units) {
    const size = unit.forms[0]!.length
    result.source += size
    if (unit.forms.some((form) => readings.some((reading) => reading.includes(form)))) {
      result.found += size
      continue
    }
    const dropsTags = edition === 'print' && (unit.field === MERGE_FIELD || unit.field === EMPTY_SECTION)
    if (dropsTags || (unit.field && unit.type && manifests.types.get(unit.type)?.omits[edition]?.includes(unit.field))) {
      result.omitted++
      continue
    }
    const index = items.findIndex((item) => unit.line > item.position.start.line && unit.line <= item.position.end.line)
    const item = items[index]
    if (
      digest &&
      item?.headline &&
      readings.some((reading) => reading.includes(normalize(item.headline!))) &&
      digest.linked(item.headline, items.slice(index + 1).find((next) => next.headline)?.headline)
    ) {
      result.excerpted++
      continue
    }
    result.missing.push(unit)
  }
  return result
}

/** Whether the HTML between a headline and the next one holds a link to the web (`href="https://…"`). */
export function htmlLinkAfter(html: string, headline: string, next: string | undefined): boolean {
  const escape = (value: string) => value.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')
  const start = html.indexOf(escape(headline))
  if (start < 0) return false
  const end = next === undefined ? -1 : html.indexOf(escape(next), start + 1)
  return /href="https?:\/\//.test(html.slice(start, end < 0 ? undefined : end))
}

/** Whether the text part between a headline and the next one holds a web address. */
export function textLinkAfter(text: string, headline: string, next: string | undefined): boolean {
  const start = text.indexOf(headline)
  if (start < 0) return false
  const end = next === undefined ? -1 : text.indexOf(next, start + 1)
  return /https?:\/\/\S+/.test(text.slice(start, end < 0 ? undefined : end))
}
