import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import type { PlaceOf } from '../source-place.js'

/**
 * Find text set in a bold weight or italic style that its web font does not
 * provide: Chromium then synthesizes it and writes a Type 3 font. Reports the
 * first element per family and style.
 *
 * @param page The loaded page.
 */
export async function checkSyntheticStyles(page: Page): Promise<PdfDiagnostic[]> {
  const findings = await page.evaluate(() => {
    const placeOf = (window as unknown as { __mastheadPlace: PlaceOf }).__mastheadPlace
    const unquote = (family: string): string => family.trim().replace(/^["']|["']$/g, '').toLowerCase()
    const weights = (value: string): [number, number] => {
      const numbers = value.split(/\s+/).map((word) => (word === 'bold' ? 700 : word === 'normal' ? 400 : Number(word)))
      return [numbers[0] ?? 400, numbers[1] ?? numbers[0] ?? 400]
    }
    const faces = [...document.fonts].map((face) => ({ family: unquote(face.family), weight: weights(face.weight), italic: face.style !== 'normal' }))
    const webFamilies = new Set(faces.map((face) => face.family))
    const seen = new Set<string>()
    const result: Array<{ family: string; what: string; text: string; line?: number; column?: number }> = []
    for (const element of document.body.querySelectorAll('*')) {
      const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '')
      if (!ownText || element.getClientRects().length === 0) continue
      const style = getComputedStyle(element)
      const family = style.fontFamily.split(',').map(unquote).find((name) => webFamilies.has(name))
      if (family === undefined) continue
      const weight = Number(style.fontWeight)
      const italic = style.fontStyle !== 'normal'
      const own = faces.filter((face) => face.family === family)
      const checks: Array<[boolean, string]> = [
        [weight >= 600 && !own.some((face) => face.weight[1] >= 600), `weight ${weight}`],
        [italic && !own.some((face) => face.italic), style.fontStyle]
      ]
      for (const [synthetic, what] of checks) {
        const key = `${family}|${what}`
        if (!synthetic || seen.has(key)) continue
        seen.add(key)
        result.push({ family, what, text: (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30), ...placeOf(element) })
      }
    }
    return result
  })
  return findings.map((finding) =>
    pdfDiagnostic(
      'synthetic-style',
      `Unexpected ${finding.what} for \`${finding.family}\` (“${finding.text}”), expected a loaded font file for it: Chromium fakes it and writes a Type 3 font`,
      { line: finding.line, column: finding.column, severity: 'warning' }
    )
  )
}
