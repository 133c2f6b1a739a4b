import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { schemaProblems } from '../src/index.js'

describe('schemaProblems', () => {
  const schema = v.strictObject({
    title: v.string('expected a title'),
    print: v.optional(v.strictObject({ size: v.picklist(['A4', 'A5'], 'expected `A4` or `A5`') }))
  })

  it('tells an unexpected key, a missing value and a wrong value apart, each with its path', () => {
    const result = v.safeParse(schema, { print: { size: 'A3', colour: true } }, { abortEarly: false })
    expect(result.success).toBe(false)
    const problems = schemaProblems(result.issues ?? [])
    expect(problems.map(({ label, unexpectedKey, missing, input }) => ({ label, unexpectedKey, missing, input }))).toEqual([
      { label: 'title', unexpectedKey: false, missing: true, input: undefined },
      { label: 'print.size', unexpectedKey: false, missing: false, input: 'A3' },
      { label: 'print.colour', unexpectedKey: true, missing: false, input: 'colour' }
    ])
    expect(problems[1]!.message).toBe('expected `A4` or `A5`')
    expect(problems[2]!.path).toEqual(['print', 'colour'])
  })
})
