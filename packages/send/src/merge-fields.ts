/**
 * Merge fields are written `{{ field }}` in the issue (they pass through the email build
 * untouched, like any mailing platform's merge tags) and filled per recipient: `name`,
 * `email`, `greeting`, `unsubscribe_url` and every other column of the list.
 */
export const MERGE_FIELD = /\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g

/** The unsubscribe URL the email edition is built with, filled per recipient. */
export const UNSUBSCRIBE_FIELD = '{{ unsubscribe_url }}'

/** Where the greeting goes. */
export const GREETING_FIELD = '{{ greeting }}'

/**
 * Replace the merge fields of `template` with `values` (looked up as written, then
 * lowercased). Unknown fields stay as they are and are returned, so the caller can say so.
 *
 * @param escape Applied to every value (HTML escaping for the HTML part).
 */
export function fillMergeFields(
  template: string,
  values: Readonly<Record<string, string>>,
  escape: (value: string) => string = (value) => value
): { text: string; unknown: string[] } {
  const unknown = new Set<string>()
  const lower = new Map(Object.entries(values).map(([key, value]) => [key.toLowerCase(), value]))
  const text = template.replace(MERGE_FIELD, (tag, key: string) => {
    const value = values[key] ?? lower.get(key.toLowerCase())
    if (value === undefined) {
      unknown.add(key)
      return tag
    }
    return escape(value)
  })
  return { text, unknown: [...unknown] }
}

export { escapeHtml } from '@masthead/core'

/** The merge fields a text uses, each once, in order. */
export function mergeFieldsOf(text: string): string[] {
  return [...new Set([...text.matchAll(MERGE_FIELD)].map((match) => match[1]!))]
}
