import type { ImageRef, Issue, Item } from '@masthead/core'
import { escapeHtml, formatDate } from '@masthead/core'
import { digestExcerpt } from './digest-excerpt.js'
import { CONTENT_WIDTH, emailBodyHtml } from './email-body-html.js'
import type { EmailLabels, LogoOptions, ResolvedEmailConfig } from './email-config.js'
import type { EmailAsset } from './embed-images.js'
import { QR_DISPLAY_WIDTH } from './qr-images.js'
import type { PhoneSegment } from './phone-links.js'
import { phoneLinks } from './phone-links.js'
import type { TextItemData, TextLink } from './text-edition-data.js'
import { textEditionData } from './text-edition-data.js'

/** An image as the email templates use it (`mj-image src width height alt`). */
export interface EmailImage {
  src: string
  width: number
  height: number
  alt: string
}

/** What the templates get for one item, under `email.items[<item id>]`. */
export interface EmailItemData {
  /** The digest excerpt (plain text); '' in full mode. */
  excerpt: string
  /** Link for "read more": the web edition's anchor, or the item's `link`; '' when neither. */
  readMoreUrl: string
  /**
   * The read-more link's `aria-label`: “Read more: <title>” (“阅读全文：…”); an untitled item
   * is named by the start of its text. Every such link reads the same; its label says where it leads.
   */
  readMoreLabel: string
  /** `28 May 2025 · North Quay`: date and place. */
  meta: string
  /** `Source: …` / `来源：…`, or ''. */
  source: string
  /** The contributor credit, or ''. */
  contributor: string
  /** A viewpoint's portrait, at its display size, or ''. */
  portrait: EmailImage | ''
  /** A QR code of the item's `web` address (PNG), shown at 96 px, or ''. */
  qr: EmailImage | ''
  /** The `phone` field split into numbers with `tel:` links and the text between them; [] without one. */
  phone: PhoneSegment[]
  /** For the text templates (`text.hbs`): the text with link references, and “read more [n]”. */
  text: TextItemData
}

/** Extra template data, under `email` in the template context. */
export interface EmailTemplateData {
  mode: 'full' | 'digest'
  digest: boolean
  preheader: string
  /** The issue date as readers write it. */
  date: string
  viewInBrowserUrl: string
  unsubscribeUrl: string
  labels: EmailLabels
  /** The font stack for the issue's language, CJK-aware. */
  fontFamily: string
  /** Design tokens (custom properties of the email stylesheet, without `--`). */
  tokens: Record<string, string>
  css: { inline: string; head: string }
  logo: (LogoOptions & { darkSrc: string }) | ''
  items: Record<string, EmailItemData>
  /** The text edition's numbered links (`[1] https://…`), in order. */
  links: TextLink[]
}

const CJK_FONTS = 'PingFang SC,Microsoft YaHei,Noto Sans CJK SC,Noto Sans SC,sans-serif'
const LATIN_FONTS = '-apple-system,BlinkMacSystemFont,Segoe UI,Helvetica,Arial'

/** The font stack for `lang`: Latin faces first for English, so Latin text keeps its shapes. */
export function fontStack(lang: string): string {
  return lang.startsWith('zh') ? `${CJK_FONTS}` : `${LATIN_FONTS},${CJK_FONTS}`
}

function portrait(value: unknown): EmailImage | '' {
  if (!value || typeof value !== 'object' || !('path' in value)) return ''
  const image = value as ImageRef
  // A square, cropped from the middle of the picture by `embedImages`, shown as a circle.
  const size = Math.min(72, image.width, image.height)
  return { src: image.src, width: size, height: size, alt: image.alt }
}

/** The first 30 characters of a text, on one line, with “…” when cut. */
function startOf(value: string): string {
  const flat = value.replace(/\s+/g, ' ').trim()
  const chars = [...flat]
  return chars.length > 30 ? `${chars.slice(0, 30).join('').trimEnd()}…` : flat
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : ''
}

function itemData(
  issue: Issue,
  item: Item,
  config: ResolvedEmailConfig,
  textData: TextItemData,
  qr: EmailAsset | undefined
): EmailItemData {
  const { lang } = issue.meta
  const date = item.fields['date']
  const dateText = date && typeof date === 'object' && 'iso' in date ? formatDate(date, lang) : ''
  const link = text(item.fields['link'])
  const source = text(item.fields['source'])
  const contributor = text(item.fields['contributor'])
  return {
    excerpt: config.mode === 'digest' ? digestExcerpt(item) : '',
    readMoreUrl: issue.meta.url ? `${issue.meta.url}#${item.id}` : link,
    readMoreLabel: config.labels.readMore + config.labels.colon + (item.title ?? startOf(item.body.text)),
    meta: [dateText, text(item.fields['place'])].filter(Boolean).join(config.labels.listSeparator),
    source: source ? config.labels.source + source : '',
    contributor: contributor ? config.labels.contributor + contributor : '',
    portrait: portrait(item.fields['portrait']),
    qr: qr ? { src: qr.href, width: QR_DISPLAY_WIDTH, height: QR_DISPLAY_WIDTH, alt: qr.source } : '',
    phone: phoneLinks(text(item.fields['phone'])),
    text: textData
  }
}

/**
 * The issue as the email templates see it, and the extra data under `email`. Item bodies
 * are made email-safe (see `emailBodyHtml`); in digest mode each body becomes its excerpt.
 *
 * @param issue The issue (not changed).
 * @param config The resolved email settings.
 * @param qrs QR codes of the items' `web` addresses, by item id (`qrImages`).
 */
export function emailTemplateData(
  issue: Issue,
  config: ResolvedEmailConfig,
  qrs: ReadonlyMap<string, EmailAsset> = new Map()
): { issue: Issue; data: EmailTemplateData } {
  const items: Record<string, EmailItemData> = {}
  const text = textEditionData(issue, config)
  const emailItem = (item: Item): Item => {
    const data = itemData(issue, item, config, text.items[item.id]!, qrs.get(item.id))
    items[item.id] = data
    const html =
      config.mode === 'digest' ? (data.excerpt ? `<p>${escapeHtml(data.excerpt)}</p>` : '') : emailBodyHtml(item.body.html, CONTENT_WIDTH)
    return { ...item, body: { ...item.body, html } }
  }
  const sections = issue.sections.map((section) => {
    return {
      ...section,
      intro: { ...section.intro, html: emailBodyHtml(section.intro.html) },
      items: section.items.map(emailItem),
      parts: section.parts.map((part) => ({
        ...part,
        intro: { ...part.intro, html: emailBodyHtml(part.intro.html) },
        items: part.items.map(emailItem)
      }))
    }
  })
  const logo = config.logo ? { ...config.logo, darkSrc: config.logo.darkSrc ?? '' } : ''
  return {
    issue: { ...issue, sections },
    data: {
      mode: config.mode,
      digest: config.mode === 'digest',
      preheader: config.preheader,
      date: formatDate(issue.meta.date, issue.meta.lang),
      viewInBrowserUrl: config.viewInBrowserUrl ?? '',
      unsubscribeUrl: config.unsubscribeUrl ?? '',
      labels: config.labels,
      fontFamily: fontStack(issue.meta.lang),
      tokens: config.styles.tokens,
      css: { inline: config.styles.inline, head: config.styles.head },
      logo,
      items,
      links: text.links
    }
  }
}
