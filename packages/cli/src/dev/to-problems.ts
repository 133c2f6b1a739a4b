import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { VFile, VFileMessage } from '@masthead/core'
import { severity } from '@masthead/core'

/** One line of a code frame. */
export interface FrameLine {
  line: number
  text: string
  /** The line the message points at. */
  marked: boolean
}

/** A message as the preview page shows it: where, what, and the source lines around it. */
export interface Problem {
  severity: 'error' | 'warning' | 'info'
  /** The file, relative to the project root (`issues/x/issue.md`). */
  file: string
  line: number | null
  column: number | null
  /** `file:line:column` (or `file` when the message has no place). */
  where: string
  message: string
  ruleId: string | null
  source: string | null
  /** Up to {@link FRAME_CONTEXT} lines either side of `line`. */
  frame: FrameLine[]
  /** The place in another file that led here (an issue line feeding a template). */
  cause?: { where: string; message: string }
}

/** Lines shown either side of the line at fault. */
export const FRAME_CONTEXT = 3

const MAX_LINE = 240

/**
 * The source lines around `line` (1-based), the faulty one marked.
 *
 * @param source The whole file.
 * @param line The line at fault.
 */
export function codeFrame(source: string, line: number, context = FRAME_CONTEXT): FrameLine[] {
  const lines = source.split(/\r?\n/)
  // A final newline ends the last line; it does not start an empty one.
  if (lines.length > 1 && lines.at(-1) === '' && line < lines.length) lines.pop()
  if (line < 1 || line > lines.length + 1) return []
  const first = Math.max(1, line - context)
  const last = Math.min(lines.length, line + context)
  const frame: FrameLine[] = []
  for (let number = first; number <= last; number++) {
    const text = lines[number - 1] ?? ''
    frame.push({ line: number, text: text.length > MAX_LINE ? text.slice(0, MAX_LINE) + '…' : text, marked: number === line })
  }
  return frame
}

function whereOf(file: string, line: number | null | undefined, column: number | null | undefined): string {
  return line ? `${file}:${line}:${column ?? 1}` : file
}

function causeOf(message: VFileMessage, root: string): Problem['cause'] {
  const cause = message.cause
  if (!cause || typeof cause !== 'object' || !('reason' in cause)) return undefined
  const inner = cause as VFileMessage
  const file = inner.file ? path.relative(root, path.resolve(root, inner.file)) : ''
  return { where: whereOf(file, inner.line, inner.column), message: inner.reason }
}

/**
 * The messages of `files` as problems with code frames, errors first, each message once
 * (several VFiles may stand for one file). Frames come from the VFile's value, or from
 * the file on disk.
 *
 * @param files VFiles of a build.
 * @param root The project root: paths are shown relative to it.
 */
export async function toProblems(files: readonly VFile[], root: string): Promise<Problem[]> {
  const problems: Problem[] = []
  const seen = new Set<string>()
  const sources = new Map<string, Promise<string | undefined>>()
  const sourceOf = (file: VFile, absolute: string): Promise<string | undefined> => {
    const value = file.value === undefined || file.value === null ? '' : String(file.value)
    if (value !== '') return Promise.resolve(value)
    let source = sources.get(absolute)
    if (!source) {
      source = readFile(absolute, 'utf8').catch(() => undefined)
      sources.set(absolute, source)
    }
    return source
  }
  for (const file of files) {
    if (file.messages.length === 0) continue
    const absolute = file.path ? path.resolve(file.cwd, file.path) : ''
    const name = absolute ? path.relative(root, absolute) || file.path : '<input>'
    for (const message of file.messages) {
      const where = whereOf(name, message.line, message.column)
      const key = `${where}\n${message.reason}`
      if (seen.has(key)) continue
      seen.add(key)
      const source = message.line && absolute ? await sourceOf(file, absolute) : undefined
      const cause = causeOf(message, root)
      problems.push({
        severity: severity(message),
        file: name,
        line: message.line ?? null,
        column: message.column ?? null,
        where,
        message: message.reason,
        ruleId: message.ruleId ?? null,
        source: message.source ?? null,
        frame: source !== undefined && message.line ? codeFrame(source, message.line) : [],
        ...(cause ? { cause } : {})
      })
    }
  }
  const rank = { error: 0, warning: 1, info: 2 } as const
  return problems.sort((a, b) => rank[a.severity] - rank[b.severity])
}

/**
 * A problem for an exception thrown by a build (a bug, a crashed browser): the preview
 * shows it like any other error rather than dying.
 *
 * @param error What was thrown.
 * @param file The file being rebuilt, relative to the root.
 */
export function thrownProblem(error: unknown, file: string): Problem {
  const message = error instanceof Error ? error.message : String(error)
  return {
    severity: 'error',
    file,
    line: null,
    column: null,
    where: file,
    message: `Cannot build: ${message}`,
    ruleId: 'build-crash',
    source: 'masthead:dev',
    frame: []
  }
}
