import { realpathSync } from 'node:fs'
import { realpath } from 'node:fs/promises'
import path from 'node:path'

/**
 * One place for the question every reader of a file asks: is this file inside the folders
 * it may come from? Paths in URLs are decoded exactly once ({@link decodeUrlPath}); a file
 * is checked by its real path (symlinks followed, {@link realPathInside}) right where it is
 * read, and the real path is what is read then. The print request policy, the email's image
 * embedding, the preview server, the watcher and the image resolver of the parser all use it.
 */

/** Whether `file` is `root` or inside it, comparing the paths as written (both absolute). */
export function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file)
  return relative === '' || (relative !== '..' && !relative.startsWith('..' + path.sep) && !path.isAbsolute(relative))
}

/** A URL path decoded once, or why it cannot be. */
export type DecodedPath = { path: string } | { error: string }

/**
 * Decode the percent-escapes of a relative URL path (an `<img src>`) exactly once, as a
 * browser does when it turns the URL into a file name. `%2F`, `%5C` (an encoded separator,
 * which a `file:` URL may not hold) and `%00` are refused, as is a malformed escape. The
 * result is a path to resolve, never to decode again.
 *
 * @param src The URL path as written.
 */
export function decodeUrlPath(src: string): DecodedPath {
  if (/%(?:2f|5c|00)/i.test(src) || src.includes('\0')) return { error: `an encoded \`/\`, \`\\\` or NUL` }
  try {
    return { path: decodeURIComponent(src) }
  } catch {
    return { error: 'a malformed `%` escape' }
  }
}

/**
 * Write a checked file path as a relative URL path that {@link decodeUrlPath} (or a
 * browser) decodes back to exactly that path: `%`, `#` and `?` are escaped, the rest stays
 * as written (non-ASCII included).
 *
 * @param file A relative path, with `/` separators.
 */
export function encodeUrlPath(file: string): string {
  return file.replace(/[%#?]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** Where a file really is, and whether that is inside the allowed folders. */
export type Containment =
  | { inside: true; real: string }
  | { inside: false; real: string; reason: 'outside' }
  | { inside: false; real: undefined; reason: 'missing' }

function realOrResolved(dir: string): string {
  try {
    return realpathSync(dir)
  } catch {
    return path.resolve(dir)
  }
}

/**
 * Resolve `file` to its real path (every symlink followed) and check that it is inside one
 * of `roots` (also resolved to their real paths). Call it right before reading, and read
 * `real`, not `file`.
 *
 * @param file The file (absolute, or relative to the working folder).
 * @param roots The folders it may be in.
 */
export function realPathInside(file: string, roots: readonly string[]): Containment {
  let real: string
  try {
    real = realpathSync(file)
  } catch {
    return { inside: false, real: undefined, reason: 'missing' }
  }
  return roots.some((root) => isInside(realOrResolved(root), real)) ? { inside: true, real } : { inside: false, real, reason: 'outside' }
}

/** {@link realPathInside}, without blocking the event loop on the file system. */
export async function realPathInsideAsync(file: string, roots: readonly string[]): Promise<Containment> {
  let real: string
  try {
    real = await realpath(file)
  } catch {
    return { inside: false, real: undefined, reason: 'missing' }
  }
  const realRoots = await Promise.all(roots.map((root) => realpath(root).catch(() => path.resolve(root))))
  return realRoots.some((root) => isInside(root, real)) ? { inside: true, real } : { inside: false, real, reason: 'outside' }
}
