import type { VFile } from '@masthead/core'
import { warn } from '@masthead/core'
import type { Element, ElementContent, Root as HastRoot } from 'hast'
import type { LeafDirective } from 'mdast-util-directive'
import type { Parent, Root } from 'mdast'
import { toText } from 'hast-util-to-text'
import { visit } from 'unist-util-visit'

const SOURCE = 'masthead:parse'

/** What a `::table{…}` or `::list{…}` line says about the table or list under it. */
export interface BlockSettings {
  kind: 'table' | 'list'
  /** Flow the block in this many columns in print (2 or 3). */
  columns?: number
  /** Column widths in percent, one per table column. */
  widths?: number[]
  /** A language per table column (`undefined`: the issue's language). */
  langs?: Array<string | undefined>
}

const ATTRIBUTES = { table: ['columns', 'widths', 'lang'], list: ['columns'] } as const
const LANG = /^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/

/**
 * Take the `::table{…}` and `::list{…}` lines out of a run of blocks and return what each
 * says, keyed by where the table or list it stands above starts (`line:column`), so the
 * settings can be applied to the HTML once it is sanitized.
 */
export function takeBlockSettings(root: Root, file: VFile): Map<string, BlockSettings> {
  const settings = new Map<string, BlockSettings>()
  const walk = (parent: Parent): void => {
    for (let index = 0; index < parent.children.length; index++) {
      const node = parent.children[index]!
      if (node.type === 'leafDirective' && (node.name === 'table' || node.name === 'list')) {
        const next = parent.children[index + 1]
        const kind = node.name
        const wanted = kind === 'table' ? 'table' : 'list'
        if (next?.type !== wanted || !next.position) {
          warn(
            file,
            `Unexpected \`::${kind}\` without a ${kind} right under it, expected the ${kind} on the next line; the line is ignored`,
            {
              ruleId: 'unattached-block-settings',
              source: SOURCE,
              place: node.position
            }
          )
        } else {
          const columnCount = next.type === 'table' ? (next.children[0]?.children.length ?? 0) : 0
          settings.set(key(next.position.start), readSettings(node, kind, columnCount, file))
        }
        parent.children.splice(index, 1)
        index--
        continue
      }
      if ('children' in node && (node.type === 'blockquote' || node.type === 'list' || node.type === 'listItem')) walk(node)
    }
  }
  walk(root)
  return settings
}

function key(point: { line: number; column: number }): string {
  return `${point.line}:${point.column}`
}

function readSettings(node: LeafDirective, kind: 'table' | 'list', columnCount: number, file: VFile): BlockSettings {
  const settings: BlockSettings = { kind }
  const problem = (reason: string) => warn(file, reason, { ruleId: 'invalid-block-settings', source: SOURCE, place: node.position })
  const allowed: readonly string[] = ATTRIBUTES[kind]
  for (const [name, raw] of Object.entries(node.attributes ?? {})) {
    const value = (raw ?? '').trim()
    if (!allowed.includes(name)) {
      problem(`Unexpected attribute \`${name}\` on \`::${kind}\`, expected ${allowed.map((a) => `\`${a}\``).join(', ')}`)
    } else if (name === 'columns') {
      if (/^[123]$/.test(value)) settings.columns = Number(value)
      else problem(`Unexpected \`columns=${value}\`, expected 1, 2 or 3`)
    } else if (name === 'widths') {
      const parts = value.split(/[\s,]+/).filter(Boolean)
      const numbers = parts.map((part) => Number(part.replace(/%$/, '')))
      if (parts.length !== columnCount || numbers.some((n) => !Number.isFinite(n) || n <= 0)) {
        problem(
          `Unexpected \`widths="${value}"\`, expected ${columnCount} positive numbers or percentages, one per column (e.g. \`widths="1 3 3"\`)`
        )
      } else {
        const total = numbers.reduce((sum, n) => sum + n, 0)
        settings.widths = numbers.map((n) => Math.round((n / total) * 1000) / 10)
      }
    } else if (name === 'lang') {
      const parts = value.split(/[\s,]+/).filter(Boolean)
      if (parts.length !== columnCount || parts.some((part) => part !== '-' && !LANG.test(part))) {
        problem(
          `Unexpected \`lang="${value}"\`, expected ${columnCount} language tags, one per column (\`en\`, \`zh-CN\`, or \`-\` for the issue's language)`
        )
      } else {
        settings.langs = parts.map((part) => (part === '-' ? undefined : part))
      }
    }
  }
  return settings
}

const HAN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u
const LATIN = /\p{Script=Latin}/u

/**
 * The language of a table cell's text when it differs from the issue's: Latin-only text in
 * a Chinese issue is English (so it gets Latin punctuation, spacing and hyphenation), Han
 * text in an English issue is Chinese.
 */
function cellLang(text: string, lang: string): string | undefined {
  if (lang.startsWith('zh') && LATIN.test(text) && !HAN.test(text)) return 'en'
  if (lang.startsWith('en') && HAN.test(text) && !LATIN.test(text)) return 'zh-CN'
  return undefined
}

/**
 * Apply block settings to the sanitized HTML: column widths on the first row's cells, a
 * `lang` on each cell (from the column setting, else from its script), and a wrapper that
 * flows a table or list in columns. Only values read and checked above are written.
 */
export function applyBlockSettings(tree: HastRoot, settings: ReadonlyMap<string, BlockSettings>, lang: string): void {
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'table' && node.tagName !== 'ul' && node.tagName !== 'ol') return undefined
    const found = node.position ? settings.get(key(node.position.start)) : undefined
    if (node.tagName === 'table') tableSettings(node, found, lang)
    if (found?.columns && found.columns > 1 && parent && index !== undefined) {
      const wrapper: Element = {
        type: 'element',
        tagName: 'div',
        properties: { className: ['flow-columns', `flow-columns--${found.columns}`] },
        children: [node]
      }
      parent.children[index] = wrapper
    }
    return undefined
  })
}

function tableSettings(table: Element, settings: BlockSettings | undefined, lang: string): void {
  const rows: Element[] = []
  visit(table, 'element', (node: Element) => {
    if (node.tagName === 'tr') rows.push(node)
  })
  if (settings?.widths) table.properties.className = ['table--widths']
  for (const [rowIndex, row] of rows.entries()) {
    const cells = row.children.filter((child: ElementContent): child is Element => child.type === 'element')
    for (const [column, cell] of cells.entries()) {
      const cellLanguage = settings?.langs?.[column] ?? cellLang(toText(cell), lang)
      if (cellLanguage && cellLanguage !== lang) cell.properties.lang = cellLanguage
      const width = settings?.widths?.[column]
      if (rowIndex === 0 && width !== undefined) cell.properties.style = `width:${width}%`
    }
  }
}
