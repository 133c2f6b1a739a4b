import { createHash } from 'node:crypto'
import { readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { decodeUrlPath, realPathInsideAsync } from '@masthead/core'
import type { CheerioAPI } from 'cheerio'
import sharp from 'sharp'
import { CONTENT_WIDTH } from './email-body-html.js'
import type { AssetOptions } from './email-config.js'

/** An image made for the email: attached by CID or to be uploaded beside the HTML. */
export interface EmailAsset {
  /** File name, e.g. `shore-power-1104.jpg`. */
  filename: string
  /** Where the HTML points: `cid:…` or an absolute URL. */
  href: string
  /** The Content-ID, without angle brackets (CID mode). */
  cid?: string
  contentType: string
  content: Buffer
  /** The path of the original file. */
  source: string
  width: number
  height: number
}

/** A problem with one image (missing file, outside the issue folder, unreadable). */
export interface AssetProblem {
  src: string
  reason: string
}

/** Largest width an image is stored at: twice its display width (sharp on retina screens). */
export function targetWidth(displayWidth: number, intrinsicWidth: number): number {
  return Math.min(intrinsicWidth, Math.max(1, Math.round(displayWidth * 2)))
}

interface Encoded {
  content: Buffer
  contentType: string
  ext: string
  width: number
  height: number
}

/** Resized images by file, modification time and box: rebuilds (watch mode) skip sharp. */
const cache = new Map<string, Promise<Encoded>>()
const CACHE_SIZE = 64

function encodeCached(file: string, width: number, height: number | undefined): Promise<Encoded> {
  return stat(file).then((info) => {
    const key = `${file}\n${info.mtimeMs}\n${info.size}\n${width}x${height ?? ''}`
    let encoded = cache.get(key)
    if (!encoded) {
      encoded = encode(file, width, height)
      encoded.catch(() => cache.delete(key))
      cache.set(key, encoded)
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!)
    }
    return encoded
  })
}

async function encode(file: string, width: number, height: number | undefined): Promise<Encoded> {
  const input = sharp(await readFile(file), { animated: false }).rotate()
  const meta = await input.metadata()
  const target = targetWidth(width, meta.width)
  // A display box of another shape than the image (a square portrait) is filled by cropping.
  const crop = height !== undefined && Math.abs(width / height - meta.width / meta.height) > 0.02
  const resized = crop
    ? input.resize({ width: target, height: Math.round((target * height) / width), fit: 'cover', position: 'attention' })
    : input.resize({ width: target, withoutEnlargement: true })
  // JPEG for photographs, PNG when there is transparency; no WebP (Outlook shows none).
  const out = meta.hasAlpha
    ? await resized.png({ compressionLevel: 9, palette: true }).toBuffer({ resolveWithObject: true })
    : await resized.jpeg({ quality: 78, mozjpeg: true, progressive: false }).toBuffer({ resolveWithObject: true })
  const png = meta.hasAlpha === true
  return {
    content: out.data,
    contentType: png ? 'image/png' : 'image/jpeg',
    ext: png ? 'png' : 'jpg',
    width: out.info.width,
    height: out.info.height
  }
}

/**
 * Resize every local image of the email to at most twice its display width (read from its
 * `width` attribute; cropped to fill when its `height` gives another shape) and point it at a CID attachment or at `<baseUrl><file>`. Remote
 * (`http(s):`), `cid:` and `data:` sources, and merge tags, are left alone.
 *
 * @param $ The parsed email.
 * @param baseDir The issue folder: relative sources resolve against it and must stay inside it.
 * @param options CID or URL mode.
 */
export async function embedImages(
  $: CheerioAPI,
  baseDir: string,
  options: AssetOptions
): Promise<{ assets: EmailAsset[]; problems: AssetProblem[] }> {
  const assets = new Map<string, EmailAsset>()
  const problems: AssetProblem[] = []
  for (const element of $('img[src]').toArray()) {
    const img = $(element)
    const src = img.attr('src')!.trim()
    if (/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i.test(src) || /MHMERGE\d+TAG/.test(src)) continue
    // Decoded once, like the parser and the browser do it; then the file is read by its
    // real path, checked here, right before the read (a symlink out of the folder is refused).
    const decoded = decodeUrlPath(src)
    if ('error' in decoded) {
      problems.push({
        src,
        reason: `Unexpected image path \`${src}\` with ${decoded.error}, expected a plain path inside the issue folder`
      })
      continue
    }
    const contained = await realPathInsideAsync(path.resolve(baseDir, decoded.path), [baseDir])
    if (contained.real === undefined) {
      problems.push({ src, reason: `Cannot read image \`${src}\`: there is no such file in the issue folder` })
      continue
    }
    if (!contained.inside) {
      problems.push({ src, reason: `Unexpected image \`${src}\` outside the issue folder, expected a path inside it` })
      continue
    }
    const file = contained.real
    const displayWidth = Number(img.attr('width')) || CONTENT_WIDTH
    const displayHeight = Number(img.attr('height')) || undefined
    const key = `${file}@${displayWidth}x${displayHeight ?? ''}`
    let asset = assets.get(key)
    if (!asset) {
      try {
        const encoded = await encodeCached(file, displayWidth, displayHeight)
        const hash = createHash('sha1').update(encoded.content).digest('hex').slice(0, 10)
        const filename = `${path.basename(file, path.extname(file))}-${encoded.width}.${encoded.ext}`
        const cid = `${hash}.${filename}@masthead`
        const href = options.mode === 'cid' ? `cid:${cid}` : new URL(`${hash}-${filename}`, options.baseUrl.replace(/\/?$/, '/')).href
        asset = {
          filename: options.mode === 'cid' ? filename : `${hash}-${filename}`,
          href,
          ...(options.mode === 'cid' ? { cid } : {}),
          contentType: encoded.contentType,
          content: encoded.content,
          source: file,
          width: encoded.width,
          height: encoded.height
        }
        assets.set(key, asset)
      } catch (error) {
        problems.push({ src, reason: `Cannot read image \`${src}\`: ${(error as Error).message}` })
        continue
      }
    }
    img.attr('src', asset.href)
  }
  return { assets: [...assets.values()], problems }
}
