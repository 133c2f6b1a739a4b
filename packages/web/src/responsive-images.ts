import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { decodeUrlPath, isInside } from '@masthead/core'
import type { CheerioAPI } from 'cheerio'
import sharp from 'sharp'

/** Widths, in pixels, an image of the web edition is offered at (up to its own width). */
export const IMAGE_WIDTHS = [480, 800, 1200, 1600] as const

/** `sizes` for an image in the text column, and for the small round portraits. */
const SIZES_COLUMN = '(min-width: 46rem) 42rem, calc(100vw - 2.5rem)'
const SIZES_SMALL = '6rem'

/** One image file the page refers to, and the sizes it was written at. */
interface Variants {
  /** `images/<name>-<hash>-<width>.webp` per width. */
  files: Array<{ name: string; width: number; height: number; data: Uint8Array }>
}

/**
 * Make the page's local images responsive: each `<img>` whose `src` is a path inside the
 * issue folder is resized with sharp to WebP at every width of {@link IMAGE_WIDTHS} up to
 * its own (and its own width, when smaller than the first), and gets `srcset`, `sizes`,
 * `width`/`height` of its shape, and lazy loading after the first. The files are named by
 * a hash of the source, so a changed picture gets a new name and no stale cache.
 *
 * @param $ The page.
 * @param issueDir The issue folder (images outside it are left alone).
 * @returns The image files to write, by path relative to the page (`images/…`).
 */
export async function responsiveImages($: CheerioAPI, issueDir: string): Promise<Map<string, Uint8Array>> {
  const outputs = new Map<string, Uint8Array>()
  const done = new Map<string, Variants>()
  const images = $('main img[src], header img[src]').toArray()
  for (const [index, element] of images.entries()) {
    const src = element.attribs['src']!
    if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) continue
    const decoded = decodeUrlPath(src.split(/[?#]/)[0]!)
    if ('error' in decoded) continue
    const file = path.resolve(issueDir, decoded.path)
    if (file === path.resolve(issueDir) || !isInside(issueDir, file)) continue
    let variants = done.get(file)
    if (!variants) {
      variants = await resize(file)
      done.set(file, variants)
      for (const variant of variants.files) outputs.set(variant.name, variant.data)
    }
    const small = $(element).closest('.viewpoint-portrait, .contact-qr').length > 0
    const fallback = variants.files.find((variant) => variant.width >= 800) ?? variants.files.at(-1)!
    element.attribs['src'] = fallback.name
    element.attribs['srcset'] = variants.files.map((variant) => `${variant.name} ${variant.width}w`).join(', ')
    element.attribs['sizes'] = small ? SIZES_SMALL : SIZES_COLUMN
    element.attribs['width'] = String(fallback.width)
    element.attribs['height'] = String(fallback.height)
    element.attribs['decoding'] = 'async'
    if (index > 0) element.attribs['loading'] = 'lazy'
  }
  return outputs
}

/**
 * Variants made in this process, by a hash of the source bytes and the file's name: a
 * live preview or a build of many issues resizes each picture once.
 */
const made = new Map<string, Promise<Variants>>()

async function resize(file: string): Promise<Variants> {
  const input = await readFile(file)
  const hash = createHash('sha256').update(input).digest('hex')
  const key = `${hash} ${path.basename(file)}`
  let variants = made.get(key)
  if (!variants) {
    variants = encode(file, input, hash.slice(0, 8))
    made.set(key, variants)
    variants.catch(() => made.delete(key))
  }
  return variants
}

async function encode(file: string, input: Buffer, hash: string): Promise<Variants> {
  const base = path.basename(file, path.extname(file)).replace(/[^a-zA-Z0-9_-]+/g, '-')
  const image = sharp(input, { failOn: 'error' }).rotate()
  const meta = await image.metadata()
  const own = ((meta.orientation ?? 1) >= 5 ? meta.height : meta.width) || IMAGE_WIDTHS[0]
  const widths = [...new Set([...IMAGE_WIDTHS.filter((width) => width <= own), Math.min(own, IMAGE_WIDTHS[0])])].sort((a, b) => a - b)
  const files = await Promise.all(
    widths.map(async (width) => {
      const { data, info } = await image
        .clone()
        .resize({ width, withoutEnlargement: true })
        .webp({ quality: 78 })
        .toBuffer({ resolveWithObject: true })
      return { name: `images/${base}-${hash}-${width}.webp`, width: info.width, height: info.height, data: new Uint8Array(data) }
    })
  )
  return { files }
}
