import path from 'node:path'
import type { FieldValue, Issue, SectionTypes } from '@masthead/core'
import { hasErrors, report } from '@masthead/core'
import { parseIssue } from '@masthead/parse'
import fc from 'fast-check'
import { parse } from 'parse5'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Layout } from '../src/index.js'
import { openLayout, root } from './support.js'

/**
 * Property tests of the print renderer: arbitrary text in every text field of a real issue
 * (titles, headlines, fields, bodies, captions, alt texts, URLs that pass the parser) must
 * come out escaped: the print HTML holds no element, attribute or parse error that the
 * unfuzzed issue does not, no `javascript:` URL, and the text itself is there to read.
 * (The email layout needs the data `@masthead/email` prepares; its property is in that
 * package's `fuzz-email.test.ts`.) CI runs a fixed seed and a bounded number of runs;
 * `npm run fuzz` sets FUZZ_RUNS high and a random seed.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 100)
const seed = process.env.FUZZ_SEED === undefined ? 20261122 : Number(process.env.FUZZ_SEED)

const hostile = [
  '<',
  '>',
  '&',
  '"',
  "'",
  '`',
  '=',
  '/',
  '\\',
  '{{',
  '}}',
  '{{{',
  '}}}',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '" onmouseover="alert(1)',
  "' onfocus='alert(1)",
  '<x-evil>',
  '</title>',
  '</style>',
  '</textarea>',
  '</mj-text>',
  '<mj-raw>',
  '-->',
  '<!--',
  ']]>',
  '<![CDATA[',
  'javascript:alert(1)',
  '&amp;',
  '&lt;',
  '&#x3C;',
  '&#60;',
  '\n',
  '\t',
  ' ',
  '新闻',
  '·',
  '😀',
  'e\u0301',
  '\u200B',
  '\u2028',
  '*|UNSUB|*',
  '%%unsubscribe%%'
]
/** Text as an editor could type it: hostile pieces, any Unicode, printable ASCII. */
const text = fc.oneof(
  fc.array(fc.constantFrom(...hostile), { minLength: 1, maxLength: 8 }).map((parts) => parts.join('')),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
  fc.string({ minLength: 1, maxLength: 30 })
)
/** What passes the parser's `url` check: `https://` and any characters but white space. */
const url = fc
  .array(fc.constantFrom('"', "'", '<', '>', '&', '`', 'x', '/', '?', '=', 'javascript:', 'onerror=', '#'), { minLength: 1, maxLength: 10 })
  .map((parts) => `https://h${parts.join('')}`)

const escapeHtml = (value: string): string => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Fill every text of a copy of `issue` from `pick`, by each field's declared type. */
function fuzzIssue(issue: Issue, types: SectionTypes, pick: () => string, pickUrl: () => string): Issue {
  const copy = structuredClone(issue)
  const content = () => {
    const value = pick()
    return { html: `<p>${escapeHtml(value)}</p>`, text: value }
  }
  const fill = (fields: Record<string, FieldValue>, specs: Record<string, { type: string }>) => {
    for (const [name, spec] of Object.entries(specs)) {
      if (spec.type === 'text') fields[name] = pick()
      else if (spec.type === 'url') fields[name] = pickUrl()
      else if (spec.type === 'image' && typeof fields[name] === 'object' && 'path' in fields[name]) {
        fields[name] = { ...fields[name], alt: pick(), caption: pick() }
      }
    }
  }
  copy.meta = { ...copy.meta, title: pick(), issue: pick(), publisher: pick(), subject: pick(), keywords: [pick(), pick()], url: pickUrl() }
  for (const section of copy.sections) {
    const type = types.get(section.type)!
    section.title = pick()
    section.intro = content()
    fill(section.fields, type.sectionFields)
    for (const item of section.items) {
      item.headline = pick()
      item.body = content()
      fill(item.fields, type.fields)
      item.images = item.images.map((image) => ({ ...image, alt: pick(), caption: pick() }))
      item.links = item.links.map(() => ({ url: pickUrl(), text: pick() }))
    }
    for (const entry of section.entries) {
      entry.place = pick()
      entry.event = pick()
      entry.note = content()
    }
  }
  return copy
}

interface Shape {
  tags: Set<string>
  attributes: Set<string>
  errors: Set<string>
  text: string
  urls: string[]
}

interface Node5 {
  nodeName: string
  value?: string
  attrs?: Array<{ name: string; value: string }>
  childNodes?: Node5[]
  content?: Node5
}

/** What the HTML parser makes of a document: element and attribute names, parse errors, text, URLs. */
function shape(html: string): Shape {
  const errors = new Set<string>()
  const document = parse(html, { onParseError: (error) => void errors.add(error.code) }) as unknown as Node5
  const result: Shape = { tags: new Set(), attributes: new Set(), errors, text: '', urls: [] }
  const texts: string[] = []
  const walk = (node: Node5) => {
    if (node.nodeName === '#text') texts.push(node.value ?? '')
    else if (!node.nodeName.startsWith('#')) result.tags.add(node.nodeName)
    for (const attribute of node.attrs ?? []) {
      result.attributes.add(attribute.name)
      texts.push(attribute.value)
      if (['href', 'src'].includes(attribute.name)) result.urls.push(attribute.value)
    }
    for (const child of node.childNodes ?? []) walk(child)
    if (node.content) walk(node.content)
  }
  walk(document)
  result.text = texts.join('\n').replace(/\s+/g, ' ')
  return result
}

const normal = (value: string): string => value.replace(/\0/g, '\uFFFD').replace(/\s+/g, ' ').trim()

describe.each(['2025-06-harbour-notes', '2021-green-silk-road'])('renderer properties on %s', (slug) => {
  let layout: Layout
  let types: SectionTypes
  let issue: Issue
  let baseline: Shape

  beforeAll(async () => {
    const opened = await openLayout()
    layout = opened.layout
    types = opened.types
    const parsed = await parseIssue(path.join(root, 'issues', slug), { sections: types, cwd: root })
    if (!parsed.issue) throw new Error(report([parsed.file]))
    issue = parsed.issue
    baseline = shape(layout.render('print', issue).output)
  })

  it('any text comes out escaped in the print HTML, adding no element, attribute or parse error', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 50, maxLength: 50 }), fc.array(url, { minLength: 10, maxLength: 10 }), (texts, urls) => {
        let next = 0
        let nextUrl = 0
        const fuzzed = fuzzIssue(
          issue,
          types,
          () => texts[next++ % texts.length]!,
          () => urls[nextUrl++ % urls.length]!
        )
        const rendered = layout.render('print', fuzzed)
        expect(hasErrors(rendered.files), report(rendered.files)).toBe(false)
        const before = baseline
        const after = shape(rendered.output)
        expect([...after.tags].filter((tag) => !before.tags.has(tag))).toEqual([])
        expect([...after.attributes].filter((name) => !before.attributes.has(name))).toEqual([])
        expect([...after.errors].filter((code) => !before.errors.has(code))).toEqual([])
        expect(after.urls.filter((value) => /^\s*javascript:/i.test(value))).toEqual([])
        // The text is there to read: the first section's title and first headline, whole.
        const first = fuzzed.sections.find((section) => section.items.length > 0)
        for (const value of [first?.title, first?.items[0]?.headline]) {
          if (value !== undefined && normal(value) !== '') expect(after.text).toContain(normal(value))
        }
      }),
      { numRuns: runs, seed }
    )
  }, 300_000)
})
