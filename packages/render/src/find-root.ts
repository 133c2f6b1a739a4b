import { existsSync } from 'node:fs'
import path from 'node:path'
import { CONFIG_FILES } from '@masthead/core'

/**
 * Find the project root: the nearest folder, from `start` upwards, that holds a
 * `masthead.config.*` file, or else both an `issues/` and a `templates/` folder.
 *
 * @returns The root, or `undefined` when `start` is not inside a Masthead project.
 */
export function findRoot(start: string): string | undefined {
  let dir = path.resolve(start)
  for (;;) {
    if (CONFIG_FILES.some((name) => existsSync(path.join(dir, name)))) return dir
    if (existsSync(path.join(dir, 'issues')) && existsSync(path.join(dir, 'templates'))) return dir
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
