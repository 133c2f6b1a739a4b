import type { RenderPdfInput } from './render-pdf.js'

const isString = (value: unknown): value is string => typeof value === 'string'

/**
 * Check a `renderPdf` call at the public boundary; a bad call throws a
 * `TypeError` that says what was expected.
 *
 * @param input What the caller passed.
 */
export function assertRenderInput(input: unknown): asserts input is RenderPdfInput {
  const fail = (what: string): never => {
    throw new TypeError(`Unexpected \`renderPdf\` input: expected ${what}`)
  }
  if (typeof input !== 'object' || input === null) fail('an object `{ html, baseDir, allowedRoots, metadata }`')
  const value = input as Record<string, unknown>
  if (!isString(value.html)) fail('`html`, the print document, as a string')
  if (!isString(value.baseDir) || value.baseDir === '') fail('`baseDir`, the folder relative URLs resolve against, as a path')
  if (!Array.isArray(value.allowedRoots) || !value.allowedRoots.every(isString))
    fail('`allowedRoots` as an array of folder paths (use `[]` for none)')
  const metadata = value.metadata as Record<string, unknown> | undefined
  if (typeof metadata !== 'object' || metadata === null) fail('`metadata` with `title`, `author`, `subject`, `keywords` and `lang`')
  for (const key of ['title', 'author', 'subject', 'lang'] as const) {
    if (!isString(metadata?.[key])) fail(`\`metadata.${key}\` as a string`)
  }
  if (!Array.isArray(metadata?.keywords) || !metadata.keywords.every(isString)) fail('`metadata.keywords` as an array of strings')
  if (value.bleed !== undefined && typeof value.bleed !== 'boolean') fail('`bleed` as a boolean')
  if (value.fresh !== undefined && typeof value.fresh !== 'boolean') fail('`fresh` as a boolean')
  if (value.timeout !== undefined && (typeof value.timeout !== 'number' || !(value.timeout > 0)))
    fail('`timeout` as a positive number of milliseconds')
  if (value.onLoaded !== undefined && typeof value.onLoaded !== 'function') fail('`onLoaded` as a function')
  if (value.onSaved !== undefined && typeof value.onSaved !== 'function') fail('`onSaved` as a function')
}
