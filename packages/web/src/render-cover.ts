import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import sharp from 'sharp'

const run = promisify(execFile)

/** The cover image's width in pixels (the archive shows it at up to a third of that; OpenGraph wants 600 or more). */
export const COVER_WIDTH = 900

/** Options for {@link renderCover}. */
export interface CoverOptions {
  /** poppler's `pdftoppm` (default: found on `PATH`). */
  pdftoppm?: string
  /** Milliseconds before giving up (default 30 000). */
  timeout?: number
}

/**
 * The cover image of an issue: the PDF's first page rendered by poppler's `pdftoppm`
 * (the same engine that reads the PDFs back in the tests, and which draws the embedded
 * fonts, so no system font is involved), as a JPEG {@link COVER_WIDTH} pixels wide.
 *
 * @param pdf The print edition's bytes.
 * @throws An `Error` saying what to install when `pdftoppm` is missing, or what it reported.
 */
export async function renderCover(pdf: Uint8Array, options: CoverOptions = {}): Promise<Uint8Array> {
  const dir = await mkdtemp(path.join(tmpdir(), 'masthead-cover-'))
  try {
    const input = path.join(dir, 'print.pdf')
    await writeFile(input, pdf)
    const binary = options.pdftoppm ?? 'pdftoppm'
    try {
      await run(
        binary,
        [
          '-f',
          '1',
          '-l',
          '1',
          '-singlefile',
          '-png',
          '-scale-to-x',
          String(COVER_WIDTH),
          '-scale-to-y',
          '-1',
          input,
          path.join(dir, 'cover')
        ],
        { timeout: options.timeout ?? 30_000 }
      )
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'ENOENT')
        throw new Error(
          `Cannot render the cover image: \`${binary}\` is not installed, expected poppler-utils (\`apt-get install poppler-utils\`)`,
          { cause: error }
        )
      throw new Error(`Cannot render the cover image: \`${binary}\` failed (${(error as Error).message.split('\n')[0]})`, { cause: error })
    }
    const png = await readFile(path.join(dir, 'cover.png'))
    return new Uint8Array(await sharp(png).flatten({ background: '#ffffff' }).jpeg({ quality: 82, mozjpeg: true }).toBuffer())
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
