import type { Issue, Item, Section } from '@masthead/core'
import type { ResolvedEmailConfig } from './email-config.js'
import { formatDate } from './email-config.js'
import { digestExcerpt } from './digest-excerpt.js'
import { tagUrl } from './email-transforms.js'
import { stringWidth } from './string-width.js'
import { wrapText } from './wrap-text.js'

/** Numbered link references, shared by the whole text edition. */
class References {
  readonly urls: string[] = []
  private readonly tag: (url: string) => string
  constructor(tag: (url: string) => string) {
    this.tag = tag
  }
  add(url: string): number {
    const tagged = this.tag(url)
    const at = this.urls.indexOf(tagged)
    return at === -1 ? this.urls.push(tagged) : at + 1
  }
}

function underline(title: string, char: string): string {
  return title + '\n' + char.repeat(Math.min(72, stringWidth(title)))
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

/** Put `[n]` after the first occurrence of each link's text, in order. */
function withReferences(body: string, item: Item, references: References): string {
  let out = ''
  let rest = body
  for (const link of item.links) {
    if (!/^https?:/i.test(link.url) || link.text === link.url) continue
    const at = rest.indexOf(link.text)
    const n = references.add(link.url)
    if (at === -1) continue
    out += rest.slice(0, at + link.text.length) + ` [${n}]`
    rest = rest.slice(at + link.text.length)
  }
  return out + rest
}

function itemText(issue: Issue, item: Item, config: ResolvedEmailConfig, references: References): string {
  const { labels } = config
  const blocks: string[] = []
  const title = item.headline ?? item.title
  if (title) blocks.push(underline(title, '-'))
  // An untitled item titled by its speaker (or role) does not repeat it under the title.
  const person = [text(item.fields['speaker']), text(item.fields['role'])].filter(Boolean)
  if (!item.headline && person[0] === title) person.shift()
  const date = item.fields['date']
  const meta = [
    person.join(', '),
    date && typeof date === 'object' && 'iso' in date ? formatDate(date, issue.meta.lang) : '',
    text(item.fields['place'])
  ].filter(Boolean)
  if (meta.length) blocks.push(meta.join(labels.listSeparator))
  if (config.mode === 'digest') {
    blocks.push(digestExcerpt(item))
    const url = issue.meta.url ? `${issue.meta.url}#${item.id}` : text(item.fields['link'])
    if (url) blocks.push(`${labels.readMore} [${references.add(url)}]`)
  } else {
    const dek = text(item.fields['dek'])
    if (dek) blocks.push(dek)
    const quote = text(item.fields['quote'])
    if (quote) blocks.push(`“${quote}”`.replace(/^“([“"])/, '$1'))
    if (item.body.text) blocks.push(withReferences(item.body.text, item, references))
    const contact = (['people', 'phone', 'fax', 'email', 'web', 'address'] as const)
      .filter((name) => text(item.fields[name]))
      .map((name) => labels[name] + text(item.fields[name]))
    if (contact.length) blocks.push(contact.join('\n'))
    const link = text(item.fields['link'])
    if (link) blocks.push(`${labels.readMore} [${references.add(link)}]`)
  }
  const credits = [
    text(item.fields['source']) && labels.source + text(item.fields['source']),
    text(item.fields['contributor']) && labels.contributor + text(item.fields['contributor'])
  ].filter(Boolean)
  if (credits.length && config.mode === 'full') blocks.push(credits.join('\n'))
  return blocks.map((block) => wrapText(block, config.textWidth)).join('\n\n')
}

function sectionText(issue: Issue, section: Section, config: ResolvedEmailConfig, references: References): string {
  const blocks = [underline(section.title.toUpperCase(), '=')]
  if (section.intro.text) blocks.push(wrapText(section.intro.text, config.textWidth))
  for (const entry of section.entries) {
    const head = [formatDate(entry.date, issue.meta.lang), entry.place, entry.event].filter(Boolean).join(' | ')
    const note = entry.note?.text ? '\n' + entry.note.text.replace(/^/gm, '  ') : ''
    blocks.push(wrapText(`- ${head}${note}`, config.textWidth))
  }
  for (const item of section.items) blocks.push(itemText(issue, item, config, references))
  for (const part of section.parts) {
    blocks.push(underline(part.title, '~'))
    if (part.intro.text) blocks.push(wrapText(part.intro.text, config.textWidth))
    for (const item of part.items) blocks.push(itemText(issue, item, config, references))
  }
  return blocks.join('\n\n')
}

/**
 * The plain-text edition, built from the Issue model rather than stripped from the HTML:
 * a title block, each section with its title underlined, each item with its headline,
 * date, text and credits, links as numbered references listed at the end, wrapped at
 * about 72 columns with CJK characters counted as two and no line starting with closing
 * punctuation. Merge tags in the text and in the configuration are written verbatim.
 *
 * @param issue The issue.
 * @param config The resolved email settings (mode, labels, UTM, links, width).
 */
export function plainTextEdition(issue: Issue, config: ResolvedEmailConfig): string {
  const { meta } = issue
  const { labels } = config
  const utm = config.utm
  const references = new References((url) => (utm ? tagUrl(url, utm) : url))
  const head = [
    underline(`${meta.title} · ${meta.issue}`, '='),
    [formatDate(meta.date, meta.lang), meta.publisher].join(labels.listSeparator)
  ]
  if (config.preheader) head.push('', wrapText(config.preheader, config.textWidth))
  if (config.viewInBrowserUrl) head.push('', `${labels.viewInBrowser}${labels.colon}${config.viewInBrowserUrl}`)
  const parts = [head.join('\n'), ...issue.sections.map((section) => sectionText(issue, section, config, references))]
  if (references.urls.length) {
    parts.push(underline(labels.links.toUpperCase(), '=') + '\n' + references.urls.map((url, index) => `[${index + 1}] ${url}`).join('\n'))
  }
  const foot = [`-- `, meta.publisher]
  if (config.unsubscribeUrl) foot.push(`${labels.unsubscribe}${labels.colon}${config.unsubscribeUrl}`)
  parts.push(foot.join('\n'))
  // Trailing spaces go, but for the signature delimiter `-- ` (RFC 3676).
  return parts.join('\n\n\n').replace(/(?<!^--)[ \t]+$/gm, '') + '\n'
}
