import { readFile } from 'node:fs/promises'
import path from 'node:path'
import postcss from 'postcss'
import type { AtRule, Rule } from 'postcss'
import type { EmailStyles } from './email-config.js'

/**
 * The top-level rules and blocks of a stylesheet (`selector { … }`, `@media … { … }`) as
 * written, comments removed, parsed by postcss: a brace inside a string (`content: "}"`)
 * or a comment does not end a block. Statements without a block (`@import …;`,
 * `@charset …;`) have no place in an email and are left out.
 */
function topLevelBlocks(css: string, from?: string): (Rule | AtRule)[] {
  const root = postcss.parse(css, { from })
  root.walkComments((comment) => {
    comment.remove()
  })
  return root.nodes.filter((node): node is Rule | AtRule => node.type === 'rule' || (node.type === 'atrule' && node.nodes !== undefined))
}

function isRoot(node: Rule | AtRule): boolean {
  return node.type === 'rule' && node.selector.trim() === ':root'
}

/** Custom properties declared in `:root` blocks. */
function customProperties(blocks: readonly (Rule | AtRule)[]): Map<string, string> {
  const properties = new Map<string, string>()
  for (const block of blocks) {
    if (!isRoot(block)) continue
    block.each((node) => {
      if (node.type === 'decl' && node.prop.startsWith('--')) properties.set(node.prop.slice(2), node.value.trim())
    })
  }
  return properties
}

/** Replace `var(--name, fallback)` with the value (email clients know no custom properties). */
function resolveVars(css: string, properties: ReadonlyMap<string, string>, depth = 0): string {
  if (depth > 8) return css
  const out = css.replace(
    /var\(\s*--([\w-]+)\s*(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)/g,
    (whole, name: string, fallback?: string) => properties.get(name) ?? fallback?.trim() ?? whole
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
 * @param files The two files' paths, named by a syntax error.
 * @throws {CssSyntaxError} postcss's, at `file:line:column`, for CSS it cannot parse (an unclosed block).
 */
export function splitEmailStyles(css: string, tokensCss = '', files: { css?: string; tokens?: string } = {}): EmailStyles {
  const blocks = topLevelBlocks(css, files.css)
  const properties = new Map([...customProperties(topLevelBlocks(tokensCss, files.tokens)), ...customProperties(blocks)])
  for (const [name, value] of properties) properties.set(name, resolveVars(value, properties))
  const inline: string[] = []
  const head: string[] = []
  for (const block of blocks) {
    if (isRoot(block)) continue
    const resolved = resolveVars(block.toString(), properties)
    const keepInHead =
      block.type === 'atrule' || /:hover|:focus|\[data-ogsc\]|\[data-ogsb\]|^\s*u\s*\+/.test(resolveVars(block.selector, properties))
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
  const files = { css: path.join(stylesDir, 'email.css'), tokens: path.join(stylesDir, 'tokens.css') }
  const css = await readFile(files.css, 'utf8')
  const tokens = await readFile(files.tokens, 'utf8').catch(() => '')
  return splitEmailStyles(css, tokens, files)
}
