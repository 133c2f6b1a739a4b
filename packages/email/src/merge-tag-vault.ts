/**
 * Mailing-platform merge tags must reach the platform byte for byte, but Handlebars escapes
 * `=` and quotes, MJML and the minifier touch attribute values, and link tagging would add
 * query strings. So every merge tag is swapped for an inert token (letters and digits only)
 * before those steps and swapped back at the very end.
 */

/**
 * Merge tags recognized out of the box. A merge tag goes back into the HTML as written,
 * unescaped, so none may hold `<`, `>` or a line break (and none is longer than 200
 * characters): text such as `{{<img src=x onerror=…>}}` is escaped like any other text, and
 * a tag can never span markup.
 */
export const MERGE_TAG_PATTERNS: readonly RegExp[] = [
  /\*\|[A-Z0-9_:-]{1,100}(?:\|[^|*<>\r\n]{0,100})?\|\*/g, // Mailchimp *|UNSUB|*, *|IF:NAME|*
  /\{\{\{?[^{}<>\r\n]{1,200}\}?\}\}/g, // listmonk {{ UnsubscribeURL }}, Postmark/SendGrid {{{unsubscribe}}}
  /\{%[^%<>\r\n]{1,200}%\}/g, // Liquid (Braze, Customer.io) {% unsubscribe_link %}
  /%%=?[^%\s<>][^%<>\r\n]{0,200}?=?%%/g, // Salesforce/Campaign Monitor %%unsubscribe%%, %%=RedirectTo(@x)=%%
  /\[(?:unsubscribe|webversion|preferences|email|name|firstname)\]/gi // Sendy, Campaign Monitor
]

const TOKEN = /MHMERGE(\d+)TAG/g

/** Protects merge tags in strings and gives them back. */
export interface MergeTagVault {
  /** Replace every merge tag in `text` with a token. */
  protect(text: string): string
  /** Protect every string inside a JSON-like value (a copy is returned). */
  protectDeep<T>(value: T): T
  /** Put the merge tags back. */
  restore(text: string): string
  /** The merge tags seen so far, in order. */
  readonly tags: readonly string[]
}

/**
 * Create a vault for one build.
 *
 * @param extra More patterns (global regular expressions) to treat as merge tags.
 */
export function createMergeTagVault(extra: readonly RegExp[] = []): MergeTagVault {
  const tags: string[] = []
  const index = new Map<string, number>()
  const patterns = [...MERGE_TAG_PATTERNS, ...extra].map((pattern) =>
    pattern.global ? pattern : new RegExp(pattern.source, pattern.flags + 'g')
  )
  const protect = (text: string): string => {
    let out = text
    for (const pattern of patterns) {
      out = out.replace(pattern, (tag) => {
        let at = index.get(tag)
        if (at === undefined) {
          at = tags.push(tag) - 1
          index.set(tag, at)
        }
        return `MHMERGE${at}TAG`
      })
    }
    return out
  }
  const protectDeep = <T>(value: T): T => {
    if (typeof value === 'string') return protect(value) as T
    if (Array.isArray(value)) return value.map((entry: unknown) => protectDeep(entry)) as T
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, protectDeep(entry as unknown)])) as T
    }
    return value
  }
  return {
    protect,
    protectDeep,
    restore: (text) => text.replace(TOKEN, (token, at: string) => tags[Number(at)] ?? token),
    tags
  }
}
