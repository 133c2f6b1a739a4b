import { readdirSync, readlinkSync, rmSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** The prefix of every profile folder; the owner's pid follows it: `masthead-chromium-<pid>-XXXXXX`. */
export const PROFILE_PREFIX = 'masthead-chromium-'

const OWNED = new RegExp(`^${PROFILE_PREFIX}(\\d+)-`)

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: alive, another user's.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * The Chromium pid in a profile's `SingletonLock` (a symlink to `<host>-<pid>`), when this
 * host wrote it: a Chromium of a killed command may outlive its owner for a moment.
 */
function lockHolder(profile: string): number | undefined {
  try {
    const target = readlinkSync(path.join(profile, 'SingletonLock'))
    const dash = target.lastIndexOf('-')
    if (target.slice(0, dash) !== os.hostname()) return undefined
    const pid = Number(target.slice(dash + 1))
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

/**
 * Remove the profiles (and the `org.chromium.Chromium.*` socket folders they link to) that
 * commands killed with SIGKILL left in `dir`: those whose owner — the pid in the folder's
 * name — and whose Chromium are both gone. Profiles of running commands, and folders of
 * another form, are left alone. Best effort: what cannot be removed stays.
 *
 * @param dir The temporary folder (default `os.tmpdir()`).
 * @returns The profiles removed.
 */
export function sweepStaleProfiles(dir: string = os.tmpdir()): string[] {
  let entries: string[]
  try {
    entries = readdirSync(dir)
  } catch {
    return []
  }
  const removed: string[] = []
  for (const entry of entries) {
    const owner = OWNED.exec(entry)?.[1]
    if (owner === undefined || Number(owner) === process.pid || alive(Number(owner))) continue
    const profile = path.join(dir, entry)
    const holder = lockHolder(profile)
    if (holder !== undefined && alive(holder)) continue
    try {
      const socket = path.dirname(readlinkSync(path.join(profile, 'SingletonSocket')))
      if (path.basename(socket).startsWith('org.chromium.')) rmSync(socket, { recursive: true, force: true })
    } catch {
      // No socket folder.
    }
    try {
      rmSync(profile, { recursive: true, force: true })
      removed.push(profile)
    } catch {
      // Left for the next start.
    }
  }
  return removed
}
