import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { CheerioAPI } from 'cheerio'

const IMPORT = /@import\s+url\(\s*(['"]?)([^'")]+)\1\s*\)\s*;?/g

/** A stylesheet with its `@import url(…)`s of local files put in their place (each file once). */
async function readCss(file: string, seen: Set<string>): Promise<string> {
  if (seen.has(file)) return ''
  seen.add(file)
  const css = await readFile(file, 'utf8')
  let out = ''
  let last = 0
  for (const match of css.matchAll(IMPORT)) {
    const target = match[2]!
    out += css.slice(last, match.index)
    last = match.index + match[0].length
    if (/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('file:')) {
      out += match[0]
      continue
    }
    const imported = target.startsWith('file:') ? fileURLToPath(target) : path.resolve(path.dirname(file), target)
    out += await readCss(imported, seen)
  }
  return out + css.slice(last)
}

/**
 * Put every stylesheet the page links by `file:` URL (the layout links `styles/web.css`
 * that way) into a `<style>` in its place, so the page needs no file beside it. A
 * stylesheet that cannot be read throws, naming it.
 *
 * @param $ The page.
 */
export async function inlineStyles($: CheerioAPI): Promise<void> {
  for (const element of $('link[rel="stylesheet"][href^="file:"]').toArray()) {
    const href = $(element).attr('href')!
    const file = fileURLToPath(href)
    let css: string
    try {
      css = await readCss(file, new Set())
    } catch (error) {
      throw new Error(`Cannot read the stylesheet \`${pathToFileURL(file).pathname}\` the web layout links`, { cause: error })
    }
    $(element).replaceWith(`<style>\n${css.trim()}\n</style>`)
  }
}

/**
 * A stylesheet with its local `@import`s put in place (the archive's styles).
 *
 * @param file The CSS file, e.g. `styles/web.css`.
 */
export async function readStyles(file: string): Promise<string> {
  return readCss(file, new Set())
}
