import { readFile, stat } from 'node:fs/promises'
import nodePath from 'node:path'
import type { Point } from '@masthead/core'
import { VFile, addError, realPathInsideAsync } from '@masthead/core'

/** The largest issue source accepted, in bytes. */
export const MAX_SOURCE_BYTES = 2 * 1024 * 1024

const SOURCE = 'masthead:parse'

/**
 * Read `issue.md` into a VFile, refusing what is not a Markdown text: an empty file,
 * a binary or non-UTF-8 file, a file over 2 MB. A refused file has an error message and
 * an empty value.
 *
 * @param path Path of the source file.
 * @param cwd Folder that paths in messages are relative to.
 */
export async function readSource(path: string, cwd = process.cwd()): Promise<VFile> {
  const file = new VFile({ path, cwd, value: '' })
  let size: number
  try {
    size = (await stat(path)).size
  } catch (error) {
    addError(file, `Cannot read \`${path}\`: ${(error as NodeJS.ErrnoException).code ?? String(error)}, expected an issue source file`, {
      ruleId: 'unreadable-source',
      source: SOURCE
    })
    return file
  }
  // A source that is a symlink to a file outside its folder would be read, and quoted in
  // messages, as if an editor had written it there.
  const contained = await realPathInsideAsync(path, [nodePath.dirname(path)])
  if (!contained.inside && contained.reason === 'outside') {
    addError(
      file,
      `Unexpected \`${nodePath.basename(path)}\` that links out of the issue folder, expected the source file itself in the folder`,
      {
        ruleId: 'source-outside-issue',
        source: SOURCE
      }
    )
    return file
  }
  if (size > MAX_SOURCE_BYTES) {
    addError(
      file,
      `Unexpected file size of ${(size / 1024 / 1024).toFixed(1)} MB, expected at most ${MAX_SOURCE_BYTES / 1024 / 1024} MB for one issue (split it, or move data out of the source)`,
      {
        ruleId: 'source-too-large',
        source: SOURCE,
        place: { line: 1, column: 1 }
      }
    )
    return file
  }
  const bytes = await readFile(path)
  file.value = decodeSource(bytes, file)
  return file
}

/**
 * Decode bytes as UTF-8 text, adding an error to `file` for binary or UTF-16 content.
 * A byte-order mark is dropped; line endings become `\n` (see {@link normalizeLineEndings}).
 */
export function decodeSource(bytes: Uint8Array, file: VFile): string {
  const utf16 = detectUtf16(bytes)
  if (utf16) {
    return refuse(
      file,
      'encoding',
      `Unexpected UTF-16 text (${utf16}), expected UTF-8: re-save the file as UTF-8 (in the editor's "Save as" or "Encoding" menu)`
    )
  }
  const nul = bytes.indexOf(0)
  if (nul !== -1) {
    const before = new TextDecoder('utf-8', { fatal: false }).decode(bytes.subarray(0, nul))
    return refuse(file, 'binary-source', 'Unexpected binary content (a NUL byte), expected a UTF-8 Markdown text', placeAfter(before))
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const valid = new TextDecoder('utf-8', { fatal: false }).decode(bytes).split('\uFFFD')[0] ?? ''
    return refuse(
      file,
      'encoding',
      'Unexpected bytes that are not UTF-8, expected a UTF-8 Markdown text (re-save the file as UTF-8)',
      placeAfter(valid)
    )
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (text.trim() === '') {
    return refuse(file, 'empty-source', 'Unexpected empty file, expected frontmatter (`---` … `---`) and at least one section')
  }
  return normalizeLineEndings(text)
}

/**
 * Add an error to `file` for content that is not a Markdown text.
 *
 * @returns The empty text a refused file is read as.
 */
function refuse(file: VFile, ruleId: string, reason: string, place: Point = { line: 1, column: 1 }): '' {
  addError(file, reason, { ruleId, source: SOURCE, place })
  return ''
}

/** The place just after the end of `text` (any line ending counts), where what follows it starts. */
function placeAfter(text: string): Point {
  const lines = text.split(/\r\n?|\n/)
  return { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 }
}

/**
 * Turn every line ending into `\n`. CommonMark counts a lone `\r` (classic Mac OS, some
 * exporters) and `\r\n` as line endings, but YAML and the section fences are read line by
 * line on `\n`: a file with lone CRs would be one long frontmatter line. Lines and columns
 * stay as an editor counts them, since each ending stays one line break.
 */
export function normalizeLineEndings(text: string): string {
  return text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
}

/**
 * Recognise UTF-16 text (Windows' "Unicode" encoding): a UTF-16 byte-order mark, or no mark
 * but a NUL byte beside each of the first ASCII characters, as text in UTF-16 has.
 *
 * @returns How it was recognised, for the message; `undefined` when it is not UTF-16.
 */
function detectUtf16(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'it starts with a UTF-16 LE byte-order mark'
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'it starts with a UTF-16 BE byte-order mark'
  // Without a mark: the first 8 characters (`---` and a key, in an issue) are ASCII, each
  // with its NUL byte on the same side; a binary file does not start like that.
  const units = Math.min(8, Math.floor(bytes.length / 2))
  if (units < 2) return undefined
  for (const [high, low, name] of [
    [1, 0, 'LE'],
    [0, 1, 'BE']
  ] as const) {
    let ascii = true
    for (let index = 0; index < units && ascii; index++) {
      const zero = bytes[index * 2 + high]
      const char = bytes[index * 2 + low] ?? 0
      ascii = zero === 0 && char > 0 && char < 0x80
    }
    if (ascii) return `UTF-16 ${name}, without a byte-order mark`
  }
  return undefined
}
