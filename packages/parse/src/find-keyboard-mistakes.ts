/** A typing mistake in the frontmatter, 1-based in the YAML text. */
export interface KeyboardMistake {
  line: number
  column: number
  reason: string
}

/** A key line: indentation, optional quote, the key, optional quote, spacing, a colon of either width, the rest. */
const KEY_LINE = /^([ \t\u3000]*)(["'“”‘’]?)([^\s:："'“”‘’#[{|>-][^:："'“”‘’]*?)(["'“”‘’]?)([ \t\u3000]*)([:：])(.*)$/u
const CURLY = /[“”‘’]/u
const IME = 'by a Chinese input method in full-width mode'

/**
 * Find what a Chinese keyboard (an input method left in full-width mode) puts into YAML
 * keys: a full-width colon `：` (`date：2023-05-10`), a full-width space `　` after the
 * colon, before it or in the indentation, and curly quotes around a key (`“title”: …`).
 * YAML reads none of these as meant — the first gives "Implicit keys need to be on a
 * single line", the last a key named `“title”` — so they are named here instead.
 *
 * Only the key part of each line is looked at; the lines of a block scalar (`|`, `>`) and
 * the continuation lines of a value (indented deeper than its key) are skipped, so a
 * `：` inside a value is never reported.
 */
export function findKeyboardMistakes(yaml: string): KeyboardMistake[] {
  const mistakes: KeyboardMistake[] = []
  let valueIndent: number | undefined
  yaml.split('\n').forEach((text, index) => {
    const line = index + 1
    const indent = /^[ \t\u3000]*/u.exec(text)![0].length
    if (valueIndent !== undefined && (text.trim() === '' || indent > valueIndent)) return
    valueIndent = undefined
    const match = KEY_LINE.exec(text)
    if (!match || text.trimStart().startsWith('#')) return
    const [, lead = '', open = '', rawKey = '', close = '', gap = '', colon = '', after = ''] = match
    const key = rawKey.replace(/[ \t\u3000]+$/u, '')
    const at = (offset: number, reason: string) => mistakes.push({ line, column: offset + 1, reason })
    if (lead.includes('\u3000')) {
      at(
        lead.indexOf('\u3000'),
        `Unexpected full-width space \`　\` in the indentation of \`${key}\`, expected ASCII spaces (the full-width one is typed ${IME})`
      )
    }
    if (CURLY.test(open) || CURLY.test(close)) {
      at(
        lead.length,
        `Unexpected curly quotes around the key \`${key}\`, expected the key without quotes (\`${key}: …\`); curly quotes are typed ${IME}`
      )
    }
    const afterKey = lead.length + open.length + key.length
    if ((rawKey.slice(key.length) + gap).includes('\u3000')) {
      at(afterKey, `Unexpected full-width space \`　\` after \`${key}\`, expected the colon right after the key (\`${key}: …\`)`)
    }
    const colonAt = lead.length + open.length + rawKey.length + close.length + gap.length
    if (colon === '：') {
      at(
        colonAt,
        `Unexpected full-width colon \`：\` after \`${key}\`, expected an ASCII colon and a space (\`${key}: …\`); the full-width colon is typed ${IME}`
      )
    } else if (after.startsWith('\u3000')) {
      at(
        colonAt + 1,
        `Unexpected full-width space \`　\` after \`${key}:\`, expected an ASCII space (\`${key}: …\`); the full-width space is typed ${IME}`
      )
    }
    if (after.trim() !== '') valueIndent = indent
  })
  return mistakes
}
