import type Handlebars from 'handlebars'

/**
 * The one place Masthead reaches into Handlebars' internals. Handlebars 4.7 throws a
 * template syntax error as a bare `Error` whose only position is the line in its text; its
 * Jison-generated parser (`Handlebars.Parser`, in neither the typings nor the docs) knows
 * the line and column of the token it stopped at. This module hooks that parser for one
 * synchronous parse. `test/handlebars-parser.test.ts` fails when a Handlebars upgrade
 * changes what it relies on: the parser's `yy.parseError` hook, `parseError` on the
 * parser, and `lexer.yylloc`. Should the parser lose that shape, templates still parse,
 * and syntax errors fall back to Handlebars' own (a line, no column).
 */

type HandlebarsEnv = ReturnType<typeof Handlebars.create>

interface JisonLocation {
  first_line: number
  first_column: number
}

/** The part of Handlebars' Jison parser this module uses. */
export interface JisonParser {
  yy: { parseError?: (message: string, hash: unknown) => never }
  lexer: { yylloc?: JisonLocation }
  parseError?: unknown
}

/** A parse error with the place of the token it stopped at. */
export class TemplateSyntaxError extends Error {
  readonly line: number | undefined
  readonly column: number | undefined

  constructor(message: string, line: number | undefined, column: number | undefined) {
    super(message)
    this.line = line
    this.column = column
  }
}

/**
 * Handlebars' parser (one for the whole process, shared by every `Handlebars.create()`),
 * when it still has the shape this module relies on.
 */
export function jisonParser(hbs: HandlebarsEnv): JisonParser | undefined {
  const parser: unknown = (hbs as unknown as { Parser?: unknown }).Parser
  if (typeof parser !== 'object' || parser === null || !('yy' in parser) || !('lexer' in parser)) return undefined
  const { yy, lexer } = parser
  if (typeof yy !== 'object' || yy === null || typeof lexer !== 'object' || lexer === null) return undefined
  return parser as JisonParser
}

/**
 * Parse `source` with `hbs`, turning Jison's parse errors into {@link TemplateSyntaxError}s
 * that carry the position of the offending token. The hook lives only for this call: Jison
 * copies `yy.parseError` onto the shared parser, and both are put back afterwards, so no
 * other environment's errors change.
 */
export function parseWithPlaces(hbs: HandlebarsEnv, source: string): hbs.AST.Program {
  hbs.parse('') // makes sure the parser's `yy` is the one `parse` uses
  const parser = jisonParser(hbs)
  if (!parser) return hbs.parseWithoutProcessing(source)
  const yy = parser.yy
  const previous = yy.parseError
  const ownParseError = Object.hasOwn(parser, 'parseError') ? parser.parseError : undefined
  yy.parseError = (message: string) => {
    const where = parser.lexer.yylloc
    throw new TemplateSyntaxError(message, where?.first_line, where ? where.first_column + 1 : undefined)
  }
  try {
    return hbs.parseWithoutProcessing(source)
  } finally {
    if (previous) yy.parseError = previous
    else delete yy.parseError
    if (ownParseError === undefined) delete parser.parseError
    else parser.parseError = ownParseError
  }
}
