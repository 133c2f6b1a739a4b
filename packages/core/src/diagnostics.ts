import { VFile } from 'vfile'
import type { Options, VFileMessage } from 'vfile-message'
import type { Point, Position } from './issue.js'
import { shorten, shortenMessage } from './shorten.js'

/** Where a message points: a point, a range, or nothing (the whole file). */
export type Place = Point | Position | undefined

/** Options for {@link addError} and {@link warn}. */
export interface MessageOptions {
  /** A stable id for the kind of problem, e.g. `unknown-section-type`. */
  ruleId: string
  /** The package that found it, e.g. `masthead:parse`. */
  source: string
  place?: Place
  /** What would have been right, for tooling that offers fixes. */
  expected?: string[]
  actual?: string
  cause?: Error
  /**
   * The warning means content the editor wrote was dropped, moved or changed (a field line
   * that stays in the body, raw HTML left out, a value replaced). Such a warning is never
   * hidden by a quiet report.
   */
  changesContent?: boolean
}

declare module 'vfile-message' {
  interface VFileMessage {
    /** Set by {@link warn} with `changesContent`: content was dropped or changed; a quiet report still prints it. */
    changesContent?: boolean
  }
}

/**
 * Add an error to `file` and return it. Errors stop a build, but this does not throw (unlike
 * `VFile#fail`): the caller goes on and collects every problem of the file.
 *
 * @param file The file at fault (issue.md, a template, a manifest).
 * @param reason "Unexpected X, expected Y", with values in backticks.
 */
export function addError(file: VFile, reason: string, options: MessageOptions): VFileMessage {
  const message = warn(file, reason, options)
  message.fatal = true
  return message
}

/**
 * Add a warning to `file`. Warnings are reported; the build goes on. Long values quoted in
 * `reason` are shortened (see {@link shortenMessage}).
 */
export function warn(file: VFile, reason: string, options: MessageOptions): VFileMessage {
  const init: Options = { ruleId: options.ruleId, source: options.source }
  if (options.place) init.place = options.place
  if (options.cause) init.cause = options.cause
  const message = file.message(shortenMessage(reason), init)
  message.fatal = false
  message.url = messageUrl(options.ruleId)
  if (options.expected) message.expected = options.expected.map((value) => shorten(value))
  if (options.actual !== undefined) message.actual = shorten(options.actual)
  if (options.changesContent) message.changesContent = true
  return message
}

/**
 * Where a rule's message is explained, with its fix: `docs/messages.md#<ruleId>`, relative
 * to the Masthead repository (every message carries it as `url`).
 */
export function messageUrl(ruleId: string): string {
  return `${MESSAGES_DOC}#${ruleId}`
}

/** The document that explains every message, relative to the repository root. */
export const MESSAGES_DOC = 'docs/messages.md'

/** Add a hint (neither warning nor error). */
export function info(file: VFile, reason: string, options: MessageOptions): VFileMessage {
  const message = warn(file, reason, options)
  message.fatal = undefined
  return message
}

/** True when any of `files` holds an error (or, with `strict`, a warning). */
export function hasErrors(files: Iterable<VFile>, strict = false): boolean {
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true || (strict && message.fatal === false)) return true
    }
  }
  return false
}

/** Format a list for a message: `` `a`, `b`, or `c` ``. */
export function list(values: readonly string[]): string {
  const quoted = values.map((value) => '`' + value + '`')
  if (quoted.length <= 1) return quoted.join('')
  return quoted.slice(0, -1).join(', ') + ', or ' + quoted.at(-1)
}

/** Turn a character offset into a 1-based point. */
export function pointAt(text: string, offset: number): Point {
  let line = 1
  let lineStart = 0
  const end = Math.min(offset, text.length)
  for (let index = 0; index < end; index++) {
    if (text.charCodeAt(index) === 10) {
      line++
      lineStart = index + 1
    }
  }
  return { line, column: end - lineStart + 1, offset: end }
}

export { VFile }
export type { VFileMessage }
