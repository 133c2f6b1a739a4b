import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import type { OutputIntent } from './mark-standard.js'

/**
 * The folder of the ICC profiles that ship with this package (see its README), found
 * through the package's own name: the command line bundles this code elsewhere.
 */
export const iccFolder = path.join(path.dirname(createRequire(import.meta.url).resolve('@masthead/pdf/package.json')), 'icc') + path.sep

/** The press file's printing condition and profile. */
export const FOGRA39 = {
  file: 'FOGRA39L-coated.icc',
  identifier: 'FOGRA39',
  condition: 'Offset printing, ISO 12647-2:2004/Amd 1, paper type 1 or 2 (coated art), 115 g/m2, screen ruling 60/cm',
  info: 'Coated FOGRA39 (ISO 12647-2:2004), profile built from the FOGRA39L characterization data',
  /** sRGB → FOGRA39 device links: flat colour and text (neutrals to black ink only), and images (perceptual). */
  graphicsLink: 'srgb-fogra39-graphics.icc',
  imagesLink: 'srgb-fogra39-images.icc',
  /** The profile's total area coverage limit, percent. */
  totalInk: 330
} as const

/** The archive's output intent: the sRGB screen colours Chromium prints in. */
export const SRGB = {
  file: 'sRGB.icc',
  identifier: 'sRGB IEC61966-2.1',
  condition: 'sRGB IEC61966-2.1',
  info: 'sRGB IEC61966-2.1'
} as const

/**
 * The output intent for `condition`, its profile read from {@link iccFolder}.
 *
 * @param condition {@link FOGRA39} or {@link SRGB}.
 */
export async function outputIntent(condition: typeof FOGRA39 | typeof SRGB): Promise<OutputIntent> {
  const profile = new Uint8Array(await readFile(iccFolder + condition.file))
  const cmyk = condition.identifier === FOGRA39.identifier
  return {
    subtype: cmyk ? 'GTS_PDFX' : 'GTS_PDFA1',
    identifier: condition.identifier,
    condition: condition.condition,
    info: condition.info,
    profile,
    components: cmyk ? 4 : 3
  }
}
