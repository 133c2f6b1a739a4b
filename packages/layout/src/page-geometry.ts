/** The printed sheet, as the print template needs it. */
export interface PageGeometry {
  /** The paper as asked for: `A4`, `Letter`, `170mm 240mm`. */
  paper: string
  /** Width of the trimmed page, `210mm`. */
  width: string
  /** Height of the trimmed page, `297mm`. */
  height: string
  /** The sheet Chromium prints: the trim plus bleed on every side, `216mm 303mm`. */
  sheet: string
  bleed: boolean
  /** `3mm` with bleed, `0mm` without: add it to page margins. */
  bleedWidth: string
}

const BLEED_MM = 3

const named: Record<string, [number, number]> = {
  a3: [297, 420],
  a4: [210, 297],
  a5: [148, 210],
  b5: [176, 250],
  letter: [215.9, 279.4],
  legal: [215.9, 355.6]
}

const mmPer: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72, pc: 25.4 / 6, px: 25.4 / 96 }

function toMm(length: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(mm|cm|in|pt|pc|px)$/i.exec(length)
  if (!match) return undefined
  return Number(match[1]) * mmPer[match[2]!.toLowerCase()]!
}

const mm = (value: number): string => `${Number(value.toFixed(2))}mm`

/**
 * Work out the page size for `paper` (`A4`, `Letter`, `A5 landscape`, or `170mm 240mm`),
 * with 3 mm of bleed on every side when asked.
 *
 * @throws {TypeError} When `paper` is neither a known name nor two lengths.
 */
export function pageGeometry(paper = 'A4', bleed = false): PageGeometry {
  const words = paper.trim().toLowerCase().split(/\s+/)
  let size: [number, number] | undefined
  const base = named[words[0] ?? '']
  if (base && words.length <= 2) {
    size = words[1] === 'landscape' ? [base[1], base[0]] : words[1] === undefined || words[1] === 'portrait' ? base : undefined
  } else if (words.length === 2) {
    const [width, height] = words.map(toMm)
    if (width && height) size = [width, height]
  }
  if (!size) {
    throw new TypeError(
      `Unexpected paper \`${paper}\`, expected \`A4\`, \`Letter\`, \`A5\`, \`A4 landscape\` or a width and height such as \`170mm 240mm\``
    )
  }
  const extra = bleed ? BLEED_MM * 2 : 0
  return {
    paper,
    width: mm(size[0]),
    height: mm(size[1]),
    sheet: `${mm(size[0] + extra)} ${mm(size[1] + extra)}`,
    bleed,
    bleedWidth: bleed ? `${BLEED_MM}mm` : '0mm'
  }
}
