import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'

/**
 * Find text set in a bold weight or italic style that its web font does not
 * provide. Chromium then synthesizes it: fake bold is written as a Type 3
 * font (measured: Chromium 156), fake italic as a slanted regular face.
 * Reports the first element per family and style.
 *
 * @param page The loaded page.
 */
export async function checkSyntheticStyles(page: Page): Promise<PdfDiagnostic[]> {
  const findings = await page.evaluate(() => {
    const placeOf = window.__mastheadPlace
    const unquote = (family: string): string =>
      family
        .trim()
        .replace(/^["']|["']$/g, '')
        .toLowerCase()
    const weights = (value: string): [number, number] => {
      const numbers = value.split(/\s+/).map((word) => (word === 'bold' ? 700 : word === 'normal' ? 400 : Number(word)))
      return [numbers[0] ?? 400, numbers[1] ?? numbers[0] ?? 400]
    }
    const faces = [...document.fonts].map((face) => ({
      family: unquote(face.family),
      weight: weights(face.weight),
      italic: face.style !== 'normal'
    }))
    const webFamilies = new Set(faces.map((face) => face.family))
    const seen = new Set<string>()
    const result: Array<{ family: string; what: string; bold: boolean; text: string; line?: number; column?: number }> = []
    for (const element of document.body.querySelectorAll('*')) {
      const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && (node.textContent ?? '').trim() !== '')
      if (!ownText || element.getClientRects().length === 0) continue
      const style = getComputedStyle(element)
      const family = style.fontFamily
        .split(',')
        .map(unquote)
        .find((name) => webFamilies.has(name))
      if (family === undefined) continue
      const weight = Number(style.fontWeight)
      const italic = style.fontStyle !== 'normal'
      const own = faces.filter((face) => face.family === family)
      const checks: Array<[boolean, string, boolean]> = [
        [weight >= 600 && !own.some((face) => face.weight[1] >= 600), `weight ${weight}`, true],
        [italic && !own.some((face) => face.italic), style.fontStyle, false]
      ]
      for (const [synthetic, what, bold] of checks) {
        const key = `${family}|${what}`
        if (!synthetic || seen.has(key)) continue
        seen.add(key)
        const name = [...document.fonts].find((face) => unquote(face.family) === family)?.family.replace(/^["']|["']$/g, '') ?? family
        result.push({
          family: name,
          what,
          bold,
          text: (element.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30),
          ...placeOf(element)
        })
      }
    }
    return result
  })
  return findings.map((finding) =>
    pdfDiagnostic(
      'synthetic-style',
      finding.bold
        ? `Unexpected ${finding.what} for \`${finding.family}\` (“${finding.text}”), expected a loaded bold font file: Chromium fakes bold and writes a Type 3 font`
        : `Unexpected ${finding.what} for \`${finding.family}\` (“${finding.text}”), expected an italic font file or no slant: Chromium slants the upright face (for Chinese, prefer emphasis marks or another face)`,
      { line: finding.line, column: finding.column, severity: 'warning' }
    )
  )
}
