import type { MessageAttachment } from '@masthead/email'
import { GREETING_FIELD, MERGE_FIELD, escapeHtml, fillMergeFields } from './merge-fields.js'
import type { Recipient } from './read-recipients.js'
import { translateMergeTags } from './translate-merge-tags.js'
import { unsubscribeToken, unsubscribeUrl } from './unsubscribe-token.js'

/** An inline image of the edition (a `cid:` part of every message). */
export interface EditionAttachment extends MessageAttachment {
  /** The Content-ID without angle brackets. */
  cid: string
}

/**
 * The email edition to send: built once (by `masthead build`'s email step, with
 * `{{ unsubscribe_url }}` as its unsubscribe URL), personalized per recipient.
 */
export interface Edition {
  /** The folder name. */
  slug: string
  /** The language: picks the default greeting. */
  lang: string
  subject: string
  html: string
  text: string
  attachments: readonly EditionAttachment[]
  /** The web edition (the issue's `url`): fills `{{ archive_url }}` (`*|ARCHIVE|*`). */
  webUrl?: string
  /** Images the HTML points at by URL (`email.assets` mode `url`): to upload to those URLs. */
  uploads?: readonly EditionUpload[]
}

/** An image referenced by an absolute URL, with the bytes to put there. */
export interface EditionUpload {
  href: string
  content: Buffer
}

/** The greeting, with and without a name; `{{ name }}` and any column may appear in it. */
export interface Greeting {
  named: string
  anonymous: string
}

/** Greetings by language (`en` for any other). */
export const GREETINGS: Readonly<Record<string, Greeting>> = {
  en: { named: 'Dear {{ name }},', anonymous: 'Hello,' },
  'zh-CN': { named: '{{ name }}，您好：', anonymous: '您好：' }
}

/** How every message is personalized. */
export interface PersonalizeOptions {
  /** The unsubscribe URL template, e.g. `https://example.org/unsubscribe?u={{ email }}&t={{ token }}`. */
  unsubscribeUrl: string
  /** The HMAC secret for the unsubscribe token. */
  secret: string
  /** The greeting (default: by the edition's language); `false` for none. */
  greeting?: Greeting | false
}

/** One recipient's message content. */
export interface PersonalMessage {
  subject: string
  html: string
  text: string
  unsubscribeUrl: string
  /** Merge fields the edition uses that the list does not have (left as written). */
  unknown: string[]
}

/**
 * Put a `{{ greeting }}` field into the edition where a letter starts, unless it has one:
 * in the HTML after the masthead's date line (`.masthead-meta`), in the text after the
 * title block. Returns the edition unchanged with `greeting: false`.
 *
 * @returns The edition, and whether the HTML found a place for the greeting.
 */
export function withGreeting(edition: Edition, greeting: Greeting | false | undefined): { edition: Edition; placed: boolean } {
  if (greeting === false) return { edition, placed: true }
  const has = (text: string) => text.includes('greeting') && [...text.matchAll(MERGE_FIELD)].some((match) => match[1] === 'greeting')
  let { html, text } = edition
  let placed = true
  if (!has(html)) {
    const meta = /<p\b[^>]*class="[^"]*\bmasthead-meta\b[^"]*"[^>]*>[\s\S]*?<\/p>/.exec(html)
    if (meta) {
      const at = meta.index + meta[0].length
      html =
        html.slice(0, at) +
        `<p class="greeting" style="font-size:16px;line-height:1.6;margin:22px 0 0;">${GREETING_FIELD}</p>` +
        html.slice(at)
    } else {
      placed = false
    }
  }
  if (!has(text)) {
    const block = text.indexOf('\n\n')
    text = block < 0 ? `${GREETING_FIELD}\n\n${text}` : `${text.slice(0, block)}\n\n${GREETING_FIELD}${text.slice(block)}`
  }
  return { edition: { ...edition, html, text }, placed }
}

/** Columns that may hold a first or last name, besides `first_name` / `last_name`. */
const NAME_COLUMNS = {
  first_name: ['fname', 'firstname', 'given_name'],
  last_name: ['lname', 'lastname', 'family_name', 'surname']
} as const

/**
 * The merge fields every message fills besides the list's columns: `email`, `name`,
 * `unsubscribe_url`, `update_profile_url` (the unsubscribe page: the only preference Masthead
 * manages), `archive_url` (the web edition, when the issue has a `url`), and `first_name` /
 * `last_name` from a column of that meaning.
 */
export function builtInValues(edition: Edition, recipient: Recipient, url: string): Record<string, string> {
  const values: Record<string, string> = { ...recipient.fields, email: recipient.email, name: recipient.name }
  const lower = new Map(Object.entries(recipient.fields).map(([column, value]) => [column.toLowerCase(), value]))
  for (const [field, aliases] of Object.entries(NAME_COLUMNS)) {
    const value = [field, ...aliases].map((column) => lower.get(column)).find((found) => found !== undefined)
    if (value !== undefined) values[field] = value
  }
  values['unsubscribe_url'] = url
  values['update_profile_url'] = url
  if (edition.webUrl) values['archive_url'] = edition.webUrl
  return values
}

/**
 * Personalize the edition for one recipient: the greeting, the unsubscribe URL with the
 * recipient's token, and every merge field from the list's columns. Other platforms' merge
 * tags with a known meaning (`*|UNSUB|*`, `*|UPDATE_PROFILE|*`, `{{ .Subscriber.Email }}`…)
 * are filled like the Masthead field of that meaning (see `translateMergeTags`).
 *
 * @param edition The edition, after {@link withGreeting}.
 */
export function personalize(edition: Edition, recipient: Recipient, options: PersonalizeOptions): PersonalMessage {
  const url = unsubscribeUrl(options.unsubscribeUrl, recipient.email, unsubscribeToken(recipient.email, options.secret))
  const greetings = options.greeting === false ? undefined : (options.greeting ?? GREETINGS[edition.lang] ?? GREETINGS['en']!)
  const values = builtInValues(edition, recipient, url)
  if (greetings && !values['greeting']) {
    values['greeting'] = fillMergeFields(recipient.name ? greetings.named : greetings.anonymous, values).text
  }
  const smtp = (part: string) => translateMergeTags(part, 'smtp').text
  const html = fillMergeFields(smtp(edition.html), values, escapeHtml)
  const text = fillMergeFields(smtp(edition.text), values)
  const subject = fillMergeFields(smtp(edition.subject), values)
  const unknown = [...new Set([...html.unknown, ...text.unknown, ...subject.unknown])]
  return { subject: subject.text.replace(/\s*[\r\n]+\s*/g, ' '), html: html.text, text: text.text, unsubscribeUrl: url, unknown }
}
