import { describe, expect, it } from 'vitest'
import { splitEmailStyles } from '../src/load-email-styles.js'

describe('splitEmailStyles', () => {
  it('keeps a brace inside a string in its rule, so the next @media block stays in the head', () => {
    const css = [
      '.quote::before { content: "}"; color: #123456 }',
      '@media (max-width: 480px) { .quote { font-size: 14px } }',
      '.lead { font-weight: bold }'
    ].join('\n')
    const styles = splitEmailStyles(css)
    expect(styles.inline).toBe('.quote::before { content: "}"; color: #123456 }\n.lead { font-weight: bold }')
    expect(styles.head).toBe('@media (max-width: 480px) { .quote { font-size: 14px } }')
  })

  it('is not misled by braces in comments, and drops @import and @charset', () => {
    const css =
      '@charset "utf-8";\n@import url(x.css);\n/* a { */\n.a { color: red } /* } */\n@media (prefers-color-scheme: dark) { .a { color: white } }'
    const styles = splitEmailStyles(css)
    expect(styles.inline).toBe('.a { color: red }')
    expect(styles.head).toBe('@media (prefers-color-scheme: dark) { .a { color: white } }')
  })

  it('resolves custom properties from the tokens and the sheet’s own :root, which wins', () => {
    const styles = splitEmailStyles(
      ':root { --accent: #c00; --text: var(--ink) }\n.a { color: var(--accent); background: var(--paper, #fff) }\n.b:hover { color: var(--text) }',
      ':root { --accent: #00c; --ink: #111 }'
    )
    expect(styles.tokens).toEqual({ accent: '#c00', ink: '#111', text: '#111' })
    expect(styles.inline).toBe('.a { color: #c00; background: #fff }')
    expect(styles.head).toBe('.b:hover { color: #111 }')
  })

  it('names the file, line and column of CSS it cannot parse', () => {
    expect(() => splitEmailStyles('.a { color: red }\n.b { color: blue', '', { css: '/styles/email.css' })).toThrow(
      /\/styles\/email\.css:2:1: Unclosed block/
    )
  })
})
