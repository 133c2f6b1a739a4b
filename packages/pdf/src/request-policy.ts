import { isInside, realPathInside } from '@masthead/core'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** What the policy says about one URL. */
export type RequestVerdict = { allowed: true } | { allowed: false; reason: string }

/** The origin of an `http(s):` URL (`https://host[:port]`), or `undefined`. */
function httpOrigin(url: string): string | undefined {
  if (!/^https?:/i.test(url)) return undefined
  try {
    return new URL(url).origin
  } catch {
    return undefined
  }
}

/**
 * Make the request policy of a render: `data:` and `about:blank` pass, `file:`
 * passes only inside one of `allowedRoots` (after resolving symlinks), `http:` and
 * `https:` pass only to one of `allowedOrigins`, anything else (ws, ftp, blob from
 * elsewhere…) is blocked.
 *
 * @param allowedRoots Folders the document may read from.
 * @param allowedOrigins `http(s)://host[:port]` origins the document may load from (none by default).
 */
export function requestPolicy(allowedRoots: readonly string[], allowedOrigins: readonly string[] = []): (url: string) => RequestVerdict {
  const roots = [...allowedRoots]
  const origins = new Set(allowedOrigins.map((origin) => httpOrigin(origin) ?? origin))
  return (url) => {
    if (url.startsWith('data:') || url === 'about:blank') return { allowed: true }
    const origin = httpOrigin(url)
    if (origin !== undefined && origins.has(origin)) return { allowed: true }
    if (!url.startsWith('file:')) {
      const scheme = url.slice(0, Math.max(url.indexOf(':'), 0)) || url
      const which = origin === undefined ? '' : ` to \`${origin}\``
      return {
        allowed: false,
        reason: `\`${scheme}:\` requests${which} are not allowed while printing (no network access except to allow-listed origins)`
      }
    }
    let file: string
    try {
      // The URL's one decoding, as Chromium's own file loader does it.
      file = fileURLToPath(url)
    } catch {
      return { allowed: false, reason: 'the file URL is malformed' }
    }
    // Checked by its real path at the moment Chromium asks for it, as the read follows.
    const contained = realPathInside(file, roots)
    if (contained.inside) return { allowed: true }
    // Nothing there to read: Chromium's load fails by itself (and is reported as missing).
    if (contained.real === undefined && roots.some((root) => isInside(path.resolve(root), path.resolve(file)))) return { allowed: true }
    return { allowed: false, reason: `\`${contained.real ?? file}\` is outside the allowed folders` }
  }
}
