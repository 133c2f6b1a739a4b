import { stat } from 'node:fs/promises'
import path from 'node:path'
import { isInside } from '@masthead/core'
import { watch } from 'chokidar'
import type { ChangeKind } from './live-build.js'

/** Options for {@link watchSources}. */
export interface WatchSourcesOptions {
  /** The issue folder: a change here rebuilds the issue. */
  issueDir: string
  /** Folders whose changes reload templates and styles first (`templates/`, `styles/`). */
  designDirs: readonly string[]
  /**
   * Milliseconds to gather the events of one save before rebuilding (default 5): an
   * editor's truncate-and-write or write-and-rename arrives within a millisecond, and a
   * write that comes later still is caught by the look again 60 ms after each batch.
   */
  settle?: number
  /**
   * Called once per settled batch.
   *
   * @param at `performance.now()` of the batch's first event.
   */
  onChange: (kind: ChangeKind, paths: string[], at: number) => void
  onError?: (error: Error) => void
}

/** A running watcher. */
export interface SourceWatcher {
  /** Resolves once the initial scan is done (changes after it are reported). */
  ready: Promise<void>
  close(): Promise<void>
}

/** Editors' backup, swap and temporary files: never a reason to rebuild. */
function isScratch(file: string): boolean {
  const name = path.basename(file)
  return (
    name.startsWith('.') ||
    name.endsWith('~') ||
    name === '4913' ||
    /\.(?:swp|swx|swo|tmp|bak|crswap)$/i.test(name) ||
    name.startsWith('#') ||
    /___jb_(?:tmp|old)___$/.test(name)
  )
}

/**
 * How deep below a watched folder changes are seen. An issue folder holds `issue.md` and
 * an `images/` folder or two; templates nest `sections/<type>/`. Deeper trees (a copied
 * photo archive) are not watched file by file.
 */
export const WATCH_DEPTH = 6

/**
 * Watch an issue folder and the design folders with chokidar, settling each save for a
 * few milliseconds (editors' atomic saves, a write then a rename, arrive as one change)
 * and classifying it: a change under a design folder wants a reload, any other the issue.
 *
 * The watcher never leaves those folders: symlinks are not followed (chokidar follows
 * them by default, and a link to `/usr` would have it watch the whole tree), anything
 * outside the folders is ignored, and it looks at most {@link WATCH_DEPTH} levels down.
 */
/** How long after a batch its files are looked at again (chokidar drops a second change within 50 ms). */
const RECHECK_MS = 60
/**
 * How many looks in a row ({@link RECHECK_MS} apart) a batch with an empty file waits for
 * the rest of its write: the file must stay empty and untouched that long (300 ms) to be
 * reported as empty, and any change to it starts the count again.
 */
const EMPTY_WAITS = 5

/** What the watcher knows of a file: `mtime:size` (or `missing`), and whether it is an empty file. */
const look = (file: string): Promise<{ signature: string; empty: boolean }> =>
  stat(file).then(
    (info) => ({ signature: `${info.mtimeMs}:${info.size}`, empty: info.isFile() && info.size === 0 }),
    () => ({ signature: 'missing', empty: false })
  )
const signature = (file: string): Promise<string> => look(file).then((found) => found.signature)

export function watchSources(options: WatchSourcesOptions): SourceWatcher {
  const settle = options.settle ?? 5
  const roots = new Set([options.issueDir, ...options.designDirs].map((dir) => path.resolve(dir)))
  function isRoot(file: string): boolean {
    return roots.has(path.resolve(file))
  }
  const outside = (file: string): boolean => ![...roots].some((root) => isInside(root, path.resolve(file)))
  const watcher = watch([...roots], {
    ignoreInitial: true,
    awaitWriteFinish: false,
    followSymlinks: false,
    depth: WATCH_DEPTH,
    ignored: (file: string) => outside(file) || (isScratch(file) && !isRoot(file))
  })

  let batch: { kind: ChangeKind; paths: Set<string>; at: number; waits?: number; looked?: string } | undefined
  /** Each file's signature when it was last reported: a late event for a save already reported is dropped. */
  const reported = new Map<string, string>()
  let timer: NodeJS.Timeout | undefined
  const rechecks = new Set<NodeJS.Timeout>()
  let closed = false
  const flush = async () => {
    timer = undefined
    const done = batch
    if (!done || closed) return
    const files = [...done.paths]
    // A save that rewrites a file in place truncates it first: an empty file is most likely
    // caught between the two, so wait for the rest of the write, looking again every 60 ms
    // until the file has stayed empty and untouched for five looks (a file really emptied).
    // Taken before the build reads the files: a write that lands after it is seen by the recheck.
    const looks = await Promise.all(files.map(look))
    if (closed) return
    const before = looks.map((found) => found.signature)
    if (looks.some((found) => found.empty)) {
      const looked = before.join('\n')
      done.waits = looked === done.looked ? (done.waits ?? 0) + 1 : 0
      done.looked = looked
      if (done.waits < EMPTY_WAITS) {
        timer = setTimeout(() => void flush(), RECHECK_MS)
        return
      }
    }
    batch = undefined
    if (files.every((file, index) => reported.get(file) === before[index])) return
    files.forEach((file, index) => reported.set(file, before[index]!))
    options.onChange(done.kind, files, done.at)
    recheck(files, before)
  }

  const kindOf = (file: string): ChangeKind => (options.designDirs.some((dir) => isInside(path.resolve(dir), file)) ? 'reload' : 'issue')
  const add = (file: string) => {
    const kind = kindOf(file)
    if (!batch) {
      batch = { kind, paths: new Set(), at: performance.now() }
      timer = setTimeout(() => void flush(), settle)
    }
    if (kind === 'reload') batch.kind = 'reload'
    batch.paths.add(file)
  }

  // chokidar drops a second `change` of a file within 50 ms of the first: a save written in
  // two steps that far apart would leave the preview on the first. Look again after that
  // window, and rebuild when a file moved on since the batch was taken.
  const recheck = (files: string[], before: string[]) => {
    const handle = setTimeout(() => {
      rechecks.delete(handle)
      void Promise.all(files.map(signature)).then((after) => {
        if (closed) return
        files.forEach((file, index) => {
          if (after[index] !== before[index]) add(file)
        })
      })
    }, RECHECK_MS)
    rechecks.add(handle)
  }

  watcher.on('all', (_event, file) => add(path.resolve(file)))
  watcher.on('error', (error) => options.onError?.(error instanceof Error ? error : new Error(String(error))))
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()))

  return {
    ready,
    async close() {
      closed = true
      if (timer) clearTimeout(timer)
      for (const handle of rechecks) clearTimeout(handle)
      batch = undefined
      await watcher.close()
    }
  }
}
