import { realpathSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/** What the policy says about one URL. */
export type RequestVerdict = { allowed: true } | { allowed: false; reason: string }

function real(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return path.resolve(file)
  }
}

function inside(file: string, root: string): boolean {
  const relative = path.relative(root, file)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

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
  const roots = allowedRoots.map((root) => real(root))
  const origins = new Set(allowedOrigins.map((origin) => httpOrigin(origin) ?? origin))
  return (url) => {
    if (url.startsWith('data:') || url === 'about:blank') return { allowed: true }
    const origin = httpOrigin(url)
    if (origin !== undefined && origins.has(origin)) return { allowed: true }
    if (!url.startsWith('file:')) {
      const scheme = url.slice(0, Math.max(url.indexOf(':'), 0)) || url
      const which = origin === undefined ? '' : ` to \`${origin}\``
      return { allowed: false, reason: `\`${scheme}:\` requests${which} are not allowed while printing (no network access except to allow-listed origins)` }
    }
    let file: string
    try {
      file = fileURLToPath(url)
    } catch {
      return { allowed: false, reason: 'the file URL is malformed' }
    }
    const resolved = real(file)
    if (roots.some((root) => inside(resolved, root))) return { allowed: true }
    return { allowed: false, reason: `\`${resolved}\` is outside the allowed folders` }
  }
}
