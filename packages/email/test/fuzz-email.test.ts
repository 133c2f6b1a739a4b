import type { Issue } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import fc from 'fast-check'
import { parse } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EmailBuild } from '../src/index.js'
import { parseEmailHtml } from '../src/email-transforms.js'
import { findActiveContent } from '../src/find-active-content.js'
import { buildIssueEmail, messages, sampleIssue } from './sample.js'

/**
 * Property test of the email edition end to end (layout → MJML → transforms): arbitrary
 * text in every text of a real issue comes out escaped. The HTML gets no element, attribute
 * or parse error that the unfuzzed issue's HTML lacks, nothing active (scripts, handlers,
 * `javascript:`), and the text edition carries the headline as written. CI runs a fixed
 * seed and few runs (each is a whole MJML build); `npm run fuzz` runs it long.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 25)
const seed = process.env.FUZZ_SEED === undefined ? 20261122 : Number(process.env.FUZZ_SEED)

const hostile = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  '=',
  '{{',
  '}}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)',
  '<x-evil>',
  '</mj-text>',
  '<mj-raw>',
  '</style>',
  '-->',
  '<!--[if mso]>',
  ']]>',
  'javascript:alert(1)',
  '&amp;',
  '&#60;',
  '\n',
  ' ',
  '新闻',
  '😀'
]
const text = fc.oneof(
  fc.array(fc.constantFrom(...hostile), { minLength: 1, maxLength: 6 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }),
  fc.string({ minLength: 1, maxLength: 20 })
)
const escapeHtml = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** A copy of `issue` with every title, headline, text field, body and caption from `pick`. */
function fuzzIssue(issue: Issue, pick: () => string): Issue {
  const copy = structuredClone(issue)
  const content = () => {
    const value = pick()
    return { html: `<p>${escapeHtml(value)}</p>`, text: value }
  }
  copy.meta = { ...copy.meta, title: pick(), issue: pick(), publisher: pick(), subject: pick() }
  for (const section of copy.sections) {
    section.title = pick()
    section.intro = content()
    for (const item of section.items) {
      item.headline = pick()
      item.body = content()
      for (const [name, value] of Object.entries(item.fields))
        if (typeof value === 'string' && !/^https?:|@/.test(value)) item.fields[name] = pick()
      item.images = item.images.map((image) => ({ ...image, alt: pick(), caption: pick() }))
    }
    for (const entry of section.entries) {
      entry.place = pick()
      entry.event = pick()
      entry.note = content()
    }
  }
  return copy
}

interface Node5 {
  nodeName: string
  attrs?: Array<{ name: string }>
  childNodes?: Node5[]
  content?: Node5
}

function shape(html: string): { tags: Set<string>; attributes: Set<string>; errors: Set<string> } {
  const errors = new Set<string>()
  const tags = new Set<string>()
  const attributes = new Set<string>()
  const walk = (node: Node5) => {
    if (!node.nodeName.startsWith('#')) tags.add(node.nodeName)
    for (const attribute of node.attrs ?? []) attributes.add(attribute.name)
    for (const child of node.childNodes ?? []) walk(child)
    if (node.content) walk(node.content)
  }
  walk(parse(html, { onParseError: (error) => void errors.add(error.code) }) as unknown as Node5)
  return { tags, attributes, errors }
}

const added = <T>(after: Set<T>, before: Set<T>): T[] => [...after].filter((value) => !before.has(value))

describe.each(['2025-06-harbour-notes', '2021-green-silk-road'])('email edition properties on %s', (slug) => {
  let issue: Issue
  let baseline: ReturnType<typeof shape>

  beforeAll(async () => {
    issue = await sampleIssue(slug)
    // Digest mode keeps the fuzzed issue under Gmail's size limit whatever the text.
    baseline = shape((await buildIssueEmail(issue, { mode: 'digest' })).html)
  }, 60_000)

  it('any text comes out escaped: no new element, attribute or parse error, nothing active', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(text, { minLength: 40, maxLength: 40 }), async (texts) => {
        let next = 0
        const fuzzed = fuzzIssue(issue, () => texts[next++ % texts.length]!)
        const email: EmailBuild = await buildIssueEmail(fuzzed, { mode: 'digest' })
        expect(hasErrors(email.files), messages(email)).toBe(false)
        const after = shape(email.html)
        expect(added(after.tags, baseline.tags)).toEqual([])
        expect(added(after.attributes, baseline.attributes)).toEqual([])
        expect(added(after.errors, baseline.errors)).toEqual([])
        expect(findActiveContent(parseEmailHtml(email.html))).toEqual([])
        const headline = fuzzed.sections.find((section) => section.items.length > 0)?.items[0]?.headline ?? ''
        for (const word of headline.split(/\s+/).filter((part) => part.length > 0 && !/[\u0300-\u036f\u200b]/.test(part)))
          expect(email.text).toContain(word)
      }),
      { numRuns: runs, seed }
    )
  }, 600_000)
})
