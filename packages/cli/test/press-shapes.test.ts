import { execFileSync, spawnSync } from 'node:child_process'
import { appendFile, copyFile, cp, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'
import { box, readPdfStructure, text, type PdfStructure } from './pdf-structure.js'

/**
 * Issue 18, both modes on issues of other shapes than the Chinese sample (which
 * press-ready.test.ts checks in detail), in one `masthead build --pdf --bleed --press-ready
 * --archival` through the real command: the English sample, a long issue with twelve
 * photographs, a flyer (the cover and one page: the layout always gives the cover a page of
 * its own, so no issue is shorter), an A5 essay, and a cover whose photograph runs into the
 * bleed under a translucent band. Every file is read back with qpdf, poppler and
 * Ghostscript.
 */
const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const MM = 72 / 25.4

const SHAPES = [
  { slug: '2025-06-harbour-notes', from: path.join(root, 'issues'), what: 'the English sample', trim: [210, 297] },
  { slug: 'field-notes', from: path.join(here, 'corpus'), what: 'a long issue with twelve photographs', trim: [210, 297] },
  { slug: 'flyer', from: path.join(here, 'corpus'), what: 'a flyer, the shortest shape (the cover, then one page)', trim: [210, 297] },
  { slug: 'long-essay', from: path.join(here, 'corpus'), what: 'an A5 essay', trim: [148, 210] },
  { slug: 'issue-18-full-bleed', from: path.join(here, 'fixtures'), what: 'a cover photograph into the bleed', trim: [210, 297] }
] as const

let project: string
let built: { code: number; err: string }

const pdfinfo = (file: string): string => execFileSync('pdfinfo', [file], { encoding: 'utf8' })
const pageText = (file: string, page: number): string =>
  execFileSync('pdftotext', ['-f', String(page), '-l', String(page), file, '-'], { encoding: 'utf8' })
const fonts = (file: string): string[] =>
  execFileSync('pdffonts', [file], { encoding: 'utf8' })
    .split('\n')
    .slice(2)
    .filter((line) => line.trim() !== '')
const EMBEDDED_SUBSET = /\syes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/
/** Colour spaces a PDF/X-4 file for a CMYK condition may use. */
const CMYK_SPACES = ['/DeviceCMYK', '/DeviceGray', '/Indexed', '/Pattern', '/ICCBased N=4', '/ICCBased N=1']

/** The colour spaces of inline images (`BI … ID`), which qpdf's object walk does not see. */
function inlineImageSpaces(file: string): string[] {
  const qdf = execFileSync('qpdf', ['--qdf', '--object-streams=disable', file, '-'], { maxBuffer: 512 * 1024 * 1024 }).toString('latin1')
  return [...qdf.matchAll(/\bBI\b([\s\S]*?)\bID\b/g)].flatMap((match) =>
    [...match[1]!.matchAll(/\/(?:CS|ColorSpace)\s*(\/\w+|\[[^\]]*\])/g)].map((space) => space[1]!)
  )
}

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-press-shapes-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  for (const shape of SHAPES) await cp(path.join(shape.from, shape.slug), path.join(project, 'issues', shape.slug), { recursive: true })
  // The full-bleed cover: a designer's stylesheet puts a photograph behind the masthead,
  // which already runs to the trim and into the bleed, under a translucent band.
  await copyFile(path.join(here, 'corpus/field-notes/images/estuary-dawn.jpg'), path.join(project, 'styles/cover-photo.jpg'))
  await appendFile(
    path.join(project, 'styles/print.css'),
    "\n.masthead { background: linear-gradient(rgb(0 40 60 / 0.55), rgb(0 40 60 / 0.55)), url('cover-photo.jpg') center / cover; min-height: 110mm; }\n"
  )
  built = await runMain(['build', ...SHAPES.map((shape) => shape.slug), '--pdf', '--bleed', '--press-ready', '--archival'], project)
}, 900_000)

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('masthead build --press-ready --archival on issues of other shapes', { tags: ['slow'] }, () => {
  it('builds every issue, exit 0, without an error or text in the safe zone', () => {
    expect(built.err).not.toMatch(/\serror\s|✗/)
    expect(built.err).not.toMatch(/\ssafe-zone\s/)
    expect(built.code).toBe(0)
  })

  describe.each(SHAPES)('$what ($slug)', (shape) => {
    const dist = (file: string): string => path.join(project, 'dist', shape.slug, file)
    let screen: PdfStructure
    let press: PdfStructure
    let archive: PdfStructure
    beforeAll(() => {
      screen = readPdfStructure(dist('print.pdf'))
      press = readPdfStructure(dist('print-press.pdf'))
      archive = readPdfStructure(dist('print-archival.pdf'))
    })

    it('press: PDF/X-4 keys in Info and XMP, one FOGRA39 output intent with a CMYK profile', () => {
      expect(press.version).toBe('1.6')
      expect(press.trailer['/ID']).toHaveLength(2)
      expect(text(press.info['/GTS_PDFXVersion'])).toBe('PDF/X-4')
      expect(press.info['/Trapped']).toBe('/False')
      for (const key of ['/Title', '/Author', '/Creator', '/Producer', '/CreationDate', '/ModDate'])
        expect(text(press.info[key]), key).toBeTruthy()
      expect(press.xmp).toContain('<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>')
      expect(press.outputIntents).toHaveLength(1)
      expect(press.outputIntents[0]!.dict['/S']).toBe('/GTS_PDFX')
      expect(text(press.outputIntents[0]!.dict['/OutputConditionIdentifier'])).toBe('FOGRA39')
      expect(press.outputIntents[0]!.profile.header.toString('latin1', 12, 24)).toBe('prtrCMYKLab ')
    })

    it('press: every page has its TrimBox at the paper size and a BleedBox 3 mm outside it, no annotations', () => {
      expect(press.pages).toHaveLength(screen.pages.length)
      press.pages.forEach((page, index) => {
        const [trim, bleed] = [box(page['/TrimBox']), box(page['/BleedBox'])]
        expect(
          [trim[2]! - trim[0]!, trim[3]! - trim[1]!].map((pt) => Math.round(pt / MM)),
          `page ${index + 1}`
        ).toEqual([...shape.trim])
        trim.forEach((value, side) => expect(Math.abs(value - bleed[side]!), `page ${index + 1}`).toBeCloseTo(3 * MM, 1))
        expect(page['/Annots']).toBeUndefined()
      })
    })

    it('press: only CMYK or grey colour spaces in every page, form, image and inline image; no RGB operators', () => {
      expect([...press.colourSpaces].filter((space) => !CMYK_SPACES.includes(space))).toEqual([])
      expect(press.colourOperators.has('rg') || press.colourOperators.has('RG')).toBe(false)
      expect(inlineImageSpaces(dist('print-press.pdf')).filter((space) => !/^\/(G|DeviceGray|CMYK|DeviceCMYK)$/.test(space))).toEqual([])
    })

    it('press: fonts embedded subsets, none Type 3; the same characters on every page as the screen PDF', () => {
      for (const font of fonts(dist('print-press.pdf'))) {
        expect(font).not.toMatch(/Type 3/)
        expect(font).toMatch(EMBEDDED_SUBSET)
      }
      const characters = (file: string, page: number): string => [...pageText(file, page).replace(/\s+/g, '')].sort().join('')
      for (let page = 1; page <= screen.pages.length; page++)
        expect(characters(dist('print-press.pdf'), page), `page ${page}`).toBe(characters(dist('print.pdf'), page))
    })

    it("press: passes Ghostscript's PDF/X checks", () => {
      const { stderr } = spawnSync(
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
          path.join(project, `gs-${shape.slug}.pdf`),
          dist('print-press.pdf')
        ],
        { encoding: 'utf8' }
      )
      expect(stderr).not.toMatch(/not permitted in PDF\/X|aborting|reverting/)
    })

    it('archival: PDF/A-2b in XMP, sRGB output intent, tags, language, bookmarks and fonts kept, trimmed page', () => {
      expect(archive.xmp).toContain('<pdfaid:part>2</pdfaid:part>')
      expect(archive.xmp).toContain('<pdfaid:conformance>B</pdfaid:conformance>')
      expect(archive.outputIntents.map((intent) => text(intent.dict['/OutputConditionIdentifier']))).toEqual(['sRGB IEC61966-2.1'])
      expect(archive.catalog['/StructTreeRoot']).toBeDefined()
      expect(archive.catalog['/MarkInfo']).toMatchObject({ '/Marked': true })
      expect(text(archive.catalog['/Lang'])).toBe('en')
      expect(archive.outlineCount).toBe(screen.outlineCount)
      expect(archive.colourOperators.has('k') || archive.colourOperators.has('K')).toBe(false)
      expect(pdfinfo(dist('print-archival.pdf'))).toMatch(/Tagged:\s+yes/)
      for (const font of fonts(dist('print-archival.pdf'))) expect(font).toMatch(EMBEDDED_SUBSET)
      for (const page of archive.pages) {
        const [x0, y0, x1, y1] = box(page['/MediaBox'])
        expect([x1! - x0!, y1! - y0!].map((pt) => Math.round(pt / MM))).toEqual([...shape.trim])
      }
    })
  })
})
