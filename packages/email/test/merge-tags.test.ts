import { describe, expect, it } from 'vitest'
import { createMergeTagVault, tagUrl } from '../src/index.js'

const TAGS = [
  '*|UNSUB|*',
  '*|FNAME|*',
  '{{ UnsubscribeURL }}',
  '{{{unsubscribe}}}',
  '%%unsubscribe%%',
  '%%=RedirectTo(@url)=%%',
  '{% unsubscribe_link %}',
  '[unsubscribe]'
]

describe('createMergeTagVault', () => {
  it('swaps every known merge tag for an inert token and back', () => {
    const vault = createMergeTagVault()
    const text = TAGS.map((tag) => `<a href="${tag}">x</a>`).join('\n')
    const protectedText = vault.protect(text)
    for (const tag of TAGS) expect(protectedText).not.toContain(tag)
    expect(protectedText).toMatch(/^[\w\s<>="/\n]+$/)
    expect(vault.restore(protectedText)).toBe(text)
  })

  it('protects strings deep inside objects, leaving the original alone', () => {
    const vault = createMergeTagVault()
    const data = { a: ['Hi *|FNAME|*'], b: { c: '{{ UnsubscribeURL }}', n: 1 } }
    const copy = vault.protectDeep(data)
    expect(copy.b.n).toBe(1)
    expect(JSON.stringify(copy)).not.toContain('FNAME')
    expect(data.a[0]).toBe('Hi *|FNAME|*')
    expect(vault.restore(copy.a[0]!)).toBe('Hi *|FNAME|*')
  })

  it('takes extra patterns', () => {
    const vault = createMergeTagVault([/<<\w+>>/])
    expect(vault.protect('x <<name>> y')).toBe('x MHMERGE0TAG y')
  })
})

describe('tagUrl', () => {
  const utm = { utm_source: 'newsletter', utm_medium: 'email' }
  it('adds parameters to http(s) links before the fragment', () => {
    expect(tagUrl('https://example.org/a#b', utm)).toBe('https://example.org/a?utm_source=newsletter&utm_medium=email#b')
    expect(tagUrl('https://example.org/a?x=1', utm)).toBe('https://example.org/a?x=1&utm_source=newsletter&utm_medium=email')
  })
  it('keeps parameters that are already there', () => {
    expect(tagUrl('https://example.org/?utm_source=x', utm)).toBe('https://example.org/?utm_source=x&utm_medium=email')
  })
  it('leaves mailto:, tel:, anchors and merge tags alone', () => {
    for (const href of ['mailto:a@example.org', 'tel:+4412', '#top', '*|UNSUB|*', 'MHMERGE0TAG']) expect(tagUrl(href, utm)).toBe(href)
  })
})
