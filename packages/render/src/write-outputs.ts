import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Outputs } from './build-issue.js'
import { LOCK_NAME, lockFolder, removeLeftovers } from './lock-folder.js'

/** Options for {@link writeOutputs}. */
export interface WriteOptions {
  /** Told, in a sentence, about something fixed on the way (a foreign lock file replaced). */
  onNotice?: (reason: string) => void
}

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
 * A lock file that holds no process id (garbage, or empty after a crash) is replaced, and
 * `options.onNotice` hears about it.
 *
 * @param dir The output folder, `dist/<issue>/`.
 * @param outputs File names (relative to `dir`) and their contents.
 * @param options `onNotice`: told, in a sentence, about a lock file that was replaced.
 * @returns The absolute paths written.
 */
export async function writeOutputs(dir: string, outputs: Outputs, options: WriteOptions = {}): Promise<string[]> {
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
    release = await lockFolder(dir, undefined, (held) =>
      options.onNotice?.(
        `Unexpected \`${LOCK_NAME}\` holding ${held.trim() === '' ? 'nothing' : JSON.stringify(held.length < 64 ? held : held + '…')}, expected the process id of a running build; it was no build's lock (a crash or another program left it) and was replaced`
      )
    )
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
