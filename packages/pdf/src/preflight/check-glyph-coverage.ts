import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import type { CodePoints } from './embedded-code-points.js'

/**
 * Find every character of the print document's text that the PDF draws without a real
 * glyph: its code point is in no embedded font's ToUnicode map (see
 * {@link embeddedCodePoints}), so Chromium drew `.notdef` — a box — or nothing. This
 * catches what `missing-glyph` cannot: a web font that claims the character (no
 * `unicode-range`) but has no glyph for it, so Chromium never falls back.
 *
 * Whitespace and invisible format characters (joiners, variation selectors, the soft
 * hyphen) draw no glyph of their own and are skipped; a letter also counts as drawn when
 * its other case is (CSS `text-transform` and small caps print the other case).
 *
 * @param page The page, as it was last printed.
 * @param drawn What the PDF's fonts draw.
 */
export async function checkGlyphCoverage(page: Page, drawn: CodePoints): Promise<PdfDiagnostic[]> {
  if (drawn === undefined) return []
  const findings = await page.evaluate(
    (codes: number[]) => {
      const placeOf = window.__mastheadPlace
      const have = new Set(codes)
      const covered = (char: string): boolean =>
        [char, char.toUpperCase(), char.toLowerCase()].some((form) => [...form].every((part) => have.has(part.codePointAt(0)!)))
      const invisible = /[\s\p{Cc}\p{Cf}\p{M}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}]/u
      // One finding per element (a paragraph, a heading): each is then placed at its first missing character.
      const byElement = new Map<Element, { line?: number; column?: number; chars: Set<string>; text: string }>()
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const element = node.parentElement
        if (!element || element.closest('script, style, template, noscript') || element.getClientRects().length === 0) continue
        if (getComputedStyle(element).visibility !== 'visible') continue
        const missing = [...(node.textContent ?? '')].filter((char) => !invisible.test(char) && !covered(char))
        if (missing.length === 0) continue
        const block = element.closest('p, li, h1, h2, h3, h4, h5, h6, td, th, figcaption, blockquote, dd, dt') ?? element
        const entry = byElement.get(block) ?? {
          ...placeOf(block),
          chars: new Set<string>(),
          text: (block.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30)
        }
        for (const char of missing) entry.chars.add(char)
        byElement.set(block, entry)
      }
      return [...byElement.values()].map((entry) => ({
        line: entry.line,
        column: entry.column,
        chars: [...entry.chars].join(''),
        text: entry.text
      }))
    },
    [...drawn]
  )
  return findings.map((finding) => {
    const shown = [...finding.chars]
    const list = shown.slice(0, 24).join('') + (shown.length > 24 ? '…' : '')
    const codes = shown
      .slice(0, 3)
      .map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`)
      .join(', ')
    return pdfDiagnostic(
      'glyph-not-drawn',
      `Unexpected characters \`${list}\` (${codes}${shown.length > 3 ? ', …' : ''}) printed without a glyph (as boxes, or not at all) in “${finding.text}”, expected a font that has them: add one for their script to the print styles (see “Fonts for other scripts” in docs/authoring.md)`,
      { line: finding.line, column: finding.column, text: shown[0] }
    )
  })
}
