import { PDFDict, PDFName, PDFRawStream, decodePDFRawStream, type PDFDocument } from 'pdf-lib'

/** The code points the PDF's embedded fonts draw with a real glyph, or `undefined` when a font does not say (no ToUnicode map). */
export type CodePoints = Set<number> | undefined

/** UTF-16BE hex (`<0E2A>`, `<D83DDE00>`) → its code points. */
function decodeHex(hex: string): number[] {
  const units: number[] = []
  for (let index = 0; index + 4 <= hex.length; index += 4) units.push(Number.parseInt(hex.slice(index, index + 4), 16))
  return [...String.fromCharCode(...units)].map((char) => char.codePointAt(0)!)
}

/**
 * Read a ToUnicode CMap: every code it maps (but code 0, `.notdef`) gives its code points.
 * Chromium (Skia) writes one for every font it embeds, listing exactly the glyphs it drew;
 * a character it drew as `.notdef` — a box — has no entry.
 */
export function readToUnicode(cmap: string, into: Set<number>): void {
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, code = '', target = ''] of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      if (Number.parseInt(code, 16) === 0) continue
      for (const point of decodeHex(target)) into.add(point)
    }
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, low = '', high = '', rest = ''] of block[1]!.matchAll(
      /<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]+>|\[[^\]]*\])/g
    )) {
      const from = Number.parseInt(low, 16)
      const to = Number.parseInt(high, 16)
      if (rest.startsWith('[')) {
        const targets = [...rest.matchAll(/<([0-9A-Fa-f]+)>/g)].map((match) => match[1]!)
        targets.forEach((target, offset) => {
          if (from + offset !== 0) for (const point of decodeHex(target)) into.add(point)
        })
        continue
      }
      const start = decodeHex(rest.slice(1, -1))
      for (let code = Math.max(from, 1); code <= to && code - from < 0x10000; code++) {
        // The last code point counts up through the range.
        const points = [...start]
        points[points.length - 1] = points.at(-1)! + (code - from)
        for (const point of points) into.add(point)
      }
    }
  }
}

/**
 * The code points of every glyph the PDF's fonts draw, read from their ToUnicode maps
 * with pdf-lib (already used to set metadata; no font parser is needed, because the maps
 * list the drawn glyphs and leave out `.notdef`).
 *
 * @returns The set, or `undefined` when some font has no ToUnicode map (nothing can be said then).
 */
export function embeddedCodePoints(doc: PDFDocument): CodePoints {
  const points = new Set<number>()
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict) || object.get(PDFName.of('Type')) !== PDFName.of('Font')) continue
    // A descendant CIDFont is described by its Type0 parent's map.
    const subtype = object.get(PDFName.of('Subtype'))
    if (subtype === PDFName.of('CIDFontType0') || subtype === PDFName.of('CIDFontType2')) continue
    const map = object.lookup(PDFName.of('ToUnicode'))
    if (!(map instanceof PDFRawStream)) return undefined
    readToUnicode(Buffer.from(decodePDFRawStream(map).decode()).toString('latin1'), points)
  }
  return points
}
