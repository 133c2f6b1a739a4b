import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)

/** Text and headings: Noto Serif SC (Song) and Noto Sans SC (Hei); their Latin serves Chinese documents. */
const cjk = [
  '@fontsource/noto-serif-sc/400.css',
  '@fontsource/noto-serif-sc/700.css',
  '@fontsource/noto-sans-sc/400.css',
  '@fontsource/noto-sans-sc/500.css',
  '@fontsource/noto-sans-sc/700.css'
]

/**
 * Latin text: Noto Serif, with the italics and the sub- and superscript digits (CO₂) that
 * the SC fonts lack. Linked for documents that are not in Chinese.
 */
const latin = [
  '@fontsource/noto-serif/400.css',
  '@fontsource/noto-serif/400-italic.css',
  '@fontsource/noto-serif/700.css',
  '@fontsource/noto-serif/700-italic.css'
]

const stylesheets = [...cjk, ...latin]

/**
 * The font stylesheets the print layout links by default, as `file://` URLs. Each splits
 * its font into unicode-range slices, so Chromium loads (and embeds, subset) only the
 * slices a document uses.
 *
 * @param lang The document's language: Chinese documents get the SC fonts only; others
 *   also Noto Serif for their Latin text.
 */
export function defaultFontCss(lang = 'en'): string[] {
  const specifiers = /^zh\b/i.test(lang) ? cjk : stylesheets
  return specifiers.map((specifier) => pathToFileURL(require.resolve(specifier)).href)
}

/**
 * The folders of the font packages {@link defaultFontCss} links: the PDF step must allow
 * requests into them (`allowedRoots`).
 */
export function fontRoots(): string[] {
  const packages = new Set(stylesheets.map((specifier) => specifier.split('/').slice(0, 2).join('/')))
  return [...packages].map((name) => path.dirname(require.resolve(`${name}/package.json`)))
}
