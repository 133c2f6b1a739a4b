import path from 'node:path'
import type { VFile } from 'vfile'
import type { VFileMessage } from 'vfile-message'

/** Options for {@link report}. */
export interface ReportOptions {
  /** Paths are printed relative to this folder (default: the current directory). */
  cwd?: string
  /**
   * Use ANSI colours, and end each line with the message's documentation link (default:
   * off; the CLI turns it on for a terminal). Piped output stays one line per message as
   * scripts read it; `toJson` always carries the link as `url`.
   */
  color?: boolean
  /** Leave out warnings and hints, except warnings that say content was dropped or changed (`changesContent`). */
  quiet?: boolean
}

/** A message as plain JSON, for `--format json`. */
export interface JsonMessage {
  file: string
  line: number | null
  column: number | null
  endLine: number | null
  endColumn: number | null
  severity: 'error' | 'warning' | 'info'
  message: string
  ruleId: string | null
  source: string | null
  /** Present and true when the warning means content was dropped or changed. */
  changesContent?: true
  /** Where the message is explained, with its fix: `docs/messages.md#<ruleId>`. */
  url: string | null
}

/** The severity word of a message. */
export function severity(message: VFileMessage): JsonMessage['severity'] {
  if (message.fatal === true) return 'error'
  if (message.fatal === false) return 'warning'
  return 'info'
}

function sortMessages(messages: readonly VFileMessage[]): VFileMessage[] {
  return [...messages].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
}

function relative(file: VFile, cwd: string): string {
  return file.path ? path.relative(cwd, path.resolve(file.cwd, file.path)) || file.path : '<input>'
}

/**
 * Print messages grouped by file, one per line, each starting with `file:line:column`
 * so terminals and editors can jump to it:
 *
 * ```
 * issues/x/issue.md
 *   issues/x/issue.md:12:3  error  Unexpected unknown section type `newz`, …  unknown-section-type  masthead:parse
 * ```
 *
 * In colour (a terminal) each line ends with the message's documentation link,
 * `docs/messages.md#unknown-section-type`, in grey after the rule id and source.
 *
 * @returns The report, ending with a summary line; empty when there is nothing to say.
 */
export function report(files: readonly VFile[], options: ReportOptions = {}): string {
  const cwd = options.cwd ?? process.cwd()
  const paint = (code: number, text: string): string => (options.color ? `\u001B[${code}m${text}\u001B[39m` : text)
  const lines: string[] = []
  let errors = 0
  let warnings = 0
  for (const [name, group] of groupByPath(files, cwd)) {
    const messages = sortMessages(group.flatMap((file) => file.messages)).filter(
      (message) => !options.quiet || message.fatal === true || message.changesContent === true
    )
    if (messages.length === 0) continue
    lines.push(options.color ? `\u001B[4m${name}\u001B[24m` : name)
    for (const message of messages) {
      const level = severity(message)
      if (level === 'error') errors++
      else if (level === 'warning') warnings++
      const where = message.line ? `${name}:${message.line}:${message.column ?? 1}` : name
      const word = level === 'error' ? paint(31, 'error  ') : level === 'warning' ? paint(33, 'warning') : paint(34, 'info   ')
      const tail = [message.ruleId, message.source, options.color ? message.url : undefined].filter(Boolean).join('  ')
      lines.push(`  ${where}  ${word}  ${message.reason}${tail ? '  ' + paint(90, tail) : ''}`)
    }
    lines.push('')
  }
  if (errors + warnings > 0) {
    const parts = []
    if (errors) parts.push(paint(31, `${errors} ${errors === 1 ? 'error' : 'errors'}`))
    if (warnings) parts.push(paint(33, `${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`))
    lines.push(parts.join(', '))
  }
  return lines.join('\n')
}

/** Files grouped by their path, in first-seen order: several VFiles may stand for one file. */
function groupByPath(files: readonly VFile[], cwd: string): Map<string, VFile[]> {
  const groups = new Map<string, VFile[]>()
  for (const file of files) {
    const name = relative(file, cwd)
    const group = groups.get(name)
    if (group) {
      if (!group.includes(file)) group.push(file)
    } else groups.set(name, [file])
  }
  return groups
}

/** Messages of `files` as plain JSON objects, for scripts and CI. */
export function toJson(files: readonly VFile[], cwd = process.cwd()): JsonMessage[] {
  return files.flatMap((file) =>
    sortMessages(file.messages).map((message) => ({
      file: relative(file, cwd),
      line: message.line ?? null,
      column: message.column ?? null,
      endLine: message.place && 'end' in message.place ? message.place.end.line : null,
      endColumn: message.place && 'end' in message.place ? message.place.end.column : null,
      severity: severity(message),
      message: message.reason,
      ruleId: message.ruleId ?? null,
      source: message.source ?? null,
      url: message.url ?? null,
      ...(message.changesContent ? { changesContent: true as const } : {})
    }))
  )
}
