import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Outputs } from './build-issue.js'
import { lockFolder, removeLeftovers } from './lock-folder.js'

/**
 * Write outputs into `dir` so that no reader ever sees a half-written file, and two
 * builds of the same issue never interleave:
 *
 * 1. each output is written beside its target under a temporary name
 *    (`.print.pdf.tmp-<pid>-…`);
 * 2. the folder's lock (`.masthead.lock`) is taken, so a concurrent build of the same
 *    issue waits;
 * 3. the temporary files are renamed into place, one by one (each rename is atomic), and
 *    the lock is released.
 *
 * A reader sees each file either whole from before or whole from after; while the renames
 * run (milliseconds) the folder may hold some files of this build and some of the last one,
 * never files of two builds at once. When a write fails (a full disk, a read-only folder),
 * the temporary files are removed and the previous outputs stay as they were; the error is
 * thrown with `Cannot write …` and the original as `cause`.
 *
 * @returns The absolute paths written.
 */
export async function writeOutputs(dir: string, outputs: Outputs): Promise<string[]> {
  const tag = `.tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  const staged: Array<[string, string]> = []
  let release: (() => Promise<void>) | undefined
  try {
    await mkdir(dir, { recursive: true })
    for (const [name, content] of outputs) {
      const target = path.join(dir, name)
      const temporary = path.join(path.dirname(target), `.${path.basename(target)}${tag}`)
      await mkdir(path.dirname(target), { recursive: true })
      staged.push([temporary, target])
      await writeFile(temporary, content)
    }
    release = await lockFolder(dir)
    await removeLeftovers(dir)
    for (const [temporary, target] of staged) await rename(temporary, target)
  } catch (error) {
    await Promise.all(staged.map(([temporary]) => rm(temporary, { force: true })))
    const reason = error instanceof Error ? error.message : String(error)
    throw new Error(`Cannot write the outputs to \`${dir}\`: ${reason}`, { cause: error })
  } finally {
    await release?.()
  }
  return staged.map(([, target]) => target)
}
