import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)

/**
 * The @fontsource stylesheets the print layout loads by default, as `file://` URLs:
 * Noto Serif SC for text (regular and bold), Noto Sans SC for headings and labels.
 * Each stylesheet splits its font into unicode-range slices, so Chromium only loads (and
 * embeds) the slices a document uses.
 */
export function defaultFontCss(): string[] {
  return [
    '@fontsource/noto-serif-sc/400.css',
    '@fontsource/noto-serif-sc/700.css',
    '@fontsource/noto-sans-sc/400.css',
    '@fontsource/noto-sans-sc/500.css',
    '@fontsource/noto-sans-sc/700.css'
  ].map((specifier) => pathToFileURL(require.resolve(specifier)).href)
}
