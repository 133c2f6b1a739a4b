import type { VFile } from '@masthead/core'
import { addError } from '@masthead/core'
import type { Place } from '@masthead/core'

/** True for a link target with neither a scheme (`https:`, `mailto:`) nor a leading `#`: a path, relative to something. */
export function isRelativeLink(url: string): boolean {
  const trimmed = url.trim()
  return !/^[a-z][a-z0-9+.-]*:/i.test(trimmed) && !trimmed.startsWith('#')
}

/**
 * Resolve a relative link (`../archive/11/`, `/about`, `//host/x`) against the web
 * edition (`url` in the frontmatter). A printed PDF or an email has no address of its own
 * for it to be relative to: left as it is, Chromium would make it a `file://` URL naming a
 * folder of the build machine. Without `url` the link is an error at its place.
 *
 * @returns The absolute URL, the URL itself when it is not relative, or `undefined` after
 *   reporting the error.
 */
export function resolveLink(url: string, base: string | undefined, file: VFile, place: Place): string | undefined {
  if (!isRelativeLink(url)) return url
  if (base !== undefined) return new URL(url.trim(), base).href
  addError(
    file,
    `Unexpected relative link \`${url}\`, expected an absolute address (\`https://…\`), or \`url:\` in the frontmatter (the web edition) to resolve it against; a PDF or an email has no address of its own`,
    {
      ruleId: 'relative-link',
      source: 'masthead:parse',
      place
    }
  )
  return undefined
}
