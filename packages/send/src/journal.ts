import { existsSync, writeSync } from 'node:fs'
import { mkdir, open, readFile } from 'node:fs/promises'
import type { FileHandle } from 'node:fs/promises'
import path from 'node:path'

/**
 * A record of the journal, one JSON object per line. Per recipient (`to`, the lowercased
 * address) the last record says where its message stands:
 *
 * - `sending` — about to open the SMTP transaction (nothing the server could accept yet);
 * - `committing` — the whole message is written up to, not including, the final `.`:
 *   from here the server may accept it at any moment;
 * - `sent` — the server answered 2xx to the message;
 * - `deferred` — a 4xx (or a dropped connection before `committing`): tried again later;
 * - `failed` — a 5xx, or a 4xx past the last attempt: not tried again;
 * - `unconfirmed` — the connection dropped after `committing`, before the answer.
 */
export type JournalRecord =
  | { type: 'run'; at: string; campaign: string; issue: string; list: string; recipients: number; pid: number; resumed: boolean }
  | { type: 'sending'; at: string; to: string; attempt: number; messageId: string }
  | { type: 'committing'; at: string; to: string; attempt: number }
  | { type: 'sent'; at: string; to: string; attempt: number; messageId: string; response: string }
  | { type: 'deferred'; at: string; to: string; attempt: number; code?: number; response: string; retryInMs: number }
  | { type: 'failed'; at: string; to: string; attempt: number; code?: number; response: string }
  | { type: 'unconfirmed'; at: string; to: string; attempt: number; response: string }
  | { type: 'end'; at: string; sent: number; failed: number; unconfirmed: number; remaining: number; interrupted: boolean }

/** A record's state for one recipient. */
export type RecipientRecord = Extract<JournalRecord, { to: string }>

/** The journal read back. */
export interface JournalState {
  /** The send's id, from its first `run` record. */
  campaign: string | undefined
  /** The last record per recipient. */
  last: Map<string, RecipientRecord>
  /** How many runs (the first and each resume) the journal holds. */
  runs: number
  records: number
  /** Lines that were not JSON: at most the last one, cut by a crash mid-write. */
  torn: number
}

/** Appends records durably: each `append` resolves once its line is on disk (fdatasync). */
export interface Journal {
  readonly path: string
  append(record: JournalRecord): Promise<void>
  /**
   * Write a record at once, synchronously (one `write(2)`, in the page cache when this
   * returns, so it survives the process being killed); the flush to disk follows. For the
   * `committing` record, which must precede the message's final `.` with nothing between.
   */
  appendNow(record: JournalRecord): void
  /** Resolves once everything written so far is on disk. */
  sync(): Promise<void>
  close(): Promise<void>
}

/**
 * Read a journal. A last line cut short by a crash is counted in `torn` and ignored: its
 * record never resolved, so nothing was done on its strength.
 *
 * @param file The journal's path; a missing file reads as empty.
 */
export async function readJournal(file: string): Promise<JournalState> {
  const state: JournalState = { campaign: undefined, last: new Map(), runs: 0, records: 0, torn: 0 }
  if (!existsSync(file)) return state
  const lines = (await readFile(file, 'utf8')).split('\n')
  lines.forEach((line, index) => {
    if (line.trim() === '') return
    let record: JournalRecord
    try {
      record = JSON.parse(line) as JournalRecord
    } catch (error) {
      // A crash cuts at most the last line of a run: the file's last, or one followed by the next run's start.
      const next = lines.slice(index + 1).find((entry) => entry.trim() !== '')
      if (next === undefined || next.startsWith('{"type":"run"')) {
        state.torn++
        return
      }
      throw new Error(`Cannot read the journal ${file}: line ${index + 1} is not JSON`, { cause: error })
    }
    state.records++
    if (record.type === 'run') {
      state.runs++
      state.campaign ??= record.campaign
    } else if ('to' in record) {
      state.last.set(record.to, record)
    }
  })
  return state
}

/**
 * Open a journal for appending (creating it and its folder). Appends are written in order
 * and batched: every record waiting when a write starts goes out in that write and one
 * fdatasync (group commit), so concurrent sends do not wait for one disk flush each.
 *
 * @param file The journal's path.
 */
export async function openJournal(file: string): Promise<Journal> {
  const dir = path.dirname(file)
  await mkdir(dir, { recursive: true })
  const created = !existsSync(file)
  const handle = await open(file, 'a+')
  // A crash can leave the last line without its newline: start on a fresh line.
  const { size } = await handle.stat()
  if (size > 0) {
    const last = Buffer.alloc(1)
    await handle.read(last, 0, 1, size - 1)
    if (last[0] !== 0x0a) await handle.appendFile('\n')
  }
  await handle.datasync()
  if (created) await syncDir(dir)
  let waiting: { line: string; resolve: () => void; reject: (error: unknown) => void }[] = []
  let flushing: Promise<void> | undefined
  const flush = async (handle: FileHandle) => {
    while (waiting.length > 0) {
      const batch = waiting
      waiting = []
      try {
        const lines = batch.map((entry) => entry.line).join('')
        if (lines !== '') await handle.appendFile(lines)
        await handle.datasync()
        for (const entry of batch) entry.resolve()
      } catch (error) {
        for (const entry of batch) entry.reject(error)
      }
    }
    flushing = undefined
  }
  const enqueue = (line: string) =>
    new Promise<void>((resolve, reject) => {
      waiting.push({ line, resolve, reject })
      flushing ??= flush(handle)
    })
  return {
    path: file,
    append: (record) => enqueue(JSON.stringify(record) + '\n'),
    appendNow(record) {
      writeSync(handle.fd, JSON.stringify(record) + '\n')
      enqueue('').catch(() => undefined)
    },
    sync: () => enqueue(''),
    async close() {
      await flushing
      await handle.close()
    }
  }
}

/** Make a new file's directory entry durable too (POSIX; a no-op where directories cannot be opened). */
async function syncDir(dir: string) {
  try {
    const handle = await open(dir, 'r')
    try {
      await handle.sync()
    } finally {
      await handle.close()
    }
  } catch {
    // Windows cannot fsync a directory.
  }
}
