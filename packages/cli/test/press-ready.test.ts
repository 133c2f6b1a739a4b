import { execFileSync, spawnSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../src/index.js'
import { main } from '../src/index.js'
import { box, readPdfStructure, text, type PdfStructure } from './pdf-structure.js'

// One build of the Chinese sample with bleed, --press-ready and --archival through the real
// command; the press file (PDF/X-4) and the archival file (PDF/A-2b) are read back with qpdf,
// poppler and Ghostscript, never with the code that wrote them.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const SLUG = '2021-green-silk-road'
let project: string
let dist: string
let built: { code: number; err: string }
let screen: PdfStructure
let press: PdfStructure
let archive: PdfStructure

const files = {
  screen: () => path.join(dist, 'print.pdf'),
  press: () => path.join(dist, 'print-press.pdf'),
  archive: () => path.join(dist, 'print-archival.pdf')
}
const pdfinfo = (file: string): string => execFileSync('pdfinfo', [file], { encoding: 'utf8' })
const pageText = (file: string, page: number): string =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
/** pdffonts' lines: name, type, encoding, emb, sub, uni, object id. */
const fonts = (file: string): string[] =>
  execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
const EMBEDDED_SUBSET = /\syes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/
const MM3 = (3 * 72) / 25.4

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-press-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await mkdir(path.join(project, 'issues'))
  await cp(path.join(root, 'issues', SLUG), path.join(project, 'issues', SLUG), { recursive: true })
  const stderr = new PassThrough()
  let err = ''
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const io: Io = { stdout: new PassThrough(), stderr, cwd: project, env: process.env, tty: false }
  const code = await main(['build', SLUG, '--pdf', '--bleed', '--press-ready', '--archival'], io)
  built = { code, err }
  dist = path.join(project, 'dist', SLUG)
  if (code === 0) {
    screen = readPdfStructure(files.screen())
    press = readPdfStructure(files.press())
    archive = readPdfStructure(files.archive())
  }
}, 300_000)

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('masthead build --press-ready: print-press.pdf is PDF/X-4 for FOGRA39', { tags: ['slow'] }, () => {
  it('builds, exit 0, with no text in the safe zone (the samples keep 19 mm or more from the trim)', () => {
    expect(built.err).not.toMatch(/error/)
    expect(built.err).not.toMatch(/\ssafe-zone\s/)
    expect(built.code).toBe(0)
  })

  it('is PDF 1.6 with a file identifier, the Info keys and an XMP packet claiming PDF/X-4', () => {
    expect(press.version).toBe('1.6')
    expect(press.trailer['/ID']).toHaveLength(2)
    expect(text(press.info['/Title'])).toBe(text(screen.info['/Title']))
    expect(press.info['/Trapped']).toBe('/False')
    expect(text(press.info['/GTS_PDFXVersion'])).toBe('PDF/X-4')
    for (const key of ['/Author', '/Subject', '/Keywords', '/Creator', '/Producer', '/CreationDate', '/ModDate'])
      expect(text(press.info[key]), key).toBeTruthy()
    expect(press.xmp).toContain('<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>')
    expect(press.xmp).toContain(`<rdf:li xml:lang="x-default">${text(press.info['/Title'])}</rdf:li>`)
    expect(press.xmp).toContain('<pdf:Trapped>False</pdf:Trapped>')
    // The XMP dates are the Info dictionary's, to the second.
    const created = /<xmp:CreateDate>(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)Z</.exec(press.xmp ?? '')
    expect(text(press.info['/CreationDate'])).toBe(`D:${created?.slice(1).join('')}Z`)
  })

  it('has one output intent: FOGRA39 with its CMYK output profile embedded', () => {
    expect(press.outputIntents).toHaveLength(1)
    const [intent] = press.outputIntents
    expect(intent!.dict['/S']).toBe('/GTS_PDFX')
    expect(text(intent!.dict['/OutputConditionIdentifier'])).toBe('FOGRA39')
    expect(text(intent!.dict['/RegistryName'])).toBe('http://www.color.org')
    expect(intent!.profile.n).toBe(4)
    // ICC header: device class `prtr`, colour space `CMYK`, connection space `Lab `.
    expect(intent!.profile.header.toString('latin1', 12, 24)).toBe('prtrCMYKLab ')
  })

  it('keeps every page with its sheet, BleedBox 3 mm outside the TrimBox, and no annotations', () => {
    expect(press.pages).toHaveLength(screen.pages.length)
    press.pages.forEach((page, index) => {
      const [media, bleed, trim] = [box(page['/MediaBox']), box(page['/BleedBox']), box(page['/TrimBox'])]
      expect(trim, `page ${index + 1}`).toHaveLength(4)
      expect(bleed[0]! - media[0]!).toBeGreaterThanOrEqual(0)
      expect(media[2]! - bleed[2]!).toBeGreaterThanOrEqual(0)
      trim.forEach((value, side) => expect(Math.abs(value - bleed[side]!), `page ${index + 1} side ${side}`).toBeCloseTo(MM3, 1))
      expect(page['/Annots']).toBeUndefined()
      expect(page['/CropBox']).toBeUndefined()
    })
    expect(press.annotations).toEqual([])
  })

  it('has no RGB anywhere: colour spaces of resources, images and groups, and content operators', () => {
    expect(screen.colourOperators.has('rg')).toBe(true)
    expect([...press.colourSpaces].filter((space) => /RGB|N=3|CalGray|Lab/.test(space))).toEqual([])
    expect(
      [...press.colourSpaces].filter((space) => !['/DeviceCMYK', '/DeviceGray', '/Indexed', '/Pattern', '/ICCBased N=4'].includes(space))
    ).toEqual([])
    expect(press.colourOperators.has('rg') || press.colourOperators.has('RG')).toBe(false)
    expect(press.colourOperators.has('k')).toBe(true)
  })

  it('keeps the fonts as embedded subsets, none Type 3, and the text as text on every page', () => {
    const pressFonts = fonts(files.press())
    expect(pressFonts.length).toBeGreaterThan(3)
    // Ghostscript may split one font into several subsets; the same faces are there.
    const faces = (lines: string[]): string[] => [...new Set(lines.map((line) => line.split(/\s+/)[0]!.replace(/^[A-Z]{6}\+/, '')))].sort()
    expect(faces(pressFonts)).toEqual(faces(fonts(files.screen())))
    for (const font of pressFonts) {
      expect(font).not.toMatch(/Type 3/)
      expect(font).toMatch(/^[A-Z]{6}\+/)
      expect(font).toMatch(EMBEDDED_SUBSET)
    }
    // The same characters on every page (Ghostscript may change the order text is drawn in,
    // and so pdftotext's reading order, e.g. of a contents page's numbers).
    const characters = (file: string, page: number): string => [...pageText(file, page).replace(/\s+/g, '')].sort().join('')
    for (let page = 1; page <= screen.pages.length; page++) {
      const expected = characters(files.screen(), page)
      expect(expected.length).toBeGreaterThan(0)
      expect(characters(files.press(), page), `page ${page}`).toBe(expected)
    }
  })

  it("passes Ghostscript's own PDF/X checks, which the screen PDF fails", () => {
    // Ghostscript 10.0 writes PDF/X-3, which has no transparency: NOTRANSPARENCY spares the
    // minute it would spend flattening; its checks (annotations, boxes, colour) still run.
    const check = (file: string): string =>
      spawnSync(
        'gs',
        [
          '-q',
          '-dNOPAUSE',
          '-dBATCH',
          '-dSAFER',
          '-sDEVICE=pdfwrite',
          '-dPDFX',
          '-dNOTRANSPARENCY',
          '-sColorConversionStrategy=CMYK',
          '-sProcessColorModel=DeviceCMYK',
          '-dPDFACompatibilityPolicy=2',
          '-o',
          path.join(project, 'gs-check.pdf'),
          file
        ],
        { encoding: 'utf8' }
      ).stderr
    expect(check(files.screen())).toMatch(/not permitted in PDF\/X/)
    expect(check(files.press())).not.toMatch(/not permitted in PDF\/X|aborting|reverting/)
  })
})

describe('masthead build --archival: print-archival.pdf is PDF/A-2b', { tags: ['slow'] }, () => {
  it('claims PDF/A-2b in XMP that agrees with the Info dictionary, and has a file identifier', () => {
    expect(archive.xmp).toContain('<pdfaid:part>2</pdfaid:part>')
    expect(archive.xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>')
    expect(archive.xmp).toContain(`<rdf:li xml:lang="x-default">${text(archive.info['/Title'])}</rdf:li>`)
    expect(archive.xmp).toContain(`<dc:creator><rdf:Seq><rdf:li>${text(archive.info['/Author'])}</rdf:li></rdf:Seq></dc:creator>`)
    expect(archive.xmp).toContain(`<pdf:Keywords>${text(archive.info['/Keywords'])}</pdf:Keywords>`)
    expect(archive.trailer['/ID']).toHaveLength(2)
    expect(archive.trailer['/Encrypt']).toBeUndefined()
  })

  it('has an sRGB output intent with its profile embedded', () => {
    expect(archive.outputIntents).toHaveLength(1)
    const [intent] = archive.outputIntents
    expect(intent!.dict['/S']).toBe('/GTS_PDFA1')
    expect(text(intent!.dict['/OutputConditionIdentifier'])).toBe('sRGB IEC61966-2.1')
    expect(intent!.profile.n).toBe(3)
    expect(intent!.profile.header.toString('latin1', 12, 20)).toBe('mntrRGB ')
  })

  it('keeps the tags, the language, the bookmarks and the links (flagged to print)', () => {
    expect(archive.catalog['/StructTreeRoot']).toBeDefined()
    expect(archive.catalog['/MarkInfo']).toMatchObject({ '/Marked': true })
    expect(text(archive.catalog['/Lang'])).toBe('zh-CN')
    expect(archive.outlineCount).toBeGreaterThan(0)
    expect(archive.outlineCount).toBe(screen.outlineCount)
    expect(archive.annotations.length).toBe(screen.annotations.length)
    for (const annot of archive.annotations) expect((annot['/F'] as number) & (4 | 1 | 2 | 32 | 256)).toBe(4)
  })

  it('is the trimmed page without crop marks: no CMYK in an sRGB document, every font embedded', () => {
    expect(screen.colourOperators.has('K')).toBe(true)
    expect(archive.colourOperators.has('K') || archive.colourOperators.has('k')).toBe(false)
    expect([...archive.colourSpaces].filter((space) => /CMYK|N=4/.test(space))).toEqual([])
    for (const page of archive.pages) {
      const [x0, y0, x1, y1] = box(page['/MediaBox'])
      expect([x1! - x0!, y1! - y0!].map(Math.round)).toEqual([595, 842])
    }
    expect(pdfinfo(files.archive())).toMatch(/Tagged:\s+yes/)
    for (const font of fonts(files.archive())) expect(font).toMatch(EMBEDDED_SUBSET)
  })
})
