import { createRequire } from 'node:module'
import Handlebars from 'handlebars'
import { describe, expect, it } from 'vitest'
import { TemplateSyntaxError, jisonParser, parseWithPlaces } from '../src/handlebars-parser.js'

// These tests guard the one use of Handlebars internals (src/handlebars-parser.ts). When one
// fails after a Handlebars upgrade, template syntax errors have lost their column (or the
// hook leaks into other environments): mend the adapter, or drop it if Handlebars now gives
// the column itself.
const { version } = createRequire(import.meta.url)('handlebars/package.json') as { version: string }

const broken = '<p>\n  {{fields.source bar=}}\n</p>\n'

function thrown(parse: () => unknown): unknown {
  try {
    parse()
  } catch (error) {
    return error
  }
  throw new Error('expected the parse to throw')
}

describe(`the Handlebars parser adapter (handlebars ${version})`, () => {
  it('finds the parser internals it hooks', () => {
    const parser = jisonParser(Handlebars.create())
    expect(parser, `handlebars ${version} no longer has Parser.yy and Parser.lexer`).toBeDefined()
    Handlebars.create().parse('{{a}}\n{{b}}')
    expect(parser!.lexer.yylloc, `handlebars ${version} no longer keeps the token place in Parser.lexer.yylloc`).toMatchObject({
      first_line: expect.any(Number),
      first_column: expect.any(Number)
    })
  })

  it('gives a syntax error the line and 1-based column of the token the parser stopped at', () => {
    const error = thrown(() => parseWithPlaces(Handlebars.create(), broken))
    expect(error).toBeInstanceOf(TemplateSyntaxError)
    expect(error).toMatchObject({ line: 2, column: 23 })
    expect((error as Error).message).toMatch(/^Parse error on line 2:\n.*\n-+\^\nExpecting .*, got 'CLOSE'$/)
  })

  it('gives a lexical error its place too', () => {
    const error = thrown(() => parseWithPlaces(Handlebars.create(), 'one\ntwo {{!-- open'))
    expect(error).toBeInstanceOf(TemplateSyntaxError)
    expect(error).toMatchObject({ line: 2 })
  })

  it('is still needed: Handlebars alone gives no column', () => {
    const error = thrown(() => Handlebars.create().parse(broken))
    expect(error).toBeInstanceOf(Error)
    expect(error).not.toHaveProperty('column')
    expect(error).not.toHaveProperty('hash')
  })

  it('leaves the shared parser as it found it, for every other environment', () => {
    const parser = jisonParser(Handlebars.create())!
    const before = { yy: Object.hasOwn(parser.yy, 'parseError'), own: Object.hasOwn(parser, 'parseError') }
    thrown(() => parseWithPlaces(Handlebars.create(), broken))
    expect({ yy: Object.hasOwn(parser.yy, 'parseError'), own: Object.hasOwn(parser, 'parseError') }).toEqual(before)
    const other = thrown(() => Handlebars.create().parse(broken))
    expect(other).not.toBeInstanceOf(TemplateSyntaxError)
  })

  it('parses a good template to the same tree as Handlebars', () => {
    const source = '{{#each items}}<h2>{{headline}}</h2>{{/each}}'
    expect(parseWithPlaces(Handlebars.create(), source)).toEqual(Handlebars.create().parseWithoutProcessing(source))
  })
})
