/**
 * Page geometry in one place: the paper sizes Masthead knows, the one parser of a paper
 * value (`A4`, `A5 landscape`, `170mm 240mm`), and the sheet with bleed. The config, the
 * frontmatter, the print layout and the PDF's bleed boxes all use these.
 */

/** Portrait paper sizes in millimetres, by the name an editor writes (case does not matter). */
export const PAPER_SIZES: Readonly<Record<string, readonly [width: number, height: number]>> = {
  A3: [297, 420],
  A4: [210, 297],
  A5: [148, 210],
  A6: [105, 148],
  B5: [176, 250],
  'JIS-B5': [182, 257],
  Letter: [215.9, 279.4],
  Legal: [215.9, 355.6],
  Tabloid: [279.4, 431.8]
}

/** Bleed on each side, in millimetres. */
export const BLEED_MM = 3

/** What a paper value says an editor may write, for messages. */
export const PAPER_EXPECTED =
  'expected a paper size (`A4`, `A5`, `Letter` …), optionally `landscape` (`A4 landscape`), or a width and height such as `170mm 240mm`'

/** A parsed paper value: the trimmed page in millimetres. */
export interface Paper {
  width: number
  height: number
}

const MM_PER: Record<string, number> = { mm: 1, cm: 10, in: 25.4, pt: 25.4 / 72, pc: 25.4 / 6, px: 25.4 / 96 }
const byName = new Map(Object.entries(PAPER_SIZES).map(([name, size]) => [name.toLowerCase(), size]))

function toMm(length: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(mm|cm|in|pt|pc|px)$/i.exec(length)
  if (!match) return undefined
  const value = Math.round(Number(match[1]) * MM_PER[match[2]!.toLowerCase()]! * 1000) / 1000
  return value > 0 ? value : undefined
}

/**
 * Read a paper value: a name from {@link PAPER_SIZES} with an optional `portrait` or
 * `landscape`, or a width and a height in CSS units (`170mm 240mm`, `6in 9in`).
 *
 * @returns The trimmed page in millimetres, or `undefined` when `text` is neither.
 */
export function parsePaper(text: string): Paper | undefined {
  const words = text.trim().toLowerCase().split(/\s+/)
  const base = byName.get(words[0] ?? '')
  if (base && words.length <= 2) {
    if (words[1] === 'landscape') return { width: base[1], height: base[0] }
    if (words[1] === undefined || words[1] === 'portrait') return { width: base[0], height: base[1] }
    return undefined
  }
  if (words.length !== 2) return undefined
  const [width, height] = words.map(toMm)
  return width && height ? { width, height } : undefined
}

/** Points per millimetre, for PDF boxes. */
export const mmToPt = (mm: number): number => (mm * 72) / 25.4

/**
 * Whether a PDF page of `width` × `height` points is one of {@link PAPER_SIZES}, either way
 * round (within 1.5 pt): a page printed without bleed.
 */
export function isPaperSize(width: number, height: number): boolean {
  const near = (a: number, b: number): boolean => Math.abs(a - b) < 1.5
  return Object.values(PAPER_SIZES).some(([w, h]) => {
    const [pw, ph] = [mmToPt(w), mmToPt(h)]
    return (near(width, pw) && near(height, ph)) || (near(width, ph) && near(height, pw))
  })
}

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

const mm = (value: number): string => `${Number(value.toFixed(2))}mm`

/**
 * Work out the page size for `paper` (see {@link parsePaper}), with {@link BLEED_MM} of
 * bleed on every side when asked.
 *
 * @throws {TypeError} When `paper` is neither a known name nor two lengths.
 */
export function pageGeometry(paper = 'A4', bleed = false): PageGeometry {
  const size = parsePaper(paper)
  if (!size) throw new TypeError(`Unexpected paper \`${paper}\`, ${PAPER_EXPECTED}`)
  const extra = bleed ? BLEED_MM * 2 : 0
  return {
    paper,
    width: mm(size.width),
    height: mm(size.height),
    sheet: `${mm(size.width + extra)} ${mm(size.height + extra)}`,
    bleed,
    bleedWidth: bleed ? `${BLEED_MM}mm` : '0mm'
  }
}
