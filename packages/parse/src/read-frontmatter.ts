import type { IssueMeta, Point, VFile } from '@masthead/core'
import { DATE_FORMS, PAPER_EXPECTED, addError, list, parseDate, parsePaper, schemaProblems, warn } from '@masthead/core'
import * as v from 'valibot'
import type { Document } from 'yaml'
import { LineCounter, isNode, parseDocument } from 'yaml'
import type { Yaml } from 'mdast'
import { findKeyboardMistakes } from './find-keyboard-mistakes.js'
import { checkAliases, MAX_ALIAS_EXPANSION } from './check-aliases.js'

const SOURCE = 'masthead:parse'

const text = (what: string) => v.pipe(v.string(`expected ${what}`), v.trim(), v.nonEmpty(`expected ${what}, not an empty value`))

/** The frontmatter schema: what an editor may write at the top of issue.md. */
export const frontmatterSchema = v.object({
  title: text("the newsletter's name"),
  issue: v.optional(
    v.pipe(
      v.union([v.string(), v.number()], 'expected the issue number or volume as printed'),
      v.transform(String),
      v.trim(),
      v.nonEmpty('expected the issue number or volume as printed, or no `issue:` line for an issue without one')
    )
  ),
  date: v.pipe(
    v.string(`expected the publication date as ${DATE_FORMS}`),
    v.check((value) => parseDate(value) !== undefined, `expected a real date as ${DATE_FORMS}`)
  ),
  lang: v.picklist(['zh-CN', 'en'], 'expected `zh-CN` or `en`'),
  publisher: text('who publishes the newsletter'),
  subject: v.optional(text('a one-line subject')),
  keywords: v.optional(v.union([v.array(v.string()), v.string()], 'expected a list of keywords, `[a, b]`')),
  url: v.optional(
    v.pipe(
      v.string('expected a URL'),
      v.url('expected an absolute URL, `https://…`'),
      v.regex(/^https?:\/\//i, 'expected a web address, `https://…` (no `javascript:`, `data:` or `file:` URLs)')
    )
  ),
  html: v.optional(v.boolean('expected `true` or `false`')),
  print: v.optional(
    v.object(
      {
        size: v.optional(
          v.pipe(
            v.string(PAPER_EXPECTED),
            v.check((value) => parsePaper(value) !== undefined, PAPER_EXPECTED)
          )
        ),
        bleed: v.optional(v.boolean('expected `true` or `false`')),
        pressReady: v.optional(v.boolean('expected `true` or `false`')),
        archival: v.optional(v.boolean('expected `true` or `false`'))
      },
      'expected print options: `size`, `bleed`, `pressReady`, `archival`'
    )
  ),
  email: v.optional(
    v.object(
      {
        mode: v.optional(v.picklist(['full', 'digest'], 'expected `full` or `digest`')),
        preheader: v.optional(v.string('expected the inbox preview line'))
      },
      'expected email options: `mode`, `preheader`'
    )
  )
})

/** What each required key holds, for "missing" messages. */
const REQUIRED: Record<string, string> = {
  title: "the newsletter's name, `title: …`",
  date: 'the publication date, `date: YYYY-MM-DD`',
  lang: 'the language, `lang: zh-CN` or `lang: en`',
  publisher: 'who publishes the newsletter, `publisher: …`'
}

/** The keys the frontmatter knows. */
export const FRONTMATTER_KEYS = Object.keys(frontmatterSchema.entries)

/** Validated frontmatter: the issue metadata plus source-only options. */
export interface Frontmatter {
  meta: IssueMeta
  /** Whether raw HTML in the Markdown is kept (sanitized). */
  html: boolean
}

/** A parsed YAML document and the way from its offsets to places in issue.md. */
interface YamlSource {
  doc: Document.Parsed
  /** The issue.md line the YAML text starts on (the line after the opening `---`). */
  startLine: number
  /** The place in issue.md of an offset into the YAML text. */
  at: (offset: number) => Point
}

type FrontmatterOutput = v.InferOutput<typeof frontmatterSchema>

/**
 * Parse and validate the YAML frontmatter node of an issue. Problems become messages on
 * `file`, positioned at the offending YAML node.
 *
 * @returns The metadata, or `undefined` when it is not usable.
 */
export function readFrontmatter(node: Yaml | undefined, file: VFile): Frontmatter | undefined {
  if (!node) {
    addError(
      file,
      'Missing frontmatter, expected the issue metadata between `---` lines at the top of the file (title, date, lang, publisher; issue when it has a number)',
      {
        ruleId: 'missing-frontmatter',
        source: SOURCE,
        place: { line: 1, column: 1 }
      }
    )
    return undefined
  }
  const yaml = parseYaml(node, file)
  if (!yaml) return undefined
  const data = toData(yaml, file)
  if (data === undefined) return undefined
  warnUnknownKeys(yaml, data, file)
  const result = v.safeParse(frontmatterSchema, data)
  if (!result.success) {
    reportSchemaIssues(yaml, result.issues, file)
    return undefined
  }
  return toFrontmatter(result.output)
}

/**
 * Parse the YAML text of the frontmatter. Keyboard mistakes, YAML errors and bad aliases
 * become messages on `file`.
 *
 * @returns The document, or `undefined` when it has errors.
 */
function parseYaml(node: Yaml, file: VFile): YamlSource | undefined {
  // The YAML text starts on the line after the opening `---`.
  const startLine = (node.position?.start.line ?? 1) + 1
  const counter = new LineCounter()
  const at = (offset: number): Point => {
    const pos = counter.linePos(offset)
    return { line: startLine + pos.line - 1, column: pos.col }
  }
  const doc = parseDocument(node.value, { lineCounter: counter, prettyErrors: false, uniqueKeys: true })
  // A full-width colon, space or curly quotes in a key: named as such, instead of the YAML
  // error (or the unknown key) they lead to.
  const mistakes = findKeyboardMistakes(node.value)
  for (const mistake of mistakes) {
    addError(file, mistake.reason, {
      ruleId: 'yaml-full-width',
      source: SOURCE,
      place: { line: startLine + mistake.line - 1, column: mistake.column }
    })
  }
  const mistaken = new Set(mistakes.map((mistake) => mistake.line))
  if (doc.errors.length > 0 || mistakes.length > 0) {
    for (const error of doc.errors) {
      if (mistaken.has(counter.linePos(error.pos[0]).line)) continue
      addError(file, `Unexpected YAML: ${error.message.split('\n')[0]}`, {
        ruleId: 'yaml',
        source: SOURCE,
        place: at(error.pos[0])
      })
    }
    return undefined
  }
  // Aliases are checked first, each at its place: turning an unresolved one into values
  // throws with no position, and a "billion laughs" expands without end.
  const aliasProblem = checkAliases(doc)
  if (aliasProblem) {
    addError(file, aliasProblem.reason, { ruleId: 'yaml-alias', source: SOURCE, place: at(aliasProblem.offset) })
    return undefined
  }
  return { doc, startLine, at }
}

/**
 * Turn the document into plain values and check that they are a mapping.
 *
 * @returns The mapping, or `undefined` (with a message on `file`) when it is not one.
 */
function toData(yaml: YamlSource, file: VFile): object | undefined {
  let data: unknown
  try {
    data = yaml.doc.toJS({ maxAliasCount: MAX_ALIAS_EXPANSION })
  } catch (error) {
    addError(file, `Unexpected YAML: ${error instanceof Error ? error.message : String(error)}`, {
      ruleId: 'yaml-alias',
      source: SOURCE,
      place: { line: yaml.startLine, column: 1 }
    })
    return undefined
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    addError(file, 'Unexpected frontmatter, expected `key: value` lines (title, date, lang, publisher; issue when it has a number)', {
      ruleId: 'frontmatter-shape',
      source: SOURCE,
      place: { line: yaml.startLine, column: 1 }
    })
    return undefined
  }
  return data
}

/** Warn, at the key, about each top-level key the frontmatter does not know. */
function warnUnknownKeys(yaml: YamlSource, data: object, file: VFile): void {
  for (const key of Object.keys(data)) {
    if (!FRONTMATTER_KEYS.includes(key)) {
      warn(file, `Unexpected frontmatter key \`${key}\`, expected one of ${list(FRONTMATTER_KEYS)}`, {
        ruleId: 'unknown-frontmatter-key',
        changesContent: true,
        source: SOURCE,
        place: keyPlace(yaml, key) ?? { line: yaml.startLine, column: 1 }
      })
    }
  }
}

/** Report each schema issue: a missing required key, or a value at its place. */
function reportSchemaIssues(yaml: YamlSource, issues: readonly v.InferIssue<typeof frontmatterSchema>[], file: VFile): void {
  for (const { path, label: name, missing, input, message } of schemaProblems(issues)) {
    if (missing) {
      addError(file, `Missing \`${name}\` in the frontmatter, expected ${REQUIRED[name] ?? 'a value'}`, {
        ruleId: 'missing-metadata',
        source: SOURCE,
        place: { line: yaml.startLine, column: 1 }
      })
    } else {
      addError(file, `Unexpected \`${name}\` value ${JSON.stringify(input)}, ${message}`, {
        ruleId: 'invalid-metadata',
        source: SOURCE,
        place: valuePlace(yaml, path)
      })
    }
  }
}

/** The issue metadata, with defaults, from validated frontmatter. */
function toFrontmatter(fm: FrontmatterOutput): Frontmatter {
  const keywords = typeof fm.keywords === 'string' ? fm.keywords.split(/[,，、]/) : (fm.keywords ?? [])
  const meta: IssueMeta = {
    title: fm.title,
    date: parseDate(fm.date)!,
    lang: fm.lang,
    publisher: fm.publisher,
    keywords: keywords.map((keyword) => keyword.trim()).filter(Boolean),
    editions: {
      print: {
        size: fm.print?.size ?? 'A4',
        bleed: fm.print?.bleed ?? false,
        pressReady: fm.print?.pressReady ?? false,
        archival: fm.print?.archival ?? false
      },
      email: { mode: fm.email?.mode ?? 'full' }
    }
  }
  if (fm.issue !== undefined) meta.issue = fm.issue
  if (fm.subject !== undefined) meta.subject = fm.subject
  if (fm.url !== undefined) meta.url = fm.url
  if (fm.email?.preheader !== undefined) meta.editions.email.preheader = fm.email.preheader
  return { meta, html: fm.html ?? false }
}

/** The place of the value at `path`, or of its nearest ancestor that has one. */
function valuePlace(yaml: YamlSource, path: readonly (string | number)[]): Point {
  for (let depth = path.length; depth > 0; depth--) {
    const found: unknown = yaml.doc.getIn(path.slice(0, depth), true)
    if (isNode(found) && found.range) return yaml.at(found.range[0])
  }
  return { line: yaml.startLine, column: 1 }
}

/** The place of the top-level key `key`. */
function keyPlace(yaml: YamlSource, key: string): Point | undefined {
  const contents = yaml.doc.contents
  if (!contents || !('items' in contents)) return undefined
  for (const pair of contents.items) {
    if (typeof pair === 'object' && pair !== null && 'key' in pair && isNode(pair.key)) {
      const node = pair.key
      if ('value' in node && node.value === key && node.range) return yaml.at(node.range[0])
    }
  }
  return undefined
}
