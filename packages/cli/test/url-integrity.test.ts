import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Issue } from '@masthead/core'
import { hasErrors } from '@masthead/core'
import type { Builder } from '@masthead/render'
import { createBuilder, openProject, projectPaths } from '@masthead/render'
import { PLATFORMS, UNSUBSCRIBE_FIELD, editionFromBuild, exportEdition } from '@masthead/send'
import * as cheerio from 'cheerio'
import fc from 'fast-check'
import { simpleParser } from 'mailparser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * Property test: every URL an editor writes (a `link:` field, a Markdown link) reaches the
 * HTML email, the text part, the .eml and each platform export byte for byte, but for the
 * UTM parameters added on purpose and the merge tags an export translates on purpose.
 * URLs are generated with query strings, fragments, apostrophes, quotes, `&`, `=`,
 * percent-encoding, international domain names and Mailchimp merge tags. The HTML is read
 * with a real parser (cheerio, entities decoded), the .eml with mailparser.
 */
const runs = Number(process.env.FUZZ_RUNS ?? 12)
const seed = process.env.FUZZ_SEED === undefined ? 20261204 : Number(process.env.FUZZ_SEED)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SLUG = 'urls'
const UTM = `utm_source=newsletter&utm_medium=email&utm_campaign=${SLUG}`

const host = fc.constantFrom(
  'example.org',
  'www.example.co.uk',
  '例子.测试',
  'bücher.example',
  'xn--bcher-kva.example',
  'example.org:8443',
  '127.0.0.1'
)
const piece = fc.oneof(
  fc.stringMatching(/^[a-z0-9]{1,6}$/),
  fc.constantFrom(
    "it's",
    '%20',
    '%E4%B8%AD',
    '%2F',
    '%zz',
    '中文',
    '"q"',
    '(x)',
    '~a',
    '!',
    '$',
    ',',
    ';',
    ':',
    '@',
    '*',
    '+',
    '=',
    '&#x3D;',
    '&amp;',
    '%26',
    'a.b',
    '-_'
  )
)
const segment = fc.array(piece, { minLength: 1, maxLength: 3 }).map((parts) => parts.join(''))
const mergeTag = fc.constantFrom('*|EMAIL|*', '*|UNSUB|*', '*|FNAME|*')
const query = fc.array(
  fc
    .tuple(fc.stringMatching(/^[a-z][a-z0-9_]{0,5}$/), fc.oneof(segment, mergeTag, fc.constant('')))
    .map(([key, value]) => `${key}=${value}`),
  { minLength: 0, maxLength: 4 }
)
const url = fc
  .record({
    scheme: fc.constantFrom('https', 'http', 'HTTPS'),
    host,
    path: fc.array(segment, { maxLength: 3 }),
    query,
    bareKey: fc.boolean(),
    fragment: fc.option(fc.oneof(segment, fc.constant('x=1&y=2'), fc.constant('top')), { nil: undefined })
  })
  .map(({ scheme, host, path, query, bareKey, fragment }) => {
    const search = [...query, ...(bareKey ? ['flag'] : [])]
    return `${scheme}://${host}/${path.join('/')}${search.length ? '?' + search.join('&') : ''}${fragment === undefined ? '' : '#' + fragment}`
  })
  // A Markdown link destination in <…> may hold anything but <, > and line breaks; and
  // UTM names are left out (a URL that has them keeps its own and gets none added).
  .filter((value) => !/[<>\s\\]/.test(value) && !value.includes('utm_'))

/** The URL with the UTM parameters inserted before the fragment, as `tagUrl` documents. */
function tagged(value: string): string {
  const hash = value.indexOf('#')
  const base = hash === -1 ? value : value.slice(0, hash)
  const fragment = hash === -1 ? '' : value.slice(hash)
  const separator = base.includes('?') ? (/[?&]$/.test(base) ? '' : '&') : '?'
  return base + separator + UTM + fragment
}

/** Mailchimp tags as each export writes them. */
const TRANSLATED: Record<keyof typeof PLATFORMS, Record<string, string>> = {
  mailchimp: {},
  listmonk: { '*|EMAIL|*': '{{ .Subscriber.Email }}', '*|UNSUB|*': '{{ UnsubscribeURL }}', '*|FNAME|*': '{{ .Subscriber.FirstName }}' },
  generic: { '*|EMAIL|*': '{{email}}', '*|UNSUB|*': '{{unsubscribe_url}}', '*|FNAME|*': '{{first_name}}' }
}
const translate = (value: string, platform: keyof typeof PLATFORMS) =>
  value.replace(/\*\|[A-Z]+\|\*/g, (tag) => TRANSLATED[platform][tag] ?? tag)

const hrefs = (html: string): string[] => {
  const $ = cheerio.load(html)
  return $('a[href]')
    .map((_, element) => $(element).attr('href')!)
    .get()
}

let project: string
let builder: Builder

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-urls-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await mkdir(path.join(project, 'issues', SLUG), { recursive: true })
  builder = await createBuilder(await openProject(projectPaths(project)), { email: { unsubscribeUrl: UNSUBSCRIBE_FIELD } })
})

afterAll(async () => {
  await builder?.close()
  await rm(project, { recursive: true, force: true })
})

describe('URLs survive every transform', () => {
  it('in the HTML email, the text part, the .eml and every export', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(url, url), { minLength: 1, maxLength: 4 }), async (pairs) => {
        const source = pairs.map(
          ([field, body], index) => `## Story ${index + 1}\nlink: ${field}\n\nRead [the page ${index + 1}](<${body}>) today.\n`
        )
        await writeFile(
          path.join(project, 'issues', SLUG, 'issue.md'),
          `---\ntitle: T\nissue: 1\ndate: 2021-04-30\nlang: en\npublisher: P\n---\n\n:::news[News]\n${source.join('\n')}:::\n`
        )
        const result = await builder.build(SLUG, { editions: ['email'] })
        expect(hasErrors(result.files)).toBe(false)
        const issue = result.issue as Issue
        const items = issue.sections[0]!.items
        expect(items.map((item) => item.fields['link'])).toEqual(pairs.map(([field]) => field))
        // `link:` fields and Markdown link destinations as the editor wrote them (CommonMark's
        // character references and escapes decoded; a scheme in lower case), in every part.
        const written = (value: string) =>
          value
            .replace(/^[a-z][a-z0-9+.-]*:/i, (scheme) => scheme.toLowerCase())
            .replace(/&#x3D;/g, '=')
            .replace(/&amp;/g, '&')
        expect(items.map((item) => item.links.map((link) => link.url))).toEqual(pairs.map(([, body]) => [written(body)]))
        const inText = items.flatMap((item) => [item.fields['link'] as string, ...item.links.map((link) => link.url)])
        const inHtml = inText
        const html = result.outputs.get('email.html') as string
        const text = result.outputs.get('email.txt') as string
        const eml = await simpleParser(result.outputs.get('email.eml') as Buffer)
        const htmlLinks = hrefs(html)
        const emlLinks = hrefs(eml.html as string)
        for (const value of inHtml) {
          expect(htmlLinks).toContain(tagged(value))
          expect(emlLinks).toContain(tagged(value))
        }
        for (const value of inText) {
          expect(text).toContain(`] ${tagged(value)}\n`)
          expect(eml.text).toContain(`] ${tagged(value)}\n`)
        }
        const edition = editionFromBuild({ issue, html, text, assets: result.emailAssets }, { unsubscribeUrl: UNSUBSCRIBE_FIELD })
        for (const platform of Object.keys(PLATFORMS) as Array<keyof typeof PLATFORMS>) {
          const exported = exportEdition(edition, PLATFORMS[platform])
          const links = hrefs(exported.html)
          for (const value of inHtml) expect(links).toContain(translate(tagged(value), platform))
          for (const value of inText) expect(exported.text).toContain(`] ${translate(tagged(value), platform)}\n`)
        }
      }),
      { numRuns: runs, seed, endOnFailure: true }
    )
  }, 600_000)
})
