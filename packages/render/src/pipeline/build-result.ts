import path from 'node:path'
import type { VFile } from '@masthead/core'
import { VFile as File, hasErrors } from '@masthead/core'
import type { EditionName } from '../build-issue.js'
import { isEditionOutput } from '../build-issue.js'
import type { BuilderResult } from '../builder-types.js'

/** Milliseconds since `start` (a `performance.now()`), rounded. */
export const since = (start: number): number => Math.round(performance.now() - start)

/**
 * A result with nothing built yet: the issue's source file first, then the layout's files
 * that have messages.
 *
 * @param slug The issue folder's name.
 * @param source The issue's VFile.
 * @param layoutFiles The files of loading the layout (manifests, templates).
 */
export function createResult(slug: string, source: VFile, layoutFiles: readonly VFile[]): BuilderResult {
  return {
    slug,
    issue: undefined,
    files: [source, ...layoutFiles.filter((file) => file.messages.length > 0)],
    outputs: new Map(),
    editionFiles: {},
    emailAssets: [],
    timings: {}
  }
}

/** The files of one edition's own steps, kept in the result as well. */
export function editionFiles(result: BuilderResult, edition: EditionName): VFile[] {
  const map = (result.editionFiles ??= {})
  return (map[edition] ??= [])
}

/** A VFile for one edition's findings on the issue source (reported with the source's own messages). */
export function editionFile(result: BuilderResult, edition: EditionName, source: VFile): VFile {
  const own = new File({ path: source.path, cwd: source.cwd, value: source.value })
  keepFiles(result, edition, [own])
  return own
}

/** Keep `files` as `edition`'s own: in `editionFiles` and in `files`. */
export function keepFiles(result: BuilderResult, edition: EditionName, files: readonly VFile[]): void {
  result.files.push(...files)
  editionFiles(result, edition).push(...files)
}

/** Keep those of `files` that have messages as `edition`'s own. */
export function keepMessages(result: BuilderResult, edition: EditionName, files: readonly VFile[]): void {
  keepFiles(
    result,
    edition,
    files.filter((file) => file.messages.length > 0)
  )
}

/** Whether the result has no errors outside `edition`'s own files (and `extra`): its hooks may show it. */
export function okBesides(result: BuilderResult, edition: EditionName, extra: readonly VFile[] = []): boolean {
  const others = result.editionFiles?.[edition] ?? []
  return !hasErrors([...result.files.filter((file) => !others.includes(file)), ...extra])
}

/**
 * Editions are independent: one whose own steps failed loses its outputs, the others stay;
 * an error in what they share (`common`: the source, the layout, the manifests) drops all.
 */
export function dropFailedEditions(result: BuilderResult, common: readonly VFile[]): void {
  if (hasErrors(common)) result.outputs.clear()
  for (const [edition, files] of Object.entries(result.editionFiles ?? {}) as Array<[EditionName, VFile[]]>) {
    if (hasErrors(files)) for (const name of [...result.outputs.keys()]) if (isEditionOutput(edition, name)) result.outputs.delete(name)
  }
}

/**
 * The print HTML resolves images against the issue folder; written to `dist/<issue>/`,
 * it needs a `<base>` pointing back there to open in a browser.
 */
export function withBase(html: string, dir: string): string {
  if (/<base\s/i.test(html)) return html
  const href = 'file://' + encodeURI(dir.split(path.sep).join('/')) + '/'
  return html.replace(/<head([^>]*)>/i, `<head$1>\n<base href="${href}">`)
}
