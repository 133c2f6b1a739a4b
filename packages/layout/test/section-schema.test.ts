import { describe, expect, it } from 'vitest'
import * as v from 'valibot'
import { sectionJsonSchema, sectionSchema } from '../src/index.js'

describe('sectionSchema', () => {
  it('is kept in step with section.schema.json (update with `vitest -u`)', async () => {
    const json = JSON.stringify(sectionJsonSchema(), null, 2) + '\n'
    await expect(json).toMatchFileSnapshot('../section.schema.json')
  })

  it('accepts a minimal manifest and rejects unknown keys', () => {
    expect(v.safeParse(sectionSchema, { name: 'quote', title: { en: 'Quote' }, editions: ['print'] }).success).toBe(true)
    const result = v.safeParse(sectionSchema, { name: 'quote', title: { en: 'Quote' }, editions: ['print'], colour: 'red' })
    expect(result.success).toBe(false)
  })

  it('rejects a field of an unknown type', () => {
    const result = v.safeParse(sectionSchema, {
      name: 'quote',
      title: { en: 'Quote' },
      editions: ['print'],
      fields: { who: { type: 'person' } }
    })
    expect(result.success).toBe(false)
  })
})
