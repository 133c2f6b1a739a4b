import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import path from 'node:path'
import { isInside, realPathInsideAsync } from '@masthead/core'
import { lookup } from 'mrmime'
import type { Mount } from './preview-html.js'

/**
 * What mrmime's table (the IANA registry) says otherwise or lacks: the preview shows sources
 * (`issue.md`, templates) as text rather than offering them as a download.
 */
const OWN_TYPES: Readonly<Record<string, string>> = {
  md: 'text/plain',
  hbs: 'text/plain',
  ico: 'image/vnd.microsoft.icon'
}

/** The content type of a file, by its extension (text in UTF-8). */
export function contentType(file: string): string {
  const extension = path.extname(file).slice(1).toLowerCase()
  const type = OWN_TYPES[extension] ?? lookup(extension) ?? 'application/octet-stream'
  return /^text\/|^application\/json$/.test(type) ? `${type}; charset=utf-8` : type
}

/** Whether a page can load the file as an image, a font or a stylesheet (and keep it in its memory cache). */
export function isPageAsset(file: string): boolean {
  return /^(?:image|font)\/|^text\/css;/.test(contentType(file))
}

/** Headers every response of the preview carries. */
export const COMMON_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer'
} as const

/** Send a body (or, for HEAD, only its headers). */
export function send(
  request: IncomingMessage,
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Uint8Array,
  headers: Record<string, string> = {}
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  response.writeHead(status, { ...COMMON_HEADERS, 'content-type': type, 'content-length': String(bytes.byteLength), ...headers })
  response.end(request.method === 'HEAD' ? undefined : bytes)
}

/**
 * Serve a file from a mount: `segments` are the decoded path segments after the mount's
 * name. Anything that would leave the mount (`..`, a symlink out) is a 404.
 *
 * @returns false when the file is not there (the caller answers 404).
 */
export async function serveFile(
  request: IncomingMessage,
  response: ServerResponse,
  mount: Mount,
  segments: readonly string[]
): Promise<boolean> {
  const cacheControl = mount.cache === 'immutable' ? 'max-age=600' : 'no-cache'
  const file = path.resolve(mount.dir, ...segments)
  if (!isInside(mount.dir, file)) return false
  try {
    const contained = await realPathInsideAsync(file, [mount.dir])
    if (!contained.inside) return false
    const real = contained.real
    const info = await stat(real)
    if (!info.isFile()) return false
    // Revalidated on every load (a designer's edit shows), but a 304 when unchanged: the
    // page's fonts and images are not sent again on every rebuild.
    const etag = `W/"${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"`
    const headers = { ...COMMON_HEADERS, 'cache-control': cacheControl, etag, 'last-modified': info.mtime.toUTCString() }
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers)
      response.end()
      return true
    }
    response.writeHead(200, { ...headers, 'content-type': contentType(real), 'content-length': String(info.size) })
    if (request.method === 'HEAD') {
      response.end()
      return true
    }
    await new Promise<void>((resolve) => {
      createReadStream(real)
        .on('error', () => {
          response.destroy()
          resolve()
        })
        .on('end', resolve)
        .pipe(response)
    })
    return true
  } catch {
    return false
  }
}
