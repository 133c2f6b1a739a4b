import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { doIUseEmail } from '@jsx-email/doiuse-email'
import { HtmlValidate } from 'html-validate'
import type { ConfigData } from 'html-validate'
import { simpleParser } from 'mailparser'
import type { ParsedMail } from 'mailparser'
import { beforeAll, describe, expect, it } from 'vitest'
import type { EmailBuild, EmailViews } from '../src/index.js'
import { strandedText, stringWidth } from '../src/index.js'
import { SAMPLES, buildIssueEmail, buildSample, messages, sampleIssue } from './sample.js'

/** Every client family caniemail knows. */
const FAMILIES = ['gmail.*', 'outlook.*', 'yahoo.*', 'apple-mail.*', 'samsung-email.*', 'thunderbird.*']
/** Warnings (partial support) that can break a layout; each one found must be reviewed in doiuse-allowlist.json. */
const LAYOUT_CRITICAL = [
  'padding',
  'margin',
  'border',
  'background',
  'display',
  'display:none',
  'max-width',
  'width',
  'height',
  'width attribute',
  'height attribute',
  'align attribute',
  'text-align',
  'font-size',
  'line-height',
  'overflow',
  'float',
  'position',
  '<body> element',
  '<img> element',
  '<table> element',
  'flexbox',
  'grid'
]
const here = path.dirname(new URL(import.meta.url).pathname)

interface AllowEntry {
  feature: string[]
  clients: string[]
  reason: string
}

const UNSUBSCRIBE = '{{ UnsubscribeURL }}'
const config = { unsubscribeUrl: UNSUBSCRIBE }

/** A header as written (mailparser turns List-* headers into objects). */
function header(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((entry) => entry.key === name)?.line
  return line?.slice(line.indexOf(':') + 1).trim()
}

function fatal(email: EmailBuild): string[] {
  return email.files.flatMap((file) => file.messages.filter((message) => message.fatal === true).map(String))
}

describe.each(SAMPLES)('the email edition of %s', (slug) => {
  let email: EmailBuild
  let allow: AllowEntry[]
  let reviewed: AllowEntry[]
  beforeAll(async () => {
    email = (await buildSample(slug, config)).email
    ;({ allow, reviewed } = JSON.parse(await readFile(path.join(here, 'doiuse-allowlist.json'), 'utf8')) as {
      allow: AllowEntry[]
      reviewed: AllowEntry[]
    })
  }, 60_000)

  it('builds without errors, under Gmail’s 102 KB in the mode its frontmatter chooses (full when a digest would cut text with nowhere to read on)', async () => {
    const issue = await sampleIssue(slug)
    const stranded = strandedText(issue)
    expect(email.mode).toBe(issue.meta.editions.email.mode === 'digest' && stranded.length > 0 ? 'full' : issue.meta.editions.email.mode)
    if (email.mode !== issue.meta.editions.email.mode)
      expect(messages(email)).toMatch(/warning\s+Unexpected digest mode without a link to the full text .* built in full mode instead/)
    expect(fatal(email), messages(email)).toEqual([])
    expect(email.size.html).toBeLessThan(102 * 1024)
    expect(email.size.html).toBe(Buffer.byteLength(email.html))
    expect(messages(email)).toMatch(/Email HTML is [\d.]+ KB/)
  })

  it('passes html-validate with the email rule set', async () => {
    const rules = JSON.parse(await readFile(path.join(here, '../.htmlvalidate.json'), 'utf8')) as ConfigData
    const report = await new HtmlValidate(rules).validateString(email.html)
    const errors = report.results.flatMap((result) => result.messages.map((m) => `${m.line}:${m.column} ${m.message} (${m.ruleId})`))
    expect(errors).toEqual([])
  })

  it.each(FAMILIES)('has no caniemail errors for %s but the allow-listed ones, and every layout-critical warning reviewed', (family) => {
    const result = doIUseEmail(email.html, { emailClients: [family] })
    const findings = (list: readonly string[], verb: string) =>
      [...new Set(list)]
        .map((line) => new RegExp(`^\`(.+)\` is ${verb} by \`(.+)\`$`).exec(line))
        .map((match) => ({ feature: match?.[1] ?? '?', client: match?.[2] ?? '?' }))
    const listed = (entries: AllowEntry[], finding: { feature: string; client: string }) =>
      entries.some((entry) => entry.feature.includes(finding.feature) && entry.clients.includes(finding.client))
    const errors = findings(result.success ? [] : result.errors, 'not supported')
    expect(errors.filter((finding) => !listed(allow, finding))).toEqual([])
    const warnings = findings(result.warnings, 'only partially supported').filter((finding) => LAYOUT_CRITICAL.includes(finding.feature))
    expect(warnings.filter((finding) => !listed(reviewed, finding))).toEqual([])
    for (const entry of [...allow, ...reviewed]) expect(entry.reason.length).toBeGreaterThan(20)
  })

  it('inlines the stylesheet and keeps dark mode and the phone breakpoint in <style>', () => {
    expect(email.html).toMatch(/class="headline" style="[^"]*font-size:\s?21px/)
    expect(email.html).toContain('<meta name="color-scheme" content="light dark">')
    expect(email.html).toMatch(/@media \(prefers-color-scheme:\s?dark\)/)
    expect(email.html).toMatch(/@media only screen and \(max-width:\s?480px\)/)
    expect(email.html).toContain('PingFang SC,Microsoft YaHei,Noto Sans CJK SC')
    expect(email.html).not.toMatch(/var\(--/)
  })

  it('tags http(s) links with UTM parameters, but not mailto:, nor the unsubscribe merge tag', () => {
    const hrefs = [...email.html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]!)
    expect(hrefs.length).toBeGreaterThan(0)
    for (const href of hrefs) {
      if (/^https?:/.test(href)) expect(href).toContain(`utm_campaign=${slug}`)
      else if (href.startsWith('mailto:')) expect(href).not.toContain('utm_')
    }
    expect(hrefs).toContain(UNSUBSCRIBE)
  })

  it('writes an .eml that mailparser reads back: parts, headers, and an attachment for every cid:', async () => {
    const mail = await simpleParser(email.eml, { keepCidLinks: true })
    expect(mail.subject).toBe(email.subject)
    const issue = await sampleIssue(slug)
    expect(mail.from?.value[0]).toEqual({ address: 'newsletter@example.org', name: issue.meta.publisher })
    expect(mail.date).toBeInstanceOf(Date)
    expect(mail.messageId).toMatch(/^<[^@\s]+@example\.org>$/)
    expect(header(mail, 'list-unsubscribe')).toBe(`<${UNSUBSCRIBE}>`)
    // A merge tag is not an https URL that promises a one-click POST endpoint (RFC 8058).
    expect(header(mail, 'list-unsubscribe-post')).toBeUndefined()
    expect(String(email.eml)).toMatch(/Content-Type: multipart\/alternative/)
    expect(mail.text?.trim()).toBe(email.text.trim())
    // MIME lines end in CRLF; the content is otherwise byte for byte the same.
    expect(String(mail.html).replace(/\r\n/g, '\n')).toBe(email.html.replace(/\r\n/g, '\n'))
    const cids = [...email.html.matchAll(/src="cid:([^"]+)"/g)].map((match) => match[1]!)
    expect(cids.length).toBeGreaterThan(0)
    expect(String(email.eml)).toMatch(/Content-Type: multipart\/related/)
    const attached = new Set(mail.attachments.map((attachment) => attachment.contentId?.replace(/^<|>$/g, '')))
    for (const cid of cids) expect(attached).toContain(cid)
    for (const attachment of mail.attachments) expect(attachment.contentDisposition).toBe('inline')
  })

  it('reports the HTML file and the HTML part as the .eml carries it, both under the limit, and keeps every .eml line under 998 bytes', () => {
    const raw = email.eml.toString('latin1')
    const header = /Content-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: (\S+)\r\n(?:[^\r\n]+\r\n)*\r\n/.exec(raw)
    expect(header).not.toBeNull()
    const start = header!.index + header![0].length
    // The part ends at its parent's boundary (a line of the HTML may itself start with `--`).
    const boundary = [...raw.slice(0, header!.index).matchAll(/boundary="([^"]+)"/g)].at(-1)![1]!
    const body = raw.slice(start, raw.indexOf(`\r\n--${boundary}`, start))
    expect(header![1]).toBe(email.size.htmlEncoding)
    expect(body.length).toBe(email.size.htmlEncoded)
    // Chinese stays small on the wire: 8bit (or base64), never quoted-printable's 3× for CJK.
    expect(email.size.htmlEncoded / email.size.html).toBeLessThan(1.05)
    expect(email.size.htmlEncoded).toBeLessThan(102 * 1024)
    expect(messages(email)).toMatch(
      /Email HTML is [\d.]+ KB in `\w+` mode \(limit 102 KB\); [\d.]+ KB as sent \((8bit|base64|quoted-printable)\)/
    )
    const long = raw.split('\r\n').filter((line) => Buffer.byteLength(line, 'latin1') > 998)
    expect(long).toEqual([])
  })

  it('writes a canonical .eml: every line ends in CRLF, inside the quoted-printable parts too', () => {
    const raw = email.eml.toString('latin1')
    expect(raw).toMatch(/Content-Transfer-Encoding: (8bit|quoted-printable)/)
    expect(
      [...raw.matchAll(/(?<!\r)\n/g)].map((match) => JSON.stringify(raw.slice(Math.max(0, match.index - 40), match.index + 1)))
    ).toEqual([])
    expect(raw).not.toMatch(/\r(?!\n)/)
  })

  it('stores images at most twice their display width', () => {
    for (const match of email.html.matchAll(/<img\b[^>]*>/g)) {
      const tag = match[0]
      const cid = /src="cid:([^"]+)"/.exec(tag)?.[1]
      if (!cid) continue
      const width = Number(/width="(\d+)"/.exec(tag)?.[1])
      expect(/height="\d+"/.test(tag), tag).toBe(true)
      expect(/alt="[^"]*"/.test(tag), tag).toBe(true)
      const asset = email.assets.find((candidate) => candidate.cid === cid)!
      expect(asset.width).toBeLessThanOrEqual(width * 2)
      expect(asset.width).toBeLessThanOrEqual(1200)
    }
  })

  it('writes a plain-text edition from the model: titles, items, numbered links, 72 columns', async () => {
    const issue = await sampleIssue(slug)
    const { text } = email
    expect(text).toContain(issue.meta.title)
    for (const section of issue.sections) expect(text).toContain(`\n${section.title}\n===`)
    for (const item of issue.sections.flatMap((section) => section.items)) {
      if (item.headline) expect(text.replace(/\n/g, '')).toContain(item.headline.replace(/\s+/g, ' ').slice(0, 12))
    }
    expect(text).not.toMatch(/<[a-z][^>]*>/)
    for (const line of text.split('\n')) {
      if (/^\[\d+\] |https?:\/\/|^(View in browser|在浏览器中查看|Unsubscribe|退订)/.test(line)) continue
      expect(stringWidth(line), line).toBeLessThanOrEqual(72)
      expect('，。、；：？！）」』》”', line).not.toContain(line[0] ?? 'x')
    }
    expect(text).toContain(UNSUBSCRIBE)
  })
})

describe('options and edge cases', () => {
  it('hands the final HTML, text and images to onViews once, with the messages so far, before the .eml', async () => {
    const issue = await sampleIssue('2025-06-harbour-notes')
    const seen: { views: EmailViews; rules: (string | null | undefined)[] }[] = []
    const email = await buildIssueEmail(issue, config, (views, files) =>
      seen.push({ views, rules: files.flatMap((file) => file.messages.map((message) => message.ruleId)) })
    )
    expect(seen).toHaveLength(1)
    expect(seen[0]!.views.html).toBe(email.html)
    expect(seen[0]!.views.text).toBe(email.text)
    expect(seen[0]!.views.assets.map((asset) => asset.filename)).toEqual(email.assets.map((asset) => asset.filename))
    expect(seen[0]!.rules).toContain('email-size')
  })

  it('keeps merge tags verbatim: in an item body, in the configuration, in links', async () => {
    const tags = { archive: '*|ARCHIVE|*', body: '%%=RedirectTo(@prefs)=%%', name: '*|FNAME|*' }
    const { email } = await buildSample(
      '2025-06-harbour-notes',
      { unsubscribeUrl: '*|UNSUB|*', viewInBrowserUrl: tags.archive },
      (issue) => {
        const [section] = issue.sections
        const [item] = section!.items
        item!.body = {
          html: item!.body.html + `<p>Hello ${tags.name}, <a href="${tags.body}">your preferences</a> or {{ UnsubscribeURL }}.</p>`,
          text: item!.body.text + `\n\nHello ${tags.name}, your preferences ${tags.body} or {{ UnsubscribeURL }}.`
        }
        return issue
      }
    )
    for (const tag of [tags.archive, tags.body, tags.name, '*|UNSUB|*', '{{ UnsubscribeURL }}', '*|UPDATE_PROFILE|*']) {
      expect(email.html).toContain(tag)
    }
    expect(email.html).toContain(`href="${tags.body}"`)
    expect(email.html).toContain(`href="${tags.archive}"`)
    expect(email.text).toContain(tags.body)
    expect(email.text).toContain(`View in browser: ${tags.archive}`)
    expect(email.html).not.toMatch(/MHMERGE\d+TAG/)
    const mail = await simpleParser(email.eml, { keepCidLinks: true })
    expect(header(mail, 'list-unsubscribe')).toBe('<*|UNSUB|*>')
  }, 30_000)

  it('builds a digest: headline, excerpt and a read-more link to the web edition', async () => {
    const { issue, email } = await buildSample('2025-06-harbour-notes', { mode: 'digest', utm: false })
    expect(email.mode).toBe('digest')
    const items = issue.sections.filter((section) => section.type !== 'contacts').flatMap((section) => section.items)
    for (const item of items) expect(email.html).toContain(`href="${issue.meta.url}#${item.id}"`)
    expect(email.text).toContain(`${issue.meta.url}#${items[0]!.id}`)
    const full = await buildSample('2025-06-harbour-notes', { utm: false })
    expect(email.size.html).toBeLessThan(full.email.size.html)
  }, 30_000)

  it('fails the build when the HTML would be clipped', async () => {
    const { email } = await buildSample('2025-06-harbour-notes', { maxBytes: 20 * 1024 })
    const [message] = email.files[0]!.messages.filter((m) => m.ruleId === 'email-size')
    expect(message?.fatal).toBe(true)
    expect(message?.reason).toMatch(/^Unexpected email HTML of [\d.]+ KB in `full` mode, expected at most 20 KB/)
  }, 30_000)

  it('references images by absolute URL from an asset base instead of CID', async () => {
    const { email } = await buildSample('2025-06-harbour-notes', { assets: { mode: 'url', baseUrl: 'https://cdn.example.org/harbour/12' } })
    const srcs = [...email.html.matchAll(/<img\b[^>]*src="([^"]+)"/g)].map((match) => match[1]!)
    expect(srcs.length).toBeGreaterThan(0)
    for (const src of srcs) expect(src).toMatch(/^https:\/\/cdn\.example\.org\/harbour\/12\/[\w-]+\.(?:jpg|png)$/)
    for (const asset of email.assets) expect(srcs).toContain(asset.href)
    const mail = await simpleParser(email.eml, { keepCidLinks: true })
    expect(mail.attachments).toEqual([])
  }, 30_000)

  it('shows a logo, swapped for its dark variant in dark mode, both embedded', async () => {
    const logo = { src: 'images/shore-power.jpg', darkSrc: 'images/marit-olsen.jpg', width: 160, height: 90, alt: 'Harbour Notes' }
    const { email } = await buildSample('2025-06-harbour-notes', { logo })
    expect(email.html).toMatch(/class="[^"]*logo-light/)
    expect(email.html).toMatch(/class="logo-dark"/)
    expect(email.html).toMatch(/\.logo-dark\{display:\s?block\s?!important/)
    const cids = [...email.html.matchAll(/src="cid:([^"]+)"/g)].map((match) => match[1]!)
    const mail = await simpleParser(email.eml, { keepCidLinks: true })
    const attached = new Set(mail.attachments.map((attachment) => attachment.contentId?.replace(/^<|>$/g, '')))
    for (const cid of cids) expect(attached).toContain(cid)
    // Twice the 160 px display width, the dark variant cropped to the same box.
    expect(email.assets.filter((asset) => asset.width === 320 && asset.height === 180)).toHaveLength(2)
  }, 30_000)
})
