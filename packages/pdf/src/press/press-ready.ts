import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { PDFDocument, PDFName } from 'pdf-lib'
import type { PdfMetadata } from '../set-metadata.js'
import { mendFlateStreams } from './mend-flate.js'
import { cmykGroups } from './cmyk-groups.js'
import { FOGRA39, iccFolder, outputIntent } from './icc-profiles.js'
import { markStandard } from './mark-standard.js'
import { ghostscriptBinary, runGhostscript } from './run-ghostscript.js'
import { treatBlack, type BlackTreatment } from './treat-black.js'

/** The standard the press file claims. */
export const PRESS_STANDARD = 'PDF/X-4'

/** Options of {@link pressReady}. */
export interface PressReadyOptions {
  /** Black text (100 % K) overprints the colours under it (default: false). */
  overprintBlack?: boolean
  /** The Ghostscript binary (default: `MASTHEAD_GHOSTSCRIPT` in `env`, else `gs`). */
  ghostscript?: string
  /** Where to read `MASTHEAD_GHOSTSCRIPT` (default: `process.env`). */
  env?: Readonly<Record<string, string | undefined>>
  /** Milliseconds for the conversion (default: 120000). */
  timeout?: number
}

/** A press file and what making it took. */
export interface PressReadyResult {
  pdf: Uint8Array
  /** How many text-showing operators got rich black, and how many overprint. */
  black: BlackTreatment
  timings: { convert: number; finish: number }
}

const since = (start: number): number => Math.round(performance.now() - start)

/**
 * Turn a printed PDF into a PDF/X-4 file for an offset print shop: Ghostscript converts
 * every colour to CMYK for the FOGRA39 printing condition (text and flat colour through a
 * device link that keeps greys on the black plate, images perceptually; transparency stays
 * live, as PDF/X-4 allows, each group blending in CMYK) and drops links; then black gets
 * its press treatment (rich black for large type, optional overprint) and the file its
 * output intent, XMP, Info keys, identifier, and a TrimBox and BleedBox on every page (the
 * page itself when it was printed without bleed).
 *
 * @param pdf The printed PDF (with bleed boxes when printed with bleed).
 * @param metadata Its metadata.
 * @param options See {@link PressReadyOptions}.
 * @throws {Error} When Ghostscript is missing or fails.
 */
export async function pressReady(pdf: Uint8Array, metadata: PdfMetadata, options: PressReadyOptions = {}): Promise<PressReadyResult> {
  const start = performance.now()
  const dir = await mkdtemp(path.join(tmpdir(), 'masthead-press-'))
  let converted: Uint8Array
  try {
    const input = path.join(dir, 'in.pdf')
    const output = path.join(dir, 'out.pdf')
    const control = path.join(dir, 'source-objects.txt')
    await writeFile(input, pdf)
    // Ghostscript's source-object colour control: a device link per kind of object.
    const link = (name: string): string => iccFolder + name
    await writeFile(
      control,
      [
        `Graphic_RGB\t${link(FOGRA39.graphicsLink)}\t1\t0\t0`,
        `Text_RGB\t${link(FOGRA39.graphicsLink)}\t1\t0\t0`,
        `Image_RGB\t${link(FOGRA39.imagesLink)}\t0\t0\t0`,
        ''
      ].join('\n')
    )
    await runGhostscript(
      [
        '-q',
        '-dNOPAUSE',
        '-dBATCH',
        '-dSAFER',
        `--permit-file-read=${iccFolder}`,
        `--permit-file-read=${dir}${path.sep}`,
        // Ghostscript 10.0's new PDF interpreter rewrites the ToUnicode maps of Chromium's CID
        // fonts wrongly for some CJK glyphs (they print right but extract as other characters);
        // its older interpreter keeps them. Ghostscript says this one is deprecated: the press
        // test compares every page's text with the screen PDF's and fails if that changes.
        '-dNEWPDF=false',
        '-sDEVICE=pdfwrite',
        '-dCompatibilityLevel=1.6',
        '-dPreserveAnnots=false',
        '-dAutoRotatePages=/None',
        '-sColorConversionStrategy=CMYK',
        '-sProcessColorModel=DeviceCMYK',
        `-sOutputICCProfile=${link(FOGRA39.file)}`,
        `-sSourceObjectICC=${control}`,
        '-dOverrideICC=true',
        '-dEmbedAllFonts=true',
        '-dSubsetFonts=true',
        // Keep images as Chromium embedded them: no downsampling, no JPEG re-compression of flat art.
        '-dDownsampleColorImages=false',
        '-dDownsampleGrayImages=false',
        '-dDownsampleMonoImages=false',
        '-dAutoFilterColorImages=false',
        '-sColorImageFilter=FlateEncode',
        `-sOutputFile=${output}`,
        input
      ],
      { binary: options.ghostscript ?? ghostscriptBinary(options.env), timeout: options.timeout ?? 120_000 }
    )
    converted = new Uint8Array(await readFile(output))
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
  const convert = since(start)

  const finishStart = performance.now()
  const doc = await PDFDocument.load(converted, { updateMetadata: false })
  for (const page of doc.getPages()) {
    const node = page.node
    const media = page.getMediaBox()
    if (!node.has(PDFName.of('TrimBox'))) page.setTrimBox(media.x, media.y, media.width, media.height)
    if (!node.has(PDFName.of('BleedBox'))) {
      const trim = page.getTrimBox()
      page.setBleedBox(trim.x, trim.y, trim.width, trim.height)
    }
    node.delete(PDFName.of('Annots'))
    // Ghostscript writes a CropBox a rounding above the MediaBox and an ArtBox equal to it:
    // the press file has the sheet (MediaBox), BleedBox and TrimBox only.
    node.delete(PDFName.of('CropBox'))
    node.delete(PDFName.of('ArtBox'))
  }
  mendFlateStreams(doc)
  cmykGroups(doc)
  const black = treatBlack(doc, { overprint: options.overprintBlack === true })
  markStandard(doc, metadata, await outputIntent(FOGRA39), { pdfx: PRESS_STANDARD })
  const out = await doc.save({ useObjectStreams: false })
  // pdf-lib always writes `%PDF-1.7`; PDF/X-4 is PDF 1.6. Same length, so no offset moves.
  out.set(new TextEncoder().encode('%PDF-1.6'), 0)
  return { pdf: out, black, timings: { convert, finish: since(finishStart) } }
}
