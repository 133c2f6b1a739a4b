import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'
import type { PlaceOf } from '../install-source-place.js'
import type { PrintedImage } from './check-images.js'

/** The lowest image resolution accepted for offset printing, in dots per inch. */
export const pressMinimumDpi = 300
/** Lines thinner than this (points, as printed) may not print on an offset press. */
export const hairlinePt = 0.25

interface LineFinding {
  what: string
  pt: number
  line?: number | undefined
  column?: number | undefined
}

/**
 * The press preflight, for a build that makes a press-ready file: raster images under
 * {@link pressMinimumDpi} at their printed size (warnings), each RGB raster image (all that
 * browsers show) noted as converted to CMYK for the press (info), and borders, rules and
 * SVG strokes thinner than {@link hairlinePt} (warnings). Each at the Markdown line the
 * element came from.
 *
 * @param page The page, laid out at the print width.
 * @param images The page's images, from `printedImages`.
 */
export async function checkPress(page: Page, images: readonly PrintedImage[]): Promise<PdfDiagnostic[]> {
  const lines = await page.evaluate(
    (hairlinePx: number) => {
      const placeOf = (window as unknown as { __mastheadPlace: PlaceOf }).__mastheadPlace
      const lines: Array<{ what: string; pt: number; line?: number; column?: number }> = []
      const seen = new Set<string>()
      const add = (element: Element, what: string, px: number): void => {
        const place = placeOf(element)
        const key = `${what}|${px}|${place.line ?? ''}`
        if (seen.has(key)) return
        seen.add(key)
        lines.push({ what, pt: (px * 72) / 96, ...place })
      }
      for (const element of document.body.querySelectorAll('*')) {
        const style = getComputedStyle(element)
        if (style.display === 'none' || style.visibility === 'hidden') continue
        for (const side of ['top', 'right', 'bottom', 'left'] as const) {
          const width = Number.parseFloat(style.getPropertyValue(`border-${side}-width`))
          const kind = style.getPropertyValue(`border-${side}-style`)
          if (width > 0 && width < hairlinePx && kind !== 'none' && kind !== 'hidden') {
            add(
              element,
              `\`border-${side}\` of \`<${element.localName}${element.className ? `.${String(element.className).split(/\s+/)[0]}` : ''}>\``,
              width
            )
          }
        }
        if (element instanceof SVGGraphicsElement && style.stroke !== 'none') {
          const width = Number.parseFloat(style.strokeWidth)
          const matrix = element.getScreenCTM()
          const scale = matrix ? Math.sqrt(Math.abs(matrix.a * matrix.d - matrix.b * matrix.c)) : 1
          if (width > 0 && width * scale < hairlinePx) add(element, `stroke of \`<${element.localName}>\``, width * scale)
        }
      }
      return lines
    },
    (hairlinePt * 96) / 72
  )
  const where = (finding: PrintedImage | LineFinding) => ({ line: finding.line, column: finding.column })
  const url = (finding: PrintedImage): string => (finding.url.startsWith('data:') ? finding.url.slice(0, 40) + '…' : finding.url)
  const name = (finding: PrintedImage): string =>
    decodeURIComponent(finding.url.startsWith('data:') ? 'data: image' : (finding.url.split('/').pop() ?? finding.url))
  return [
    ...images
      .filter((finding) => finding.dpi < pressMinimumDpi)
      .map((finding) =>
        pdfDiagnostic(
          'press-low-resolution-image',
          `Unexpected image resolution of ${Math.round(finding.dpi)} dpi for the press (${finding.natural} px printed at ${finding.mm} mm), expected at least ${pressMinimumDpi} dpi`,
          { ...where(finding), url: url(finding), severity: 'warning' }
        )
      ),
    ...images.map((finding) =>
      pdfDiagnostic(
        'press-rgb-image',
        `Image \`${name(finding)}\` is RGB: converted to CMYK for FOGRA39 (perceptual) in the press file; check its colours on the proof`,
        {
          ...where(finding),
          url: url(finding),
          severity: 'info'
        }
      )
    ),
    ...lines.map((finding) =>
      pdfDiagnostic(
        'hairline',
        `Unexpected ${finding.what} of ${finding.pt.toFixed(2)} pt, expected at least ${hairlinePt} pt: thinner lines may not print`,
        {
          ...where(finding),
          severity: 'warning'
        }
      )
    )
  ]
}
