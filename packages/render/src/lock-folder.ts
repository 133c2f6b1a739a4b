import { link, open, readdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'

/** The lock file's name inside the folder it guards. */
export const LOCK_NAME = '.masthead.lock'

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * What a lock file holds: its first 64 bytes as text, `undefined` when it is gone, or the
 * error that stopped reading it.
 */
async function readLock(lock: string): Promise<string | undefined | NodeJS.ErrnoException> {
  try {
    const handle = await open(lock, 'r')
    try {
      const buffer = Buffer.alloc(64)
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0)
      return buffer.subarray(0, bytesRead).toString('utf8')
    } finally {
      await handle.close()
    }
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : (error as NodeJS.ErrnoException)
  }
}

/**
 * Take the lock of an output folder: `<dir>/.masthead.lock`, made with `link()` (atomic
 * on every local file system) from a file holding our pid. A lock whose process is gone
 * (a build killed with SIGKILL) is removed and taken. So is a lock that does not hold a
 * process id (empty, or garbage): a build links its lock whole, pid written first, so such
 * a file is no build's lock; `onForeign` hears what it held. Waits up to `timeout` ms for
 * a live holder, polling.
 *
 * @param dir The folder to lock.
 * @param timeout How long to wait for a live holder, in milliseconds.
 * @param onForeign Called with the start of a lock file that held no process id, before it is replaced.
 * @returns A function that releases the lock.
 */
export async function lockFolder(dir: string, timeout = 30_000, onForeign?: (held: string) => void): Promise<() => Promise<void>> {
  const lock = path.join(dir, LOCK_NAME)
  const mine = `${lock}.${process.pid}-${Math.random().toString(36).slice(2, 8)}`
  await writeFile(mine, String(process.pid))
  const started = performance.now()
  try {
    for (;;) {
      try {
        await link(mine, lock)
        return () => rm(lock, { force: true })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      }
      const held = await readLock(lock)
      if (held === undefined) continue
      if (held instanceof Error) {
        throw new Error(
          `Cannot read the lock \`${lock}\` (${held.code ?? held.message}), expected a file holding the process id of a build; delete it if no build is running`
        )
      }
      const holder = /^\s*(\d{1,10})\s*$/.exec(held)?.[1]
      if (holder === undefined) {
        onForeign?.(held)
        await rm(lock, { force: true })
        continue
      }
      if (!alive(Number(holder))) {
        await rm(lock, { force: true })
        continue
      }
      if (performance.now() - started > timeout) {
        throw new Error(
          `Another build (pid ${holder}) has held \`${lock}\` for more than ${timeout} ms; delete that file if no build is running`
        )
      }
      await sleep(20)
    }
  } finally {
    await rm(mine, { force: true })
  }
}

/**
 * Remove what builds killed mid-write left in `dir`: temporary outputs
 * (`.name.tmp-<pid>-…`) and lock candidates (`.masthead.lock.<pid>-…`) of processes that
 * are gone. Call it holding the lock.
 */
export async function removeLeftovers(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[])
  await Promise.all(
    names.map((name) => {
      const pid =
        /^\..+\.tmp-(\d+)-[a-z0-9]+-[a-z0-9]+$/.exec(name)?.[1] ??
        new RegExp(`^${LOCK_NAME.replaceAll('.', '\\.')}\\.(\\d+)-[a-z0-9]+$`).exec(name)?.[1]
      return pid !== undefined && Number(pid) !== process.pid && !alive(Number(pid)) ? rm(path.join(dir, name), { force: true }) : undefined
    })
  )
}
