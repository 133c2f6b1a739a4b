import type { Issue, Item } from '@masthead/core'
import { sectionItems } from '@masthead/core'
import { digestExcerpt } from './digest-excerpt.js'
import type { ResolvedEmailConfig } from './email-config.js'
import { tagUrl } from './email-transforms.js'

/** What the text templates get for one item, under `email.items[<item id>].text`. */
export interface TextItemData {
  /** The item's text with `[n]` after each link's words (full mode), or its excerpt (digest). */
  body: string
  /** `Read more [3]` / `阅读全文 [3]`, or '' when there is nowhere to read on. */
  readMore: string
}

/** A numbered link reference, listed at the end of the text edition. */
export interface TextLink {
  number: number
  url: string
}

/** Numbered link references, shared by the whole text edition, UTM-tagged. */
class References {
  readonly links: TextLink[] = []
  private readonly tag: (url: string) => string
  constructor(tag: (url: string) => string) {
    this.tag = tag
  }
  add(url: string): number {
    const tagged = this.tag(url)
    const found = this.links.find((link) => link.url === tagged)
    if (found) return found.number
    this.links.push({ number: this.links.length + 1, url: tagged })
    return this.links.length
  }
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

/**
 * The text edition's data, in reading order (so references are numbered as they appear):
 * each item's text with link references and its “read more” reference, and the list of
 * links.
 *
 * @param issue The issue.
 * @param config The resolved email settings (mode, labels, UTM).
 */
export function textEditionData(issue: Issue, config: ResolvedEmailConfig): { items: Record<string, TextItemData>; links: TextLink[] } {
  const utm = config.utm
  const references = new References((url) => (utm ? tagUrl(url, utm) : url))
  const items: Record<string, TextItemData> = {}
  const readMore = (url: string) => (url ? `${config.labels.readMore} [${references.add(url)}]` : '')
  for (const section of issue.sections) {
    for (const item of sectionItems(section)) {
      const link = typeof item.fields['link'] === 'string' ? item.fields['link'] : ''
      if (config.mode === 'digest') {
        items[item.id] = { body: digestExcerpt(item), readMore: readMore(issue.meta.url ? `${issue.meta.url}#${item.id}` : link) }
      } else {
        const body = withReferences(item.body.text, item, references)
        items[item.id] = { body, readMore: readMore(link) }
      }
    }
  }
  return { items, links: references.links }
}
