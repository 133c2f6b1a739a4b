import type { CDPSession, Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import type { PlaceOf } from '../source-place.js'

interface PlatformFont {
  familyName: string
  isCustomFont: boolean
  glyphCount: number
}

const mark = 'data-masthead-glyphs'

/**
 * Find text drawn with a font that is not one of the document's web fonts:
 * Chromium fell back to a system font (or drew tofu) because the web fonts
 * lack those glyphs, so the print would differ between machines. Uses the
 * DevTools call `CSS.getPlatformFontsForNode` on every element that holds
 * text, reports the innermost such elements, and names the characters that
 * no `@font-face` `unicode-range` of the element's families covers.
 *
 * @param page The loaded page.
 * @param cdp A DevTools session on the page with `DOM` and `CSS` enabled.
 */
export async function checkGlyphs(page: Page, cdp: CDPSession): Promise<PdfDiagnostic[]> {
  const count = await page.evaluate((mark) => {
    let index = 0
    for (const element of document.body.querySelectorAll('*')) {
      if (element.closest('script, style, template, noscript')) continue
      const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '')
      if (ownText && element.getClientRects().length > 0) element.setAttribute(mark, String(index++))
    }
    return index
  }, mark)
  if (count === 0) return []
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 })
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `[${mark}]` })
  const fonts = await Promise.all(
    nodeIds.map((nodeId) =>
      cdp.send('CSS.getPlatformFontsForNode', { nodeId }).then(
        (reply) => reply.fonts as PlatformFont[],
        () => [] as PlatformFont[]
      )
    )
  )
  const flagged: Record<number, string[]> = {}
  fonts.forEach((list, index) => {
    const fallback = list.filter((font) => !font.isCustomFont).map((font) => font.familyName)
    if (fallback.length > 0) flagged[index] = fallback
  })
  const findings = await page.evaluate(
    (mark, flagged) => {
      const placeOf = (window as unknown as { __mastheadPlace: PlaceOf }).__mastheadPlace
      const elements = [...document.querySelectorAll(`[${mark}]`)]
      for (const element of elements) element.removeAttribute(mark)
      const chosen = Object.keys(flagged).map(Number).map((index) => elements[index]).filter((element) => element !== undefined)
      const ranges = (range: string): Array<[number, number]> =>
        range.split(',').map((part) => {
          const [from = '0', to] = part.trim().replace(/^U\+/i, '').split('-')
          const low = Number.parseInt(from.replace(/\?/g, '0'), 16)
          const high = Number.parseInt((to ?? from).replace(/\?/g, 'F'), 16)
          return [low, high]
        })
      const faces = [...document.fonts].map((face) => ({ family: face.family.replace(/^["']|["']$/g, '').toLowerCase(), ranges: ranges(face.unicodeRange) }))
      return chosen
        .filter((element) => !chosen.some((other) => other !== element && element.contains(other)))
        .map((element) => {
          const families = getComputedStyle(element).fontFamily.split(',').map((family) => family.trim().replace(/^["']|["']$/g, '').toLowerCase())
          const own = faces.filter((face) => families.includes(face.family))
          const text = [...element.childNodes].filter((node) => node.nodeType === Node.TEXT_NODE).map((node) => node.textContent ?? '').join('')
          const missing = new Set<string>()
          for (const char of text) {
            const code = char.codePointAt(0) ?? 0
            if (/\s/.test(char)) continue
            if (!own.some((face) => face.ranges.some(([low, high]) => code >= low && code <= high))) missing.add(char)
          }
          const index = elements.indexOf(element)
          return { index, missing: [...missing].slice(0, 12).join(''), text: text.replace(/\s+/g, ' ').trim().slice(0, 30), ...placeOf(element) }
        })
    },
    mark,
    flagged
  )
  return findings.map((finding) => {
    const families = (flagged[finding.index] ?? []).map((family) => `\`${family}\``).join(', ')
    const chars = finding.missing ? `characters \`${finding.missing}\`` : `text “${finding.text}”`
    return pdfDiagnostic(
      'missing-glyph',
      `Unexpected fallback font ${families} for ${chars}, expected the document's web fonts to have these glyphs (add a font that has them, or the text prints differently on every machine, possibly as boxes)`,
      { line: finding.line, column: finding.column }
    )
  })
}
