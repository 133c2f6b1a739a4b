import type { Edition, Greeting } from './personalize.js'
import { GREETINGS, withGreeting } from './personalize.js'
import { MERGE_FIELD, escapeHtml } from './merge-fields.js'
import type { ForeignMergeTag, MergeTarget } from './translate-merge-tags.js'
import { translateMergeTags } from './translate-merge-tags.js'

/** A mailing platform's merge-tag language. */
export interface Platform {
  /** Its name, for {@link translateMergeTags}: its own tags stay as written. */
  name: MergeTarget
  /** The tag for a merge field: `unsubscribe_url`, `name`, `email` or a custom one. */
  tag(field: string): string
  /** The greeting: the named form when the platform knows a name, else the anonymous one. */
  greeting(named: string, anonymous: string): string
}

const field = (name: string) => name.toLowerCase()

/** The platforms `masthead export --for` knows. */
export const PLATFORMS = {
  /** Mailchimp: `*|UNSUB|*`, `*|FNAME|*`, `*|EMAIL|*`, other fields as `*|FIELD|*` (audience merge tags). */
  mailchimp: {
    name: 'mailchimp',
    tag: (name: string) =>
      ({
        unsubscribe_url: '*|UNSUB|*',
        name: '*|FNAME|*',
        first_name: '*|FNAME|*',
        last_name: '*|LNAME|*',
        email: '*|EMAIL|*',
        update_profile_url: '*|UPDATE_PROFILE|*',
        archive_url: '*|ARCHIVE|*'
      })[field(name)] ??
      `*|${name
        .toUpperCase()
        .replace(/[^A-Z0-9_]/g, '_')
        .slice(0, 10)}|*`,
    greeting: (named: string, anonymous: string) => `*|IF:FNAME|*${named}*|ELSE:|*${anonymous}*|END:IF|*`
  },
  /** listmonk (Go templates): `{{ UnsubscribeURL }}`, `{{ .Subscriber.Name }}`, attributes as `{{ .Subscriber.Attribs.field }}`. */
  listmonk: {
    name: 'listmonk',
    tag: (name: string) =>
      ({
        unsubscribe_url: '{{ UnsubscribeURL }}',
        name: '{{ .Subscriber.Name }}',
        first_name: '{{ .Subscriber.FirstName }}',
        last_name: '{{ .Subscriber.LastName }}',
        email: '{{ .Subscriber.Email }}',
        update_profile_url: '{{ ManageURL }}',
        archive_url: '{{ MessageURL }}'
      })[field(name)] ?? `{{ .Subscriber.Attribs.${name} }}`,
    greeting: (named: string, anonymous: string) => `{{ if .Subscriber.Name }}${named}{{ else }}${anonymous}{{ end }}`
  },
  /** Handlebars/Mustache-style tags that most other platforms (and SendGrid, Postmark) take: `{{unsubscribe_url}}`, `{{name}}`. */
  generic: {
    name: 'generic',
    tag: (name: string) => `{{${name}}}`,
    greeting: (named: string, anonymous: string) => `{{#if name}}${named}{{else}}${anonymous}{{/if}}`
  }
} as const satisfies Record<string, Platform>

/**
 * The edition for a mailing platform: the greeting and every merge field (`{{ name }}`,
 * `{{ unsubscribe_url }}`, list columns) written in the platform's merge tags, for those who
 * send through the platform rather than over SMTP. Another platform's tags with a known
 * meaning (`*|UPDATE_PROFILE|*` in a listmonk export) are translated; the others are
 * returned in `foreign` (with `field: undefined`) and stay as written. The platform adds
 * its own List-Unsubscribe headers.
 *
 * @param edition Built with `{{ unsubscribe_url }}` as its unsubscribe URL.
 * @param platform One of {@link PLATFORMS}.
 */
export function exportEdition(
  edition: Edition,
  platform: Platform,
  greeting?: Greeting | false
): { html: string; text: string; subject: string; foreign: ForeignMergeTag[] } {
  const translated = [edition.html, edition.text, edition.subject].map((part) => translateMergeTags(part, platform.name))
  const foreign = new Map(translated.flatMap((part) => part.foreign).map((tag) => [tag.tag, tag]))
  const { edition: greeted } = withGreeting({ ...edition, html: translated[0]!.text, text: translated[1]!.text }, greeting)
  const forms = greeting === false ? undefined : (greeting ?? GREETINGS[edition.lang] ?? GREETINGS['en']!)
  const convert = (text: string, html: boolean) => {
    const literal = (value: string) => (html ? escapeHtml(value) : value)
    const tags = (value: string) =>
      value
        .split(MERGE_FIELD)
        .map((part, index) => (index % 2 === 1 ? platform.tag(part) : literal(part)))
        .join('')
    const greetingTag = forms ? platform.greeting(tags(forms.named), tags(forms.anonymous)) : ''
    return text.replace(MERGE_FIELD, (_, name: string) => (name === 'greeting' ? greetingTag : platform.tag(name)))
  }
  return {
    html: convert(greeted.html, true),
    text: convert(greeted.text, false),
    subject: convert(translated[2]!.text, false),
    foreign: [...foreign.values()]
  }
}
