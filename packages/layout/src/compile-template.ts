import type { VFile } from '@masthead/core'
import { addError } from '@masthead/core'
import type Handlebars from 'handlebars'
import { TemplateSyntaxError, parseWithPlaces } from './handlebars-parser.js'

const SOURCE = 'masthead:layout'

/** A Handlebars environment made by `Handlebars.create()`. */
export type HandlebarsEnv = ReturnType<typeof Handlebars.create>

/** A compiled template, called with a context and Handlebars runtime options. */
export type Template = (context: unknown, options?: Handlebars.RuntimeOptions) => string

/** Read a Handlebars error's 0-based column into a 1-based place. */
export function exceptionPlace(error: unknown): { line: number; column: number } | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const { lineNumber, column } = error as { lineNumber?: unknown; column?: unknown }
  if (typeof lineNumber !== 'number') return undefined
  return { line: lineNumber, column: typeof column === 'number' ? column + 1 : 1 }
}

/** The first line of a Handlebars message, without its ` - 3:4` suffix. */
export function exceptionReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/ - \d+:\d+$/, '')
}

/**
 * Compile the template in `file` (its `value` is the source) in `hbs`: strict (a missing
 * field is an error), only known helpers (a misspelled helper is a compile error).
 * A syntax error becomes a message on `file` at its line and column. `noEscape` for
 * plain-text templates (the text edition), whose output is not HTML.
 *
 * @returns The template, or `undefined` when it does not parse.
 */
export function compileTemplate(
  hbs: HandlebarsEnv,
  file: VFile,
  knownHelpers: readonly string[],
  options: { noEscape?: boolean } = {}
): Template | undefined {
  const source = String(file.value)
  let ast: hbs.AST.Program
  try {
    ast = parseWithPlaces(hbs, source)
  } catch (error) {
    const place =
      error instanceof TemplateSyntaxError && error.line !== undefined
        ? { line: error.line, column: error.column ?? 1 }
        : exceptionPlace(error)
    const reason = exceptionReason(error)
      .replace(/^Parse error on line \d+:\n[^\n]*\n[^\n]*\n/, '')
      .replace(/\n/g, ' ')
    addError(file, `Cannot parse template: ${reason}`, {
      ruleId: 'template-syntax',
      source: SOURCE,
      place,
      ...(error instanceof Error ? { cause: error } : {})
    })
    return undefined
  }
  const known: Record<string, boolean> = {}
  for (const name of knownHelpers) known[name] = true
  return hbs.compile(ast, { strict: true, knownHelpers: known, knownHelpersOnly: true, noEscape: options.noEscape === true }) as Template
}
