import type { Issue, Lang } from '@masthead/core'
import { labels, sectionItems } from '@masthead/core'

/** A mailbox: `"Name" <address>`. */
export interface Mailbox {
  name?: string
  address: string
}

/** Where the images of the email come from. */
export type AssetOptions =
  /** Embed every image in the .eml as a `cid:` attachment (the HTML alone then shows none). */
  | { mode: 'cid' }
  /** Reference every image by absolute URL: `<baseUrl><file>`; the files are returned to be uploaded. */
  | { mode: 'url'; baseUrl: string }

/** A logo shown in the masthead; `darkSrc` is swapped in where dark mode is supported. */
export interface LogoOptions {
  /** Path relative to the issue folder, or an absolute http(s) URL. */
  src: string
  darkSrc?: string
  /** Display width and height in CSS pixels. */
  width: number
  height: number
  alt: string
}

/** What the email edition is built with; everything is optional. */
export interface EmailConfig {
  /** `full` text or a `digest` (headline, excerpt, "read more"); default: the issue's frontmatter. */
  mode?: 'full' | 'digest'
  /** The inbox preview line; default: frontmatter `email.preheader`, then `subject`, then the first dek. */
  preheader?: string
  /** "View in browser" link; default: the issue's `url`. A merge tag (`*|ARCHIVE|*`) works. */
  viewInBrowserUrl?: string
  /** Unsubscribe link, e.g. `*|UNSUB|*` or `{{ UnsubscribeURL }}`; adds List-Unsubscribe headers. */
  unsubscribeUrl?: string
  /** Query parameters added to every http(s) link; `false` turns tagging off. Default: utm_source=newsletter, utm_medium=email, utm_campaign=<slug>. */
  utm?: Record<string, string> | false
  /** The From mailbox; default: the publisher at `newsletter@example.org`. */
  sender?: Mailbox
  /** The To header of the .eml; default `subscriber@example.invalid` (the mailing platform replaces it). */
  recipient?: Mailbox
  /** Subject line; default `<title> · <issue>`. */
  subject?: string
  /** Date header; default: the issue date, 08:00 UTC (so builds are reproducible). */
  date?: Date
  /** Images as CID attachments (default) or absolute URLs. */
  assets?: AssetOptions
  logo?: LogoOptions
  /** The email stylesheet (see `loadEmailStyles`); without it only MJML's attributes style the email. */
  styles?: EmailStyles
  /** Extra patterns of merge tags to keep verbatim, besides the built-in ones. */
  mergeTags?: RegExp[]
  /** Above this many bytes of HTML the build fails (Gmail clips at 102 KB). */
  maxBytes?: number
  /** Line length of the plain-text edition, in columns. */
  textWidth?: number
}

/** The email stylesheet split for MJML: rules to inline, and rules that must stay in `<style>`. */
export interface EmailStyles {
  /** Plain rules, inlined by MJML (juice) into `style` attributes. */
  inline: string
  /** `@media` rules (phone, dark mode) and other rules that cannot be inlined. */
  head: string
  /** Custom properties from `:root`, without the leading `--`, for `mj-attributes`. */
  tokens: Record<string, string>
}

/** Words the templates and the text edition print, per language. */
export interface EmailLabels {
  readMore: string
  /** The digest's closing button to the web edition. */
  readIssue: string
  viewInBrowser: string
  unsubscribe: string
  source: string
  contributor: string
  links: string
  people: string
  phone: string
  fax: string
  email: string
  web: string
  address: string
  /** Under a QR code of the web address, as print has it. */
  scan: string
  listSeparator: string
  /** Between a label and its value in the text edition: `: ` or `：`. */
  colon: string
}

/** The labels for `lang`: the words of `@masthead/core`'s `labels`, in the email's forms (`Source: `). */
export function emailLabels(lang: Lang): EmailLabels {
  const words = labels[lang] ?? labels.en
  const before = (word: string) => word + words.colon
  return {
    readMore: words.link,
    readIssue: words.readWholeIssue,
    viewInBrowser: words.viewInBrowser,
    unsubscribe: words.unsubscribe,
    source: before(words.source),
    contributor: words.contributorBefore,
    links: words.links,
    people: before(words.people),
    phone: before(words.phone),
    fax: before(words.fax),
    email: before(words.email),
    web: before(words.web),
    address: before(words.address),
    scan: words.scan,
    listSeparator: ' · ',
    colon: words.colon
  }
}

/** The email settings after defaults, as the build uses them. */
export interface ResolvedEmailConfig {
  mode: 'full' | 'digest'
  preheader: string
  viewInBrowserUrl: string | undefined
  unsubscribeUrl: string | undefined
  utm: Record<string, string> | false
  sender: Mailbox
  recipient: Mailbox
  subject: string
  date: Date
  assets: AssetOptions
  logo: LogoOptions | undefined
  styles: EmailStyles
  mergeTags: RegExp[]
  maxBytes: number
  textWidth: number
  labels: EmailLabels
}

/** Gmail clips a message whose HTML passes 102 KB. */
export const GMAIL_CLIP_BYTES = 102 * 1024

/**
 * Fill in the defaults of `config` from the issue.
 *
 * @param issue The issue being built.
 * @param config What the caller set.
 */
export function resolveEmailConfig(issue: Issue, config: EmailConfig = {}): ResolvedEmailConfig {
  const { meta } = issue
  const firstDek = issue.sections
    .flatMap(sectionItems)
    .map((item) => item.fields['dek'])
    .find((value): value is string => typeof value === 'string' && value !== '')
  const date = meta.date
  return {
    mode: config.mode ?? meta.editions.email.mode,
    preheader: config.preheader ?? meta.editions.email.preheader ?? meta.subject ?? firstDek ?? '',
    viewInBrowserUrl: config.viewInBrowserUrl ?? meta.url,
    unsubscribeUrl: config.unsubscribeUrl,
    utm: config.utm ?? { utm_source: 'newsletter', utm_medium: 'email', utm_campaign: issue.slug },
    sender: config.sender ?? { name: meta.publisher, address: 'newsletter@example.org' },
    recipient: config.recipient ?? { address: 'subscriber@example.invalid' },
    subject: config.subject ?? (meta.issue === undefined ? meta.title : `${meta.title} · ${meta.issue}`),
    date: config.date ?? new Date(Date.UTC(date.year, (date.month ?? 1) - 1, date.day ?? 1, 8)),
    assets: config.assets ?? { mode: 'cid' },
    logo: config.logo,
    styles: config.styles ?? { inline: '', head: '', tokens: {} },
    mergeTags: config.mergeTags ?? [],
    maxBytes: config.maxBytes ?? GMAIL_CLIP_BYTES,
    textWidth: config.textWidth ?? 72,
    labels: emailLabels(meta.lang)
  }
}
