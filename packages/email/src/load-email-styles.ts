import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { EmailStyles } from './email-config.js'

/** Split CSS into its top-level blocks (`selector { … }` and `@media … { … }`), comments removed. */
function topLevelBlocks(css: string): string[] {
  const source = css.replace(/\/\*[\s\S]*?\*\//g, '')
  const blocks: string[] = []
  let depth = 0
  let start = 0
  for (let index = 0; index < source.length; index++) {
    const char = source[index]
    if (char === '{') depth++
    else if (char === '}') {
      depth--
      if (depth === 0) {
        blocks.push(source.slice(start, index + 1).trim())
        start = index + 1
      }
    } else if (char === ';' && depth === 0) {
      // `@import …;` and `@charset …;` have no place in an email.
      start = index + 1
    }
  }
  return blocks.filter((block) => block !== '')
}

/** Custom properties declared in `:root` blocks. */
function customProperties(blocks: readonly string[]): Map<string, string> {
  const properties = new Map<string, string>()
  for (const block of blocks) {
    if (!/^:root\s*\{/.test(block)) continue
    for (const match of block.matchAll(/--([\w-]+)\s*:\s*([^;}]+)/g)) {
      properties.set(match[1]!, match[2]!.trim())
    }
  }
  return properties
}

/** Replace `var(--name, fallback)` with the value (email clients know no custom properties). */
function resolveVars(css: string, properties: ReadonlyMap<string, string>, depth = 0): string {
  if (depth > 8) return css
  const out = css.replace(/var\(\s*--([\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)/g, (whole, name: string, fallback?: string) =>
    properties.get(name) ?? fallback?.trim() ?? whole
  )
  return out.includes('var(--') && out !== css ? resolveVars(out, properties, depth + 1) : out
}

/**
 * Prepare a stylesheet for MJML: resolve custom properties (from `tokens.css` and the
 * sheet's own `:root`), then split it into rules MJML inlines and rules that stay in the
 * head (`@media` for phones and dark mode, `[data-ogsc]` for Outlook.com, `:hover`).
 *
 * @param css The email stylesheet.
 * @param tokensCss Shared design tokens (`styles/tokens.css`), if any; the sheet's own `:root` wins.
 */
export function splitEmailStyles(css: string, tokensCss = ''): EmailStyles {
  const blocks = topLevelBlocks(css)
  const properties = new Map([...customProperties(topLevelBlocks(tokensCss)), ...customProperties(blocks)])
  for (const [name, value] of properties) properties.set(name, resolveVars(value, properties))
  const inline: string[] = []
  const head: string[] = []
  for (const block of blocks) {
    if (/^:root\s*\{/.test(block)) continue
    const resolved = resolveVars(block, properties)
    const selector = resolved.slice(0, resolved.indexOf('{'))
    const keepInHead = resolved.startsWith('@') || /:hover|:focus|\[data-ogsc\]|\[data-ogsb\]|^\s*u\s*\+/.test(selector)
    ;(keepInHead ? head : inline).push(resolved)
  }
  return { inline: inline.join('\n'), head: head.join('\n'), tokens: Object.fromEntries(properties) }
}

/**
 * Read `email.css` (and `tokens.css` beside it, when present) from the styles folder.
 *
 * @param stylesDir The `styles/` folder from the project configuration.
 */
export async function loadEmailStyles(stylesDir: string): Promise<EmailStyles> {
  const css = await readFile(path.join(stylesDir, 'email.css'), 'utf8')
  const tokens = await readFile(path.join(stylesDir, 'tokens.css'), 'utf8').catch(() => '')
  return splitEmailStyles(css, tokens)
}
