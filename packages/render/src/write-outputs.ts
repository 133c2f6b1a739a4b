import { mkdir, rename, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import type { Outputs } from './build-issue.js'

/**
 * Write outputs into `dir` so that no reader ever sees a half-written file: each is
 * written beside its target under a temporary name, and only when all are written are they
 * renamed into place. When a write fails, the temporary files are removed and the previous
 * outputs stay as they were.
 *
 * @returns The absolute paths written.
 */
export async function writeOutputs(dir: string, outputs: Outputs): Promise<string[]> {
  await mkdir(dir, { recursive: true })
  const tag = `.tmp-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`
  const staged: Array<[string, string]> = []
  try {
    for (const [name, content] of outputs) {
      const target = path.join(dir, name)
      const temporary = path.join(path.dirname(target), `.${path.basename(target)}${tag}`)
      await mkdir(path.dirname(target), { recursive: true })
      await writeFile(temporary, content)
      staged.push([temporary, target])
    }
  } catch (error) {
    await Promise.all(staged.map(([temporary]) => rm(temporary, { force: true })))
    throw error
  }
  for (const [temporary, target] of staged) await rename(temporary, target)
  return staged.map(([, target]) => target)
}
