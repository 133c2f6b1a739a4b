/**
 * Reading a corpus issue's PDF back page by page with poppler, for the layout checks of
 * corpus.test.ts: where each page's body text ends, where each heading landed, what the
 * printed contents say, and the body text without running headers and footers.
 */
import { execFileSync } from 'node:child_process'

/** One line of text on a page, in points from the top-left corner. */
export interface TextLine {
  text: string
  yMin: number
  yMax: number
}

/** A page: its size and the lines inside its text area (running headers and footers left out). */
export interface PdfPage {
  number: number
  width: number
  height: number
  lines: TextLine[]
}

/** Where a named destination (an element id) landed: its page, and its top in points from the page's top. */
export interface Destination {
  page: number
  top: number
}

const run = (tool: string, args: string[]): string => execFileSync(tool, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })

const decode = (text: string): string =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')

/** The text area of a page, in points: the page less the margins (`--margin-top`, `--margin-bottom` in mm). */
export interface Margins {
  top: number
  bottom: number
}

/**
 * Every page with the lines of text inside its text area (`pdftotext -bbox-layout`).
 *
 * @param file The PDF.
 * @param margins The top and bottom page margins, in points.
 */
export function readPages(file: string, margins: Margins): PdfPage[] {
  const xml = run('pdftotext', ['-bbox-layout', file, '-'])
  const pages: PdfPage[] = []
  for (const [index, match] of [...xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].entries()) {
    const width = Number(match[1])
    const height = Number(match[2])
    const lines: TextLine[] = []
    for (const line of match[3]!.matchAll(/<line xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([\s\S]*?)<\/line>/g)) {
      const words = [...line[3]!.matchAll(/<word [^>]*>([^<]*)<\/word>/g)].map((word) => decode(word[1]!))
      const yMin = Number(line[1])
      const yMax = Number(line[2])
      // A line belongs to the text area when its middle does (a heading's box may reach a little above it).
      const middle = (yMin + yMax) / 2
      if (middle < margins.top || middle > height - margins.bottom) continue
      lines.push({ text: words.join(' '), yMin, yMax })
    }
    lines.sort((a, b) => a.yMin - b.yMin)
    pages.push({ number: index + 1, width, height, lines })
  }
  return pages
}

/** The named destinations Chromium writes for link targets (`pdfinfo -dests`), by id. */
export function readDestinations(file: string, pageHeight: number): Map<string, Destination> {
  const dests = new Map<string, Destination>()
  for (const match of run('pdfinfo', ['-dests', file]).matchAll(/^\s*(\d+)\s+\[\s*XYZ\s+[-\d.]+\s+([-\d.]+)\s+\S+\s*\]\s+"(.*)"$/gm)) {
    dests.set(match[3]!, { page: Number(match[1]), top: pageHeight - Number(match[2]) })
  }
  return dests
}

/** `pdftotext -raw` of each page's text area only, pages joined: the body text in reading order. */
export function rawBodyText(file: string, pages: readonly PdfPage[], margins: Margins): string {
  return pages
    .map((page) =>
      run('pdftotext', [
        '-raw',
        '-f',
        String(page.number),
        '-l',
        String(page.number),
        '-x',
        '0',
        '-y',
        String(Math.floor(margins.top)),
        '-W',
        String(Math.ceil(page.width)),
        '-H',
        String(Math.ceil(page.height - margins.top - margins.bottom)),
        file,
        '-'
      ])
    )
    .join('\n')
}

/** `pdftotext -layout` of one page. */
export function layoutText(file: string, page: number): string {
  return run('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-'])
}

/** Text for comparing: NFKC, without whitespace, hyphens or soft hyphens (line breaks and hyphenation differ). */
export function normalize(text: string): string {
  return text.normalize('NFKC').replace(/[\s\u00ad\u2010\u2011-]+/g, '')
}

/** One PDF bookmark: its nesting depth (1 for the top level) and its title. */
export interface Bookmark {
  depth: number
  title: string
}

/** The PDF's bookmarks in order, from poppler's outline (`pdftohtml -xml`). */
export function readBookmarks(file: string): Bookmark[] {
  const xml = run('pdftohtml', ['-xml', '-i', '-stdout', '-q', file])
  const start = xml.indexOf('<outline>')
  if (start === -1) return []
  const bookmarks: Bookmark[] = []
  let depth = 0
  for (const match of xml.slice(start).matchAll(/<outline>|<\/outline>|<item[^>]*>([^<]*)<\/item>/g)) {
    if (match[0] === '<outline>') depth++
    else if (match[0] === '</outline>') depth--
    else bookmarks.push({ depth, title: decode(match[1]!) })
  }
  return bookmarks
}
