import type { Issue, Item, Lang, Section } from '@masthead/core'
import { formatDate } from '@masthead/core'
import type { EmailLabels, ResolvedEmailConfig } from './email-config.js'
import { finishText } from './finish-text.js'
import type { TextItemData } from './text-edition-data.js'
import { textEditionData } from './text-edition-data.js'

/** Field names with a label of their own in {@link EmailLabels}. */
const LABELLED = ['source', 'contributor', 'people', 'phone', 'fax', 'email', 'web', 'address'] as const

/** A field's value as text: a text, a date as readers write it, an image's caption or alt; '' otherwise. */
function fieldText(value: unknown, lang: Lang): string {
  if (typeof value === 'string') return value
  if (value && typeof value === 'object') {
    if ('iso' in value && 'year' in value) return formatDate(value as Parameters<typeof formatDate>[0], lang)
    const { caption, alt } = value as { caption?: unknown; alt?: unknown }
    if (typeof caption === 'string' && caption !== '') return caption
    if (typeof alt === 'string') return alt
  }
  return ''
}

const isDate = (value: unknown): boolean => typeof value === 'object' && value !== null && 'iso' in value && 'year' in value

function fieldLine(name: string, value: string, labels: EmailLabels): string {
  const label = (LABELLED as readonly string[]).includes(name) ? labels[name as (typeof LABELLED)[number]] : `${name}${labels.colon}`
  return label + value
}

function itemText(issue: Issue, item: Item, text: TextItemData, config: ResolvedEmailConfig): string[] {
  const blocks: string[] = []
  const title = item.headline ?? item.title
  if (title) blocks.push(`${title}\n---`)
  // An untitled item is titled by a field (`titleFrom`: a speaker), not repeated under it.
  const titledBy =
    item.headline === undefined
      ? Object.keys(item.fields).find((name) => fieldText(item.fields[name], issue.meta.lang) === title)
      : undefined
  const fields = Object.entries(item.fields)
    .filter(([name]) => name !== 'link' && name !== titledBy)
    .map(([name, value]) => [name, fieldText(value, issue.meta.lang), isDate(value)] as const)
    .filter(([, value]) => value !== '')
    // A date speaks for itself; any other field has its label, or its name.
    .map(([name, value, date]) => (date ? value : fieldLine(name, value, config.labels)))
  if (fields.length) blocks.push(fields.join('\n'))
  if (text.body) blocks.push(text.body)
  if (text.readMore) blocks.push(text.readMore)
  return blocks
}

function sectionText(issue: Issue, section: Section, items: Record<string, TextItemData>, config: ResolvedEmailConfig): string {
  const blocks = [`${section.title}\n===`]
  if (section.intro.text) blocks.push(section.intro.text)
  for (const entry of section.entries) {
    const head = [formatDate(entry.date, issue.meta.lang), entry.place, entry.event].filter(Boolean).join(' | ')
    const note = entry.note?.text ? '\n' + entry.note.text.replace(/^/gm, '  ') : ''
    blocks.push(`- ${head}${note}`)
  }
  for (const item of section.items) blocks.push(...itemText(issue, item, items[item.id]!, config))
  for (const part of section.parts) {
    blocks.push(`${part.title}\n~~~`)
    if (part.intro.text) blocks.push(part.intro.text)
    for (const item of part.items) blocks.push(...itemText(issue, item, items[item.id]!, config))
  }
  return blocks.join('\n\n')
}

/**
 * The plain-text edition without templates, for callers of `buildEmail` that give no
 * `renderText` (the text templates, `templates/**\/text.hbs`, are what `masthead build`
 * uses). Generic, like `partials/text-section.hbs`: a title block, each section with its
 * title, each part of a section with its title underlined with `~`, each item with its
 * title (its headline, or the field its type titles it by), every other field that has a
 * value (with its label, or its name), its text (or excerpt) and “read more”, links as
 * numbered references at the end,
 * finished by `finishText` (underlines, CJK-aware wrapping). Merge tags are written verbatim.
 *
 * @param issue The issue.
 * @param config The resolved email settings (mode, labels, UTM, links, width).
 */
export function plainTextEdition(issue: Issue, config: ResolvedEmailConfig): string {
  const { meta } = issue
  const { labels } = config
  const data = textEditionData(issue, config)
  const head = [
    `${meta.issue === undefined ? meta.title : `${meta.title} · ${meta.issue}`}\n===`,
    [formatDate(meta.date, meta.lang), meta.publisher].join(labels.listSeparator)
  ]
  if (config.preheader) head.push('', config.preheader)
  if (config.viewInBrowserUrl) head.push('', `${labels.viewInBrowser}${labels.colon}${config.viewInBrowserUrl}`)
  const parts = [head.join('\n'), ...issue.sections.map((section) => sectionText(issue, section, data.items, config))]
  if (data.links.length) parts.push(`${labels.links}\n===\n` + data.links.map((link) => `[${link.number}] ${link.url}`).join('\n'))
  const foot = ['-- ', meta.publisher]
  if (config.unsubscribeUrl) foot.push(`${labels.unsubscribe}${labels.colon}${config.unsubscribeUrl}`)
  parts.push(foot.join('\n'))
  return finishText(parts.join('\n\n'), config.textWidth)
}
