import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { SendSummary } from '../src/index.js'
import { readJournal } from '../src/index.js'
import { SECRET, testEdition } from './edition.js'
import type { Sink } from './smtp-sink.js'
import { startSink } from './smtp-sink.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const runner = path.join(here, 'send-runner.mjs')
const COUNT = 200
/**
 * How long one run of the sender may take before the test calls it stuck: a hang guard, not a
 * timing check. A run takes about a second alone; CI runs every package's tests side by side
 * on two cores, where we measured imports 18 times slower than alone.
 */
const RUN_LIMIT_MS = 90_000

let dir: string
let sink: Sink | undefined

beforeAll(() => {
  if (!existsSync(path.join(here, '../dist/index.js')))
    throw new Error('Build @masthead/send first (npm run build): the runner imports dist/')
})

afterEach(async () => {
  await sink?.close()
  sink = undefined
  if (dir) await rm(dir, { recursive: true, force: true })
})

/** One run of the sender: how it ended, what it printed, how long it took. */
type Run = { signal: string | null; code: number | null; stdout: string; stderr: string; ms: number }

/** How the sink kills the sender when the n-th message is accepted: before its reply is written, or just after. */
type KillPoint = { at: number; when: 'before-reply' | 'after-reply' }

/**
 * Send to 200 recipients from a child process, killed with SIGKILL at each point (counted in
 * messages the server accepted), resumed with `resume` after each kill, until a run ends.
 */
async function killAndResume(points: KillPoint[], concurrency: number) {
  dir = await mkdtemp(path.join(os.tmpdir(), 'masthead-sigkill-'))
  const list = path.join(dir, 'readers.csv')
  const rows = Array.from({ length: COUNT }, (_, index) => `r${String(index + 1).padStart(3, '0')}@example.org,Reader ${index + 1}`)
  await writeFile(list, ['email,name', ...rows].join('\n') + '\n')
  const pending = [...points]
  let child: ReturnType<typeof spawn> | undefined
  sink = await startSink({
    accepted: (_message, count) => {
      const point = pending[0]
      if (!point || count !== point.at) return
      pending.shift()
      const victim = child
      if (point.when === 'before-reply') victim?.kill('SIGKILL')
      else setImmediate(() => victim?.kill('SIGKILL'))
    }
  })
  const edition = testEdition()
  const journal = path.join(dir, 'journal', 'send.jsonl')
  const runs: Run[] = []
  for (let run = 0; run <= points.length + 1; run++) {
    const config = path.join(dir, `run-${run}.json`)
    await writeFile(
      config,
      JSON.stringify({
        port: sink.port,
        list,
        journal,
        secret: SECRET,
        concurrency,
        resume: run > 0,
        edition: {
          ...edition,
          attachments: edition.attachments.map((attachment) => ({ ...attachment, content: attachment.content.toString('base64') }))
        }
      })
    )
    const proc = spawn(process.execPath, [runner, config], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const startedAt = Date.now()
    let stuck = false
    const watchdog = setTimeout(() => {
      stuck = true
      proc.kill('SIGKILL')
    }, RUN_LIMIT_MS)
    const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
      proc.on('exit', (code, signal) => resolve({ code, signal }))
    )
    clearTimeout(watchdog)
    if (stuck) {
      const state = await readJournal(journal).catch(() => undefined)
      throw new Error(
        `Run ${run} of the sender did not end within ${RUN_LIMIT_MS / 1000} s: ${sink.received.length} messages accepted, ` +
          `kill points left ${JSON.stringify(pending)}, journal ${state ? `${state.records} records, ${state.last.size} recipients` : 'unreadable'}; ` +
          `stdout ${JSON.stringify(stdout.slice(-500))}, stderr ${JSON.stringify(stderr.slice(-500))}`
      )
    }
    runs.push({ ...exit, stdout, stderr, ms: Date.now() - startedAt })
    if (exit.signal === null) break
  }
  return { runs, journal, list }
}

function assertExactlyOnce(sink: Sink, runs: Run[], kills: number) {
  expect(runs.slice(0, kills).map((run) => run.signal)).toEqual(Array.from({ length: kills }, () => 'SIGKILL'))
  const last = runs.at(-1)!
  expect(last.stderr).toBe('')
  expect(last.code).toBe(0)
  expect(runs).toHaveLength(kills + 1)
  const perRecipient = new Map<string, number>()
  for (const message of sink.received) for (const to of message.to) perRecipient.set(to, (perRecipient.get(to) ?? 0) + 1)
  const twice = [...perRecipient].filter(([, count]) => count > 1)
  expect(twice).toEqual([])
  expect(perRecipient.size).toBe(COUNT)
  expect(sink.received).toHaveLength(COUNT)
  const summary = JSON.parse(last.stdout) as SendSummary
  expect(summary.failed).toEqual([])
  expect(summary.remaining).toBe(0)
  expect(summary.sent + summary.unconfirmed.length).toBe(COUNT)
  return summary
}

describe('a send killed with SIGKILL and resumed', () => {
  it(
    'delivers to each of 200 recipients exactly once (4 connections, killed at 3 points)',
    async () => {
      // Killed as the server accepts a message, before its reply: the ambiguous moment, and the
      // one a send with more connections can make deterministic.
      const points: KillPoint[] = [
        { at: 23, when: 'before-reply' },
        { at: 97, when: 'before-reply' },
        { at: 151, when: 'before-reply' }
      ]
      const { runs, journal } = await killAndResume(points, 4)
      const summary = assertExactlyOnce(sink!, runs, points.length)
      // Killed between the server's acceptance and its reply, those messages are "unconfirmed":
      // delivered (the server has them), not sent again, and listed in the summary.
      for (const entry of summary.unconfirmed) expect(sink!.received.some((message) => message.to.includes(entry.email))).toBe(true)
      const state = await readJournal(journal)
      expect(state.runs).toBe(points.length + 1)
      expect(new Set(sink!.received.map((message) => /^Message-ID:\s*(<[^>]+>)/im.exec(message.raw.toString())?.[1])).size).toBe(COUNT)
    },
    5 * RUN_LIMIT_MS
  )

  it(
    'delivers exactly once with one connection, killed before and after the server replies',
    async () => {
      const points: KillPoint[] = [
        { at: 1, when: 'before-reply' },
        { at: 60, when: 'before-reply' },
        { at: 61, when: 'after-reply' },
        { at: 199, when: 'before-reply' }
      ]
      const { runs } = await killAndResume(points, 1)
      const summary = assertExactlyOnce(sink!, runs, points.length)
      // With one connection, each "before reply" kill leaves exactly that message unconfirmed (and
      // the "after reply" one may or may not have read its reply before it died).
      const unconfirmed = summary.unconfirmed.map((entry) => entry.email)
      expect(unconfirmed).toEqual(expect.arrayContaining(['r001@example.org', 'r060@example.org', 'r199@example.org']))
      expect(unconfirmed.filter((email) => !['r001@example.org', 'r060@example.org', 'r199@example.org'].includes(email))).toEqual(
        expect.arrayContaining([])
      )
      expect(unconfirmed.length).toBeLessThanOrEqual(4)
    },
    5 * RUN_LIMIT_MS
  )
})
