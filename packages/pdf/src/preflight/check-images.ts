import type { Page } from 'puppeteer-core'
import { pdfDiagnostic, type PdfDiagnostic } from '../pdf-diagnostic.js'

/** The lowest resolution accepted for print, in dots per inch. */
export const minimumDpi = 150

/** A raster image as printed: its resolution at its printed size, and where it came from. */
export interface PrintedImage {
  url: string
  dpi: number
  /** Pixels, `W×H`. */
  natural: string
  /** Printed size in millimetres, `W×H`. */
  mm: string
  line?: number | undefined
  column?: number | undefined
}

/**
 * The raster images of the laid-out page with their resolution at their printed size (CSS
 * px are 1/96 in). SVG images are vector and left out, as are images not loaded or under
 * 2 px. Measured once per preflight and handed to {@link checkImages} and the press checks.
 *
 * @param page The page, laid out at the print width.
 */
export function printedImages(page: Page): Promise<PrintedImage[]> {
  return page.evaluate(() => {
    const placeOf = window.__mastheadPlace
    return [...document.images].flatMap((image) => {
      const url = image.currentSrc || image.src
      if (!image.complete || image.naturalWidth === 0 || /\.svg(?:[?#]|$)|^data:image\/svg/i.test(url)) return []
      const rect = image.getBoundingClientRect()
      if (rect.width < 2 || rect.height < 2) return []
      const dpi = Math.min(image.naturalWidth / (rect.width / 96), image.naturalHeight / (rect.height / 96))
      return [
        {
          url,
          dpi,
          natural: `${image.naturalWidth}×${image.naturalHeight}`,
          mm: `${((rect.width * 25.4) / 96).toFixed(0)}×${((rect.height * 25.4) / 96).toFixed(0)}`,
          ...placeOf(image)
        }
      ]
    })
  })
}

/**
 * Find raster images whose pixels are stretched below {@link minimumDpi} at
 * their printed size (CSS px are 1/96 in). SVG images are vector and skipped.
 *
 * @param findings The page's images, from {@link printedImages}.
 */
export function checkImages(findings: readonly PrintedImage[]): PdfDiagnostic[] {
  return findings
    .filter((finding) => finding.dpi < minimumDpi)
    .map((finding) =>
      pdfDiagnostic(
        'low-resolution-image',
        `Unexpected image resolution of ${Math.round(finding.dpi)} dpi (${finding.natural} px printed at ${finding.mm} mm), expected at least ${minimumDpi} dpi`,
        {
          line: finding.line,
          column: finding.column,
          url: finding.url.startsWith('data:') ? finding.url.slice(0, 40) + '…' : finding.url,
          severity: 'warning'
        }
      )
    )
}
