import { createRequire } from 'node:module'
import path from 'node:path'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)

/** The @fontsource stylesheets the print layout links by default. */
const stylesheets = [
  // Text: Noto Serif SC (Song) for Chinese, Noto Serif for Latin (it has italics and the
  // sub- and superscript digits the SC fonts lack, e.g. CO₂).
  '@fontsource/noto-serif-sc/400.css',
  '@fontsource/noto-serif-sc/700.css',
  '@fontsource/noto-serif/400.css',
  '@fontsource/noto-serif/400-italic.css',
  '@fontsource/noto-serif/700.css',
  '@fontsource/noto-serif/700-italic.css',
  // Headings and labels: Noto Sans SC (Hei).
  '@fontsource/noto-sans-sc/400.css',
  '@fontsource/noto-sans-sc/500.css',
  '@fontsource/noto-sans-sc/700.css'
] as const

/**
 * The font stylesheets the print layout links by default, as `file://` URLs. Each splits
 * its font into unicode-range slices, so Chromium loads (and embeds, subset) only the
 * slices a document uses.
 */
export function defaultFontCss(): string[] {
  return stylesheets.map((specifier) => pathToFileURL(require.resolve(specifier)).href)
}

/**
 * The folders of the font packages {@link defaultFontCss} links: the PDF step must allow
 * requests into them (`allowedRoots`).
 */
export function fontRoots(): string[] {
  const packages = new Set(stylesheets.map((specifier) => specifier.split('/').slice(0, 2).join('/')))
  return [...packages].map((name) => path.dirname(require.resolve(`${name}/package.json`)))
}
