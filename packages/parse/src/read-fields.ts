import type { FieldSpec, FieldValue, Point, SectionType, VFile } from '@masthead/core'
import { DATE_FORMS, addError, list, parseDate, warn } from '@masthead/core'
import type { Paragraph } from 'mdast'
import { closest } from './closest.js'
import type { ImageResolver } from './resolve-image.js'

const SOURCE = 'masthead:parse'

const LINE = /^([\p{L}][\p{L}\p{N} _-]{0,30}?)\s*[:：]\s*(.*)$/u
const IMAGE = /^!\[([^\]]*)\]\(\s*<?([^\s)>]+)>?(?:\s+["“]([^"”]*)["”])?\s*\)$/u
const EMAIL = /^[^\s@<>()]+@[^\s@<>()]+\.[^\s@<>()]+$/

/** Normalize a field name for lookup: lower case, runs of space, `_` and `-` as one `-`. */
const normalize = (name: string) =>
  name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '-')

/** A table from every name and alias to the canonical field name. */
export function fieldNames(fields: Record<string, FieldSpec>): Map<string, string> {
  const names = new Map<string, string>()
  for (const [name, spec] of Object.entries(fields)) {
    names.set(normalize(name), name)
    for (const alias of spec.aliases ?? []) names.set(normalize(alias), name)
  }
  return names
}

/** One `name: value` line of a field block, with where its value starts. */
export interface FieldLine {
  name: string
  /** The canonical name, when the section knows it. */
  field: string | undefined
  value: string
  /** Where the name starts. */
  start: Point
  /** Where the value starts. */
  valueStart: Point
}

/**
 * Read a paragraph as a field block: every line `name: value` (ASCII or full-width colon,
 * optionally wrapped in parentheses) and at least one name known to the section.
 *
 * @returns The lines, or `undefined` when the paragraph is ordinary text.
 */
export function readFieldBlock(paragraph: Paragraph, source: string, names: Map<string, string>): FieldLine[] | undefined {
  const start = paragraph.position?.start
  const end = paragraph.position?.end
  if (start?.offset === undefined || end?.offset === undefined || names.size === 0) return undefined
  const raw = source.slice(start.offset, end.offset)
  const lines: FieldLine[] = []
  let known = 0
  let line = start.line
  for (const original of raw.split('\n')) {
    const offset = line === start.line ? start.column - 1 : 0
    let text = original.trim()
    const wrapped = /^[（(](.*)[）)]$/u.exec(text)
    if (wrapped) text = wrapped[1]!.trim()
    const match = LINE.exec(text)
    if (!match) return undefined
    const name = match[1]!.trim()
    const field = names.get(normalize(name))
    if (field) known++
    const value = match[2]!.trim()
    const nameIndex = original.indexOf(name)
    const colon = original.slice(nameIndex + name.length).search(/[:：]/) + nameIndex + name.length
    const valueIndex = value === '' ? colon + 1 : original.indexOf(value, colon + 1)
    lines.push({
      name,
      field,
      value,
      start: { line, column: offset + nameIndex + 1 },
      valueStart: { line, column: offset + valueIndex + 1 }
    })
    line++
  }
  return known > 0 ? lines : undefined
}

/** Where an item or section's fields came from, for messages. */
export interface FieldContext {
  file: VFile
  type: SectionType
  /** `item` or `section`. */
  owner: string
  specs: Record<string, FieldSpec>
  resolveImage: ImageResolver
}

/**
 * Check field lines against the section manifest and turn values into typed values.
 * Unknown names and empty values are warnings; values of the wrong type are errors. A line
 * whose name the section does not know is not a field: the caller keeps it in the body
 * (see {@link keepLines}), and the warning, which suggests the closest name, says so.
 */
export function typeFields(lines: readonly FieldLine[], context: FieldContext, into: Record<string, FieldValue>): void {
  const { file, type, owner, specs } = context
  const names = [...fieldNames(specs).entries()]
  for (const line of lines) {
    if (!line.field) {
      const guess = closest(
        normalize(line.name),
        names.map(([name]) => name)
      )
      const meant = guess === undefined ? undefined : names.find(([name]) => name === guess)?.[1]
      warn(
        file,
        `Unexpected field \`${line.name}\` in a \`${type.name}\` ${owner}, expected one of ${list(Object.keys(specs))}${meant ? ` (did you mean \`${meant}\`?)` : ''}; the line stays in the body`,
        {
          ruleId: 'unknown-field',
          source: SOURCE,
          place: line.start,
          expected: meant ? [meant] : Object.keys(specs),
          changesContent: true
        }
      )
      continue
    }
    const spec = specs[line.field]!
    if (line.value === '') {
      warn(file, `Unexpected empty field \`${line.name}\`, expected a value after the colon (or remove the line)`, {
        ruleId: 'empty-field',
        source: SOURCE,
        place: line.start
      })
      continue
    }
    if (line.field in into) {
      warn(file, `Unexpected second \`${line.field}\` field, expected one per ${owner}; the later one is used`, {
        ruleId: 'duplicate-field',
        source: SOURCE,
        place: line.start,
        changesContent: true
      })
    }
    const value = typeValue(line, spec, context)
    if (value !== undefined) into[line.field] = value
  }
}

function typeValue(line: FieldLine, spec: FieldSpec, context: FieldContext): FieldValue | undefined {
  const { file } = context
  const problem = (expected: string) =>
    void addError(file, `Unexpected \`${line.field}\` value \`${line.value}\`, expected ${expected}`, {
      ruleId: 'invalid-field',
      source: SOURCE,
      place: line.valueStart
    })
  switch (spec.type) {
    case 'date': {
      const date = parseDate(line.value)
      if (!date) problem(`a date as ${DATE_FORMS}`)
      return date
    }
    case 'url': {
      if (/^https?:\/\/[^\s/$.?#][^\s]*$/i.test(line.value)) return line.value
      problem('an absolute web address, `https://…`')
      return undefined
    }
    case 'email': {
      if (EMAIL.test(line.value)) return line.value
      problem('an email address, `name@example.org`')
      return undefined
    }
    case 'image': {
      const match = IMAGE.exec(line.value)
      const src = match ? match[2]! : line.value
      const image = context.resolveImage(src, match?.[1] ?? '', match?.[3], {
        start: line.valueStart,
        end: { line: line.valueStart.line, column: line.valueStart.column + line.value.length }
      })
      return image
    }
    case 'text':
      return line.value
  }
}

/**
 * Warn at each field line whose field `requires` another that the item does not have
 * (a QR caption without the `web` address it encodes).
 */
export function checkRequires(lines: readonly FieldLine[], into: Record<string, FieldValue>, context: FieldContext): void {
  for (const line of lines) {
    const needed = line.field ? context.specs[line.field]?.requires : undefined
    if (!line.field || needed === undefined || !(line.field in into) || needed in into) continue
    warn(
      context.file,
      `Unexpected \`${line.name}\` without \`${needed}\`, expected a line \`${needed}: …\` in the same ${context.owner} (\`${line.field}\` is printed only with it)`,
      {
        ruleId: 'field-requires',
        source: SOURCE,
        place: line.start
      }
    )
  }
}

/**
 * Add an error for each required field that is missing, and for an item that sets none of
 * its type's `titleFrom` fields (the fields that name who it is by).
 */
export function requireFields(into: Record<string, FieldValue>, context: FieldContext, place: Point | undefined): void {
  const titleFrom = context.owner === 'item' ? (context.type.titleFrom ?? []) : []
  if (titleFrom.length > 0 && !titleFrom.some((name) => name in into)) {
    const names = titleFrom.map((name) => `\`${name}\``).join(' or ')
    addError(
      context.file,
      `Missing field ${names} in a \`${context.type.name}\` ${context.owner}, expected a line \`${titleFrom[0]}: …\` under the heading (a ${context.type.name} item names who it is by)`,
      {
        ruleId: 'missing-field',
        source: SOURCE,
        place
      }
    )
  }
  for (const [name, spec] of Object.entries(context.specs)) {
    if (spec.required && !(name in into)) {
      addError(
        context.file,
        `Missing required field \`${name}\` in a \`${context.type.name}\` ${context.owner}, expected a line \`${name}: …\` under the heading`,
        {
          ruleId: 'missing-field',
          source: SOURCE,
          place
        }
      )
    }
  }
}
