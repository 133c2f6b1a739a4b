import path from 'node:path'
import type { FieldValue, Issue, Section, SectionBreak, SectionType, SectionTypes } from '@masthead/core'
import type { VFile } from '@masthead/core'
import { addError, hasErrors, list, warn } from '@masthead/core'
import type { ContainerDirective } from 'mdast-util-directive'
import type { Root, RootContent, Yaml } from 'mdast'
import { toString } from 'mdast-util-to-string'
import { createProcessor } from './create-processor.js'
import { checkDepth } from './check-depth.js'
import { checkSize } from './check-size.js'
import { closest } from './closest.js'
import { readEntries } from './read-entries.js'
import { readFrontmatter } from './read-frontmatter.js'
import { readParts } from './read-parts.js'
import { readSource } from './read-source.js'
import { createImageResolver } from './resolve-image.js'
import { toContent } from './to-content.js'

const SOURCE = 'masthead:parse'

/** Options for {@link parseIssue} and {@link parseIssueFile}. */
export interface ParseOptions {
  /** The known section types (from `@masthead/layout`'s `loadSectionTypes`). */
  sections: SectionTypes
  /** Folder that paths in messages are relative to (default: the current directory). */
  cwd?: string
}

/** The outcome of parsing: the Issue when the source has no errors, and the messages. */
export interface ParseResult {
  issue: Issue | undefined
  file: VFile
}

/**
 * Parse `issues/<issue>/issue.md` into the Issue model.
 *
 * @param source Path of the issue folder or of its `issue.md`.
 * @returns The issue (absent when there are errors) and the source's VFile with every message.
 */
export async function parseIssue(source: string, options: ParseOptions): Promise<ParseResult> {
  const absolute = path.resolve(options.cwd ?? process.cwd(), source)
  const filePath = absolute.endsWith('.md') ? absolute : path.join(absolute, 'issue.md')
  const file = await readSource(filePath, options.cwd)
  if (hasErrors([file])) return { issue: undefined, file }
  return parseIssueFile(file, options)
}

/**
 * Parse an issue source that is already in a VFile (its `path` names `issue.md` inside the
 * issue folder; images are resolved against that folder).
 */
export function parseIssueFile(file: VFile, options: ParseOptions): ParseResult {
  const dir = path.dirname(path.resolve(file.cwd, file.path))
  const tree = createProcessor().parse(file) as Root
  if (!checkDepth(tree, file) || !checkSize(tree, file)) return { issue: undefined, file }
  const yaml = tree.children.find((node): node is Yaml => node.type === 'yaml')
  const frontmatter = readFrontmatter(yaml, file)
  const resolveImage = createImageResolver(dir, file)
  const contentOptions = {
    file,
    resolveImage,
    html: frontmatter?.html ?? false,
    baseUrl: frontmatter?.meta.url,
    lang: frontmatter?.meta.lang ?? 'en'
  }
  const sections: Section[] = []
  const counts = new Map<string, number>()
  const ids = new Map<string, Section>()
  let stray: RootContent | undefined

  for (const node of tree.children) {
    if (node.type === 'yaml') continue
    if (node.type === 'containerDirective') {
      stray = undefined
      const section = readSection(node, file, options.sections, counts, contentOptions, frontmatter?.meta.lang ?? 'en')
      if (!section) continue
      const first = ids.get(section.id)
      if (first) {
        addError(file, `Unexpected duplicate section id \`${section.id}\`, expected each id once`, {
          ruleId: 'duplicate-id',
          source: SOURCE,
          place: section.position
        })
      }
      ids.set(section.id, section)
      sections.push(section)
      continue
    }
    if (node.type === 'html' && /^<!--[\s\S]*-->$/.test(node.value.trim())) continue
    if (node.type === 'leafDirective' && options.sections.has(node.name)) {
      addError(file, `Unexpected \`::${node.name}\` with two colons, expected \`:::${node.name}\` to open a section`, {
        ruleId: 'leaf-section',
        source: SOURCE,
        place: node.position
      })
      continue
    }
    if (!stray) {
      stray = node
      addError(
        file,
        `Unexpected content outside a section (“${toString(node).slice(0, 30)}”), expected it inside \`:::type[Title]\` … \`:::\`; it would be left out of every edition`,
        {
          ruleId: 'content-outside-section',
          source: SOURCE,
          place: node.position
        }
      )
    }
  }
  if (frontmatter && sections.length === 0 && !hasErrors([file])) {
    addError(
      file,
      `Missing sections, expected at least one \`:::type[Title]\` … \`:::\` (types: ${list([...options.sections.keys()].sort())})`,
      {
        ruleId: 'no-sections',
        source: SOURCE,
        place: { line: (yaml?.position?.end.line ?? 0) + 1, column: 1 }
      }
    )
  }
  if (!frontmatter || hasErrors([file])) return { issue: undefined, file }
  const issue: Issue = {
    slug: path.basename(dir),
    dir,
    source: path.resolve(file.cwd, file.path),
    meta: frontmatter.meta,
    sections
  }
  return { issue, file }
}

function readSection(
  node: ContainerDirective,
  file: VFile,
  types: SectionTypes,
  counts: Map<string, number>,
  contentOptions: Parameters<typeof toContent>[1],
  lang: string
): Section | undefined {
  const type = types.get(node.name)
  const position = node.position!
  if (!type) {
    const known = [...types.keys()].sort()
    const guess = closest(node.name, known)
    addError(file, `Unknown section type \`${node.name}\`, expected one of ${list(known)}${guess ? ` (did you mean \`${guess}\`?)` : ''}`, {
      ruleId: 'unknown-section-type',
      source: SOURCE,
      place: { start: position.start, end: { line: position.start.line, column: position.start.column + 3 + node.name.length } },
      expected: known,
      actual: node.name
    })
    return undefined
  }
  checkClosed(node, file)
  for (const child of node.children) {
    if (child.type === 'containerDirective') {
      addError(
        file,
        `Unexpected section \`${child.name}\` inside section \`${node.name}\`, expected \`:::\` to close \`${node.name}\` first`,
        {
          ruleId: 'nested-section',
          source: SOURCE,
          place: child.position
        }
      )
    }
  }
  const children = node.children.filter(
    (child) => !(child.type === 'paragraph' && child.data?.directiveLabel) && child.type !== 'containerDirective'
  )
  const label = node.children.find((child) => child.type === 'paragraph' && child.data?.directiveLabel)
  const count = (counts.get(type.name) ?? 0) + 1
  counts.set(type.name, count)
  const attributeId = node.attributes?.id
  const id = attributeId && /^[A-Za-z][\w-]*$/.test(attributeId) ? attributeId : `${type.name}-${count}`
  const section: Section = {
    id,
    type: type.name,
    title: label ? toString(label).trim() : defaultTitle(type, lang),
    fields: sectionFields(node, type),
    intro: { html: '', text: '' },
    items: [],
    parts: [],
    entries: [],
    position
  }
  const breakValue = readBreak(node, file)
  if (breakValue !== undefined) section.break = breakValue
  if (type.entries) {
    const body = readEntries(children, id, contentOptions)
    section.intro = toContent(body.intro, contentOptions).content
    section.entries = body.entries
  } else {
    const body = readParts(children, { ...contentOptions, type, sectionId: id })
    section.intro = body.intro
    section.items = body.items
    section.parts = body.parts
  }
  if (section.items.length === 0 && section.parts.length === 0 && section.entries.length === 0 && section.intro.text === '') {
    warn(file, `Unexpected empty section \`${type.name}\`, expected items (\`## Headline\`)${type.entries ? ' or dated entries' : ''}`, {
      ruleId: 'empty-section',
      source: SOURCE,
      place: position
    })
  }
  return section
}

const BREAKS: readonly SectionBreak[] = ['page', 'auto']

/** The editor's `{break=page}` / `{break=auto}` on a section's opening line. */
function readBreak(node: ContainerDirective, file: VFile): SectionBreak | undefined {
  const value = node.attributes?.break
  if (value === undefined || value === null) return undefined
  const found = BREAKS.find((known) => known === value.trim().toLowerCase())
  if (found) return found
  const start = node.position!.start
  const line = String(file.value).split('\n')[start.line - 1] ?? ''
  const at = line.search(/break\s*=/)
  addError(
    file,
    `Unexpected \`break=${value}\`, expected \`break=page\` (start on a new page) or \`break=auto\` (flow on after the previous section)`,
    {
      ruleId: 'section-break',
      source: SOURCE,
      place: at >= 0 ? { line: start.line, column: at + 1 } : start,
      expected: [...BREAKS],
      actual: value
    }
  )
  return undefined
}

function defaultTitle(type: SectionType, lang: string): string {
  return type.title[lang] ?? type.title.en ?? Object.values(type.title)[0] ?? type.name
}

function sectionFields(node: ContainerDirective, type: SectionType): Record<string, FieldValue> {
  const fields: Record<string, FieldValue> = {}
  for (const [key, value] of Object.entries(node.attributes ?? {})) {
    if (key in type.sectionFields && typeof value === 'string') fields[key] = value
  }
  return fields
}

/** remark-directive runs an unclosed `:::` to the end of the document; say so. */
function checkClosed(node: ContainerDirective, file: VFile): void {
  const end = node.position?.end.offset
  const text = String(file.value)
  if (end === undefined) return
  const lastLine = text.slice(text.lastIndexOf('\n', end - 1) + 1, end)
  if (/^\s*:{3,}\s*$/.test(lastLine)) return
  addError(file, `Unclosed section \`${node.name}\`, expected a line \`:::\` to close it (it runs to the end of the file)`, {
    ruleId: 'unclosed-section',
    source: SOURCE,
    place: {
      start: node.position!.start,
      end: { line: node.position!.start.line, column: node.position!.start.column + 3 + node.name.length }
    }
  })
}
