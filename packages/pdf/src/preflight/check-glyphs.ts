import type { CDPSession, Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'

interface PlatformFont {
  familyName: string
  isCustomFont: boolean
  glyphCount: number
}

const mark = 'data-masthead-glyphs'

/**
 * Find text drawn with a font that is not one of the document's web fonts:
 * Chromium fell back to a system font (or drew tofu) because the web fonts
 * lack those glyphs, so the print would differ between machines. Asks the
 * DevTools call `CSS.getPlatformFontsForNode` about every element that holds
 * text (it reports a node's text children and grandchildren only, so a call
 * on `body` is not enough: measured), except elements whose own text the
 * subset `unicode-range`s of their web fonts cover entirely. Reports the
 * innermost elements and names the characters no range covers.
 *
 * @param page The loaded page.
 * @param cdp A DevTools session on the page with `DOM` and `CSS` enabled.
 */
export async function checkGlyphs(page: Page, cdp: CDPSession): Promise<PdfDiagnostic[]> {
  const count = await page.evaluate(markUncoveredText, mark)
  if (count === 0) return []
  const flagged = await fallbackFamilies(cdp)
  const findings = await page.evaluate(readFindings, mark, flagged)
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

/**
 * Page script: mark (with the attribute `mark`, numbered in document order) every element
 * that holds text some of which its web fonts' subset ranges do not cover.
 *
 * @returns How many elements it marked.
 */
function markUncoveredText(mark: string): number {
  const unquote = (family: string): string =>
    family
      .trim()
      .replace(/^["']|["']$/g, '')
      .toLowerCase()
  // @fontsource repeats the same ~100 unicode-range strings for every weight: parse each once.
  const parsed = new Map<string, Array<[number, number]>>()
  const ranges = (range: string): Array<[number, number]> => {
    let list = parsed.get(range)
    if (list) return list
    list = []
    for (const raw of range.split(',')) {
      const part = raw.trim().slice(2)
      const dash = part.indexOf('-')
      const from = dash < 0 ? part : part.slice(0, dash)
      const to = dash < 0 ? part : part.slice(dash + 1)
      list.push([Number.parseInt(from.replaceAll('?', '0'), 16), Number.parseInt(to.replaceAll('?', 'F'), 16)])
    }
    parsed.set(range, list)
    return list
  }
  // Per family: are all its faces subsets, and the merged, sorted ranges they cover.
  const families = new Map<string, { full: boolean; seen: Set<string>; ranges: Array<[number, number]> }>()
  for (const face of document.fonts) {
    const entry = families.get(unquote(face.family)) ?? { full: false, seen: new Set<string>(), ranges: [] }
    const range = face.unicodeRange
    if (entry.seen.has(range)) continue
    entry.seen.add(range)
    for (const [low, high] of ranges(range)) {
      if (low === 0 && high >= 0x10ffff) entry.full = true
      entry.ranges.push([low, high])
    }
    families.set(unquote(face.family), entry)
  }
  for (const entry of families.values()) {
    entry.ranges.sort((a, b) => a[0] - b[0])
    const merged: Array<[number, number]> = []
    for (const range of entry.ranges) {
      const last = merged.at(-1)
      if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1])
      else merged.push([range[0], range[1]])
    }
    entry.ranges = merged
  }
  const has = (list: Array<[number, number]>, code: number): boolean => {
    let low = 0
    let high = list.length - 1
    while (low <= high) {
      const middle = (low + high) >> 1
      const [from, to] = list[middle] ?? [0, -1]
      if (code < from) high = middle - 1
      else if (code > to) low = middle + 1
      else return true
    }
    return false
  }
  // A family whose faces all declare subset unicode-ranges (as @fontsource
  // does) is trusted to have those glyphs: text they cover entirely needs no
  // DevTools call. Full-range faces, and uncovered text, are asked.
  const coveredBySubsets = (element: Element, text: string): boolean => {
    const own = getComputedStyle(element)
      .fontFamily.split(',')
      .map((family) => families.get(unquote(family)))
      .filter((entry) => entry !== undefined)
    if (own.length === 0 || own.some((entry) => entry.full)) return false
    for (const char of text) {
      if (/\s/.test(char)) continue
      const code = char.codePointAt(0) ?? 0
      if (!own.some((entry) => has(entry.ranges, code))) return false
    }
    return true
  }
  let index = 0
  for (const element of document.body.querySelectorAll('*')) {
    if (element.closest('script, style, template, noscript')) continue
    const text = [...element.childNodes]
      .filter((node) => node.nodeType === Node.TEXT_NODE)
      .map((node) => node.textContent ?? '')
      .join('')
    if (text.trim() === '' || element.getClientRects().length === 0 || coveredBySubsets(element, text)) continue
    element.setAttribute(mark, String(index++))
  }
  return index
}

/**
 * Ask DevTools which fonts drew each marked element.
 *
 * @returns The system (not web) font families, by the element's mark number, for the
 *   elements drawn with one.
 */
async function fallbackFamilies(cdp: CDPSession): Promise<Record<number, string[]>> {
  const fontsOf = (nodeId: number): Promise<PlatformFont[]> =>
    cdp.send('CSS.getPlatformFontsForNode', { nodeId }).then(
      (reply) => reply.fonts as PlatformFont[],
      () => []
    )
  const { root } = await cdp.send('DOM.getDocument', { depth: 0 })
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: `[${mark}]` })
  const fonts = await Promise.all(nodeIds.map(fontsOf))
  const flagged: Record<number, string[]> = {}
  fonts.forEach((list, index) => {
    const fallback = list.filter((font) => !font.isCustomFont).map((font) => font.familyName)
    if (fallback.length > 0) flagged[index] = fallback
  })
  return flagged
}

/**
 * Page script: remove the marks and describe the innermost flagged elements: the
 * characters no range of their web fonts covers, their text and their source place.
 */
function readFindings(
  mark: string,
  flagged: Record<number, string[]>
): Array<{ index: number; missing: string; text: string; line?: number; column?: number }> {
  const placeOf = window.__mastheadPlace
  const elements = [...document.querySelectorAll(`[${mark}]`)]
  for (const element of elements) element.removeAttribute(mark)
  const chosen = Object.keys(flagged)
    .map(Number)
    .map((index) => elements[index])
    .filter((element) => element !== undefined)
  const ranges = (range: string): Array<[number, number]> =>
    range.split(',').map((part) => {
      const [from = '0', to] = part.trim().replace(/^U\+/i, '').split('-')
      const low = Number.parseInt(from.replace(/\?/g, '0'), 16)
      const high = Number.parseInt((to ?? from).replace(/\?/g, 'F'), 16)
      return [low, high]
    })
  const faces = [...document.fonts].map((face) => ({
    family: face.family.replace(/^["']|["']$/g, '').toLowerCase(),
    ranges: ranges(face.unicodeRange)
  }))
  return chosen
    .filter((element) => !chosen.some((other) => other !== element && element.contains(other)))
    .map((element) => {
      const families = getComputedStyle(element)
        .fontFamily.split(',')
        .map((family) =>
          family
            .trim()
            .replace(/^["']|["']$/g, '')
            .toLowerCase()
        )
      const own = faces.filter((face) => families.includes(face.family))
      const text = [...element.childNodes]
        .filter((node) => node.nodeType === Node.TEXT_NODE)
        .map((node) => node.textContent ?? '')
        .join('')
      const missing = new Set<string>()
      for (const char of text) {
        const code = char.codePointAt(0) ?? 0
        if (/\s/.test(char)) continue
        if (!own.some((face) => face.ranges.some(([low, high]) => code >= low && code <= high))) missing.add(char)
      }
      const index = elements.indexOf(element)
      return {
        index,
        missing: [...missing].slice(0, 12).join(''),
        text: text.replace(/\s+/g, ' ').trim().slice(0, 30),
        ...placeOf(element)
      }
    })
}
