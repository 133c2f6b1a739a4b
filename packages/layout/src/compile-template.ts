import type { VFile } from '@masthead/core'
import { addError } from '@masthead/core'
import type Handlebars from 'handlebars'

const SOURCE = 'masthead:layout'

/** A Handlebars environment made by `Handlebars.create()`. */
export type HandlebarsEnv = ReturnType<typeof Handlebars.create>

/** A compiled template, called with a context and Handlebars runtime options. */
export type Template = (context: unknown, options?: Handlebars.RuntimeOptions) => string

interface JisonLocation {
  first_line: number
  first_column: number
}

interface JisonParser {
  yy: { parseError?: (message: string, hash: unknown) => never }
  lexer: { yylloc?: JisonLocation }
}

/** A parse error with the place of the token it stopped at. */
class TemplateSyntaxError extends Error {
  readonly line: number | undefined
  readonly column: number | undefined

  constructor(message: string, line: number | undefined, column: number | undefined) {
    super(message)
    this.line = line
    this.column = column
  }
}

/**
 * Parse `source` with `hbs`, turning Jison's parse errors into {@link TemplateSyntaxError}s
 * that carry the position of the offending token (Handlebars throws them as bare `Error`s
 * whose only position is in the text). The hook lives only for this synchronous call.
 */
function parseWithPlaces(hbs: HandlebarsEnv, source: string): hbs.AST.Program {
  hbs.parse('') // makes sure the parser's `yy` is the one `parse` uses
  const parser = (hbs as unknown as { Parser: JisonParser }).Parser
  const yy = parser.yy
  const previous = yy.parseError
  yy.parseError = (message: string) => {
    const where = parser.lexer.yylloc
    throw new TemplateSyntaxError(message, where?.first_line, where ? where.first_column + 1 : undefined)
  }
  try {
    return hbs.parseWithoutProcessing(source)
  } finally {
    if (previous) yy.parseError = previous
    else delete yy.parseError
  }
}

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
export function compileTemplate(hbs: HandlebarsEnv, file: VFile, knownHelpers: readonly string[], options: { noEscape?: boolean } = {}): Template | undefined {
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
