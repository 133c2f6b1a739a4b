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

/**
 * Make the request policy of a render: `data:` and `about:blank` pass, `file:`
 * passes only inside one of `allowedRoots` (after resolving symlinks), anything
 * else (http, https, ws, ftp, blob from elsewhere…) is blocked.
 *
 * @param allowedRoots Folders the document may read from.
 */
export function requestPolicy(allowedRoots: readonly string[]): (url: string) => RequestVerdict {
  const roots = allowedRoots.map((root) => real(root))
  return (url) => {
    if (url.startsWith('data:') || url === 'about:blank') return { allowed: true }
    if (!url.startsWith('file:')) {
      const scheme = url.slice(0, Math.max(url.indexOf(':'), 0)) || url
      return { allowed: false, reason: `\`${scheme}:\` requests are not allowed while printing (no network access)` }
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
