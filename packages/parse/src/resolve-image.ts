import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { ImageRef, Position, VFile } from '@masthead/core'
import { decodeUrlPath, encodeUrlPath, addError, isInside, realPathInside, warn } from '@masthead/core'
import { imageSize } from 'image-size'

const SOURCE = 'masthead:parse'

/**
 * The most pixels an image may have: 16383 × 16383, the limit of libvips (through sharp),
 * which the email edition resizes images with. Checked here, from the file's header, so a
 * larger image is an error at its line before anything is rendered.
 */
export const MAX_IMAGE_PIXELS = 16_383 * 16_383

const TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  svg: 'image/svg+xml',
  avif: 'image/avif'
}

/** Resolve an image reference of the source to a checked file in the issue folder. */
export type ImageResolver = (src: string, alt: string, caption: string | undefined, place: Position | undefined) => ImageRef | undefined

/**
 * Make an {@link ImageResolver} for one issue folder. It refuses remote and absolute
 * URLs, paths that lead out of the folder (also through symlinks), files that do not exist
 * or are not images, and warns about missing alt text. Results are cached per path.
 *
 * @param dir The issue folder.
 * @param file The issue source, which receives the messages.
 */
export function createImageResolver(dir: string, file: VFile): ImageResolver {
  const sizes = new Map<string, { width: number; height: number; type: string } | undefined>()
  return (src, alt, caption, place) => {
    const report = (reason: string, ruleId: string) => void addError(file, reason, { ruleId, source: SOURCE, place })
    if (/^[a-z][a-z\d+.-]*:/i.test(src) || src.startsWith('//')) {
      report(
        `Unexpected image URL \`${src}\`, expected a file in the issue folder (e.g. \`images/photo.jpg\`); remote images are not fetched`,
        'remote-image'
      )
      return undefined
    }
    const decoding = decodeUrlPath(src)
    if ('error' in decoding) {
      report(
        `Unexpected image path \`${src}\` with ${decoding.error}, expected a plain path relative to the issue folder`,
        'image-outside-issue'
      )
      return undefined
    }
    const decoded = decoding.path
    if (path.isAbsolute(decoded)) {
      report(`Unexpected absolute image path \`${src}\`, expected a path relative to the issue folder`, 'image-outside-issue')
      return undefined
    }
    const absolute = path.resolve(dir, decoded)
    if (!isInside(path.resolve(dir), absolute)) {
      report(`Unexpected image path \`${src}\` that leads out of the issue folder, expected a file inside it`, 'image-outside-issue')
      return undefined
    }
    const contained = realPathInside(absolute, [dir])
    if (contained.real === undefined) {
      report(`Cannot find image \`${src}\`, expected a file at \`${path.relative(file.cwd, absolute)}\``, 'missing-image')
      return undefined
    }
    const real = contained.real
    if (!contained.inside) {
      report(`Unexpected image \`${src}\` that links out of the issue folder, expected a file inside it`, 'image-outside-issue')
      return undefined
    }
    if (!sizes.has(real)) {
      try {
        const info = imageSize(readFileSync(real))
        const type = TYPES[info.type ?? ''] ?? (info.type ? `image/${info.type}` : undefined)
        sizes.set(real, info.width && info.height && type ? { width: info.width, height: info.height, type } : undefined)
      } catch {
        sizes.set(real, undefined)
      }
    }
    const size = sizes.get(real)
    if (!size) {
      report(`Unexpected file \`${src}\` that is not an image, expected a JPEG, PNG, GIF, WebP, AVIF or SVG file`, 'invalid-image')
      return undefined
    }
    if (size.width * size.height > MAX_IMAGE_PIXELS) {
      const megapixels = (pixels: number) => `${Math.round(pixels / 1e6).toLocaleString('en')} megapixels`
      report(
        `Unexpected image \`${src}\` of ${size.width} × ${size.height} pixels (${megapixels(size.width * size.height)}), expected at most ${megapixels(MAX_IMAGE_PIXELS)} (e.g. 16383 × 16383); scale it down (a whole A4 page at 300 dpi is 2480 × 3508)`,
        'image-too-large'
      )
      return undefined
    }
    if (alt.trim() === '') {
      warn(file, `Missing alt text for image \`${src}\`, expected \`![what the image shows](${src})\``, {
        ruleId: 'missing-alt',
        source: SOURCE,
        place
      })
    }
    // The URL form of the path checked here: whoever decodes it once (a browser, the
    // email's image embedding) gets this very file, not another one (`a%2520b` is `a%20b`).
    const image: ImageRef = { src: encodeUrlPath(decoded.split(path.sep).join('/')), path: real, ...size, alt: alt.trim() }
    if (caption) image.caption = caption
    if (place) image.position = place
    return image
  }
}
