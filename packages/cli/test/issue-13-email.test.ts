import { cp, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import * as cheerio from 'cheerio'
import jsQRModule from 'jsqr'
import { simpleParser } from 'mailparser'
import { PNG } from 'pngjs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

// jsqr is CommonJS with a `default` beside the function itself; its types know only `default`.
const jsQR = jsQRModule.default

/**
 * Issue 13, the email side, through the real CLI (`masthead build`, `export`, `send
 * --dry-run`), reading what it writes with real parsers: cheerio for the HTML (entities
 * decoded), mailparser for the .eml files.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SECRET = 'issue-13-secret-0123456789abcdef'
let project: string

const run = (args: string[]) => runMain(args, project, { MASTHEAD_UNSUBSCRIBE_SECRET: SECRET })

const front = (extra = '') => `---\ntitle: T\nissue: 1\ndate: 2021-04-30\nlang: en\npublisher: P\n${extra}---\n\n`
const write = async (slug: string, text: string) => {
  await mkdir(path.join(project, 'issues', slug), { recursive: true })
  await writeFile(path.join(project, 'issues', slug, 'issue.md'), text)
}
const read = (slug: string, file: string) => readFile(path.join(project, 'dist', slug, file), 'utf8')
const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false
  )
const hrefs = (html: string) => {
  const $ = cheerio.load(html)
  return $('a[href]')
    .map((_, element) => $(element).attr('href')!)
    .get()
}
const visibleText = (html: string) => {
  const $ = cheerio.load(html)
  $('style, head').remove()
  return $('body').text().replace(/\s+/g, ' ')
}

/** `count` paragraphs of distinct English sentences, about `length` characters each. */
function paragraphs(tag: string, count: number, length = 400): string[] {
  return Array.from({ length: count }, (_, index) => {
    let text = `Paragraph ${tag}-${index + 1} begins here.`
    while (text.length < length) text += ` The harbour ${tag} report adds sentence ${text.length} about tides, ferries and the quay.`
    return text
  })
}

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-issue-13-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await cp(path.join(root, 'issues', '2025-06-harbour-notes'), path.join(project, 'issues', 'harbour'), { recursive: true })
  await writeFile(
    path.join(project, 'masthead.config.json'),
    JSON.stringify({
      send: {
        sender: { name: 'Harbour Notes', address: 'notes@example.org' },
        unsubscribeUrl: 'https://example.org/unsubscribe?u={{ email }}&t={{ token }}'
      }
    })
  )
  await writeFile(path.join(project, 'readers.csv'), 'email,name\nana@example.org,Ana Ruiz\n')
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('digest mode never truncates to nowhere', () => {
  it('builds in full mode, with a warning at the first stranded item, when there is no `url` and full mode fits', async () => {
    const items = ['alpha', 'beta', 'gamma'].map((tag) => `## Story ${tag}\n\n${paragraphs(tag, 8).join('\n\n')}\n`)
    const source = front('email:\n  mode: digest\n') + `:::news[News]\n${items.join('\n')}:::\n`
    expect(source.length).toBeGreaterThan(9000)
    await write('digest-fits', source)
    const { code, err } = await run(['build', 'digest-fits', '--email'])
    expect(code).toBe(0)
    expect(err).toMatch(
      /issue\.md:12:1\s+warning\s+Unexpected digest mode without a link to the full text \(no `url` in the frontmatter, and 3 excerpts or notes a digest would cut without a `link`\), expected `url`: the web edition’s address; built in full mode instead, which fits \([\d.]+ KB, limit 102 KB\)/
    )
    const text = await read('digest-fits', 'email.txt')
    const html = visibleText(await read('digest-fits', 'email.html'))
    const flat = text.replace(/\s+/g, ' ')
    for (const paragraph of ['alpha', 'beta', 'gamma'].flatMap((tag) => paragraphs(tag, 8))) {
      expect(flat).toContain(paragraph)
      expect(html).toContain(paragraph)
    }
  })

  it('fails, naming `url` and each stranded item, when full mode does not fit either', async () => {
    const items = Array.from({ length: 36 }, (_, index) => `## Story ${index + 1}\n\n${paragraphs(`s${index}`, 8).join('\n\n')}\n`)
    await write('digest-big', front('email:\n  mode: digest\n') + `:::news[News]\n${items.join('\n')}:::\n`)
    const { code, err } = await run(['build', 'digest-big', '--email'])
    expect(code).toBe(1)
    expect(err).toMatch(
      /issue\.md:12:1\s+error\s+Unexpected digest excerpt of `Story 1` without a link to its full text, expected `url` in the frontmatter .* or a `link:` line on the item; full mode does not fit either/
    )
    expect(err.match(/Unexpected digest excerpt of `Story \d+`/g)).toHaveLength(36)
    expect(await exists(path.join(project, 'dist', 'digest-big', 'email.html'))).toBe(false)
  })

  it('links every excerpt to the web edition’s anchor when the issue has a `url`', async () => {
    const items = ['one', 'two'].map((tag) => `## Story ${tag}\n\n${paragraphs(tag, 3).join('\n\n')}\n`)
    await write('digest-url', front('url: https://example.org/t/1/\nemail:\n  mode: digest\n') + `:::news[News]\n${items.join('\n')}:::\n`)
    const { code } = await run(['build', 'digest-url', '--email'])
    expect(code).toBe(0)
    const links = hrefs(await read('digest-url', 'email.html'))
    for (const id of ['news-1-1', 'news-1-2'])
      expect(links).toContain(`https://example.org/t/1/?utm_source=newsletter&utm_medium=email&utm_campaign=digest-url#${id}`)
    expect(await read('digest-url', 'email.txt')).toMatch(
      /\[2\] https:\/\/example\.org\/t\/1\/\?utm_source=newsletter&utm_medium=email&utm_campaign=digest-url#news-1-2\n/
    )
  })
})

describe('the contacts section', () => {
  it('keeps the contact people and every detail in the text part of a digest', async () => {
    await write(
      'contacts-digest',
      front('url: https://example.org/t/2/\nemail:\n  mode: digest\n') +
        ':::contacts[Contact us]\nBlurb.\n\n## Harbour office\npeople: Ingrid Vos (editor), Jonas Berg\nphone: +44 1632 960 412\nfax: +44 1632 960 413\nemail: office@example.org\naddress: 3 Quay Street\n:::\n'
    )
    expect((await run(['build', 'contacts-digest', '--email'])).code).toBe(0)
    const eml = await simpleParser(await readFile(path.join(project, 'dist', 'contacts-digest', 'email.eml')))
    for (const text of [await read('contacts-digest', 'email.txt'), eml.text!]) {
      expect(text).toContain(
        'Contact: Ingrid Vos (editor), Jonas Berg\nPhone: +44 1632 960 412\nFax: +44 1632 960 413\nEmail: office@example.org\nAddress: 3 Quay Street'
      )
    }
  })

  it('shows, as print does, a QR code of the web address with its “Scan to visit” label, in the HTML email', async () => {
    await write(
      'contacts-qr',
      front() + ':::contacts[Contact us]\n## Harbour office\npeople: Ingrid Vos\nweb: https://example.org/harbour-notes/\n:::\n'
    )
    expect((await run(['build', 'contacts-qr', '--email'])).code).toBe(0)
    const eml = await simpleParser(await readFile(path.join(project, 'dist', 'contacts-qr', 'email.eml')), { keepCidLinks: true })
    const $ = cheerio.load(eml.html as string)
    expect($('.card').text()).toContain('Scan to visit')
    const src = $('.card img.qr').attr('src')!
    expect(src).toMatch(/^cid:/)
    const attachment = eml.attachments.find((part) => `cid:${part.cid}` === src)!
    expect(attachment.contentType).toBe('image/png')
    const png = PNG.sync.read(attachment.content)
    expect(jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data).toBe('https://example.org/harbour-notes/')
  })
})

describe('URLs with query strings', () => {
  it('reach the HTML email, the text part, the .eml and every export byte for byte', async () => {
    await write(
      'query',
      front() +
        ":::news[News]\n## A story\nlink: https://example.org/page?id=5&lang=en\n\nSee [it's here](https://example.org/it's?a=1&b=2#top).\n:::\n"
    )
    expect((await run(['build', 'query', '--email'])).code).toBe(0)
    const utm = 'utm_source=newsletter&utm_medium=email&utm_campaign=query'
    const expected = [`https://example.org/page?id=5&lang=en&${utm}`, `https://example.org/it's?a=1&b=2&${utm}#top`]
    const eml = await simpleParser(await readFile(path.join(project, 'dist', 'query', 'email.eml')))
    for (const html of [await read('query', 'email.html'), eml.html as string])
      expect(hrefs(html)).toEqual(expect.arrayContaining(expected))
    for (const text of [await read('query', 'email.txt'), eml.text!]) for (const url of expected) expect(text).toContain(`] ${url}\n`)
    for (const platform of ['mailchimp', 'listmonk', 'generic']) {
      expect((await run(['export', 'query', '--for', platform])).code).toBe(0)
      expect(hrefs(await read('query', `email.${platform}.html`))).toEqual(expect.arrayContaining(expected))
      const text = await read('query', `email.${platform}.txt`)
      for (const url of expected) expect(text).toContain(`] ${url}\n`)
    }
  })
})

describe('merge tags of another platform', () => {
  it('translates the sample’s *|UPDATE_PROFILE|* in the listmonk and generic exports', async () => {
    const expected = { mailchimp: '*|UPDATE_PROFILE|*', listmonk: '{{ ManageURL }}', generic: '{{update_profile_url}}' }
    // URL assets, which an export needs (it refuses cid: images).
    const config = path.join(project, 'masthead.config.json')
    const before = await readFile(config, 'utf8')
    await writeFile(
      config,
      JSON.stringify({ ...JSON.parse(before), email: { assets: { mode: 'url', baseUrl: 'https://cdn.example.org/notes/' } } })
    )
    for (const [platform, tag] of Object.entries(expected)) {
      const { code, err } = await run(['export', 'harbour', '--for', platform])
      expect(code).toBe(0)
      expect(err).not.toContain('merge')
      for (const file of [`email.${platform}.html`, `email.${platform}.txt`]) {
        const text = await read('harbour', file)
        expect(text).toContain(`update your preferences: ${tag}`)
        if (platform !== 'mailchimp') expect(text).not.toContain('*|')
      }
    }
    await writeFile(config, before)
  })

  it('fills it per recipient in an SMTP send', async () => {
    const { code } = await run(['send', 'harbour', '--to', 'readers.csv', '--dry-run', 'outbox-harbour'])
    expect(code).toBe(0)
    const dir = path.join(project, 'outbox-harbour')
    const [file] = await readdir(dir)
    const message = await simpleParser(await readFile(path.join(dir, file!)))
    expect(message.text).toMatch(/update your preferences: https:\/\/example\.org\/unsubscribe\?u=ana%40example\.org&t=[\w-]{43}\n/)
    expect(visibleText(message.html as string)).toMatch(
      /update your preferences: https:\/\/example\.org\/unsubscribe\?u=ana%40example\.org&t=[\w-]{43}/
    )
    expect(`${message.text}${message.html}`).not.toContain('*|')
  })

  it('warns at its line in an export that has no equivalent, and refuses an SMTP send', async () => {
    await write('odd-tag', front() + ':::news[News]\n## A story\n\nForward: \\*|FORWARD|\\* today.\n:::\n')
    const exported = await run(['export', 'odd-tag', '--for', 'listmonk'])
    expect(exported.code).toBe(0)
    expect(exported.err).toMatch(
      /issue\.md:12:10\s+warning\s+Unexpected Mailchimp merge tag `\*\|FORWARD\|\*` in an export for listmonk, expected one with a listmonk equivalent; it is exported as written\s+foreign-merge-tag/
    )
    const sent = await run(['send', 'odd-tag', '--to', 'readers.csv', '--dry-run', 'outbox-odd'])
    expect(sent.code).toBe(1)
    expect(sent.err).toMatch(/issue\.md:12:10\s+error\s+Unexpected Mailchimp merge tag `\*\|FORWARD\|\*` in an SMTP send/)
    expect(await exists(path.join(project, 'outbox-odd'))).toBe(false)
  })
})
