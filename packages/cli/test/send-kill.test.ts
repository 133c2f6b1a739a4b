import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, expect, it } from 'vitest'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '../../..')
const bin = path.join(here, '../bin/masthead.js')
const ISSUE = '2025-06-harbour-notes'
const COUNT = 200
let project: string

beforeAll(async () => {
  if (!existsSync(path.join(here, '../dist/main.js')))
    throw new Error('Build @masthead/cli first (npm run build): this test runs bin/masthead.js')
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-send-kill-'))
  for (const folder of ['templates', 'styles', `issues/${ISSUE}`])
    await cp(path.join(root, folder), path.join(project, folder), { recursive: true })
  const rows = Array.from({ length: COUNT }, (_, index) => `reader${index + 1}@example.org,Reader ${index + 1}`)
  await writeFile(path.join(project, 'readers.csv'), ['email,name', ...rows].join('\n') + '\n')
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

it('`masthead send` killed with SIGKILL twice mid-send and resumed reaches all 200 readers exactly once', async () => {
  const kills = [40, 130]
  const received: string[] = []
  let child: ReturnType<typeof spawn> | undefined
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onData(stream, session, callback) {
      stream.on('error', () => undefined)
      stream.resume()
      stream.on('end', () => {
        received.push(session.envelope.rcptTo[0]!.address)
        // Kill the sender the moment the server has accepted the message, before it replies.
        if (received.length === kills[0]) {
          kills.shift()
          child?.kill('SIGKILL')
        }
        callback(null, 'Ok: queued')
      })
    }
  })
  server.on('error', () => undefined) // the killed sender's connections reset
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  try {
    await writeFile(
      path.join(project, 'masthead.config.json'),
      JSON.stringify({
        send: {
          smtp: { host: '127.0.0.1', port: (server.server.address() as AddressInfo).port, tls: 'none' },
          sender: { name: 'Harbour Notes', address: 'notes@example.org' },
          unsubscribeUrl: 'https://example.org/unsubscribe?u={{ email }}&t={{ token }}',
          concurrency: 4
        }
      })
    )
    const env = {
      ...process.env,
      MASTHEAD_UNSUBSCRIBE_SECRET: 'kill-test-secret-0123456789',
      MASTHEAD_SMTP_USER: '',
      MASTHEAD_SMTP_PASS: ''
    }
    const runs: { code: number | null; signal: string | null; out: string }[] = []
    for (let run = 0; run < 4; run++) {
      const args = [bin, 'send', ISSUE, '--to', 'readers.csv', ...(run > 0 ? ['--resume'] : [])]
      const proc = spawn(process.execPath, args, { cwd: project, env, stdio: ['ignore', 'pipe', 'pipe'] })
      child = proc
      let out = ''
      proc.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
      proc.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
      const exit = await new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        proc.on('exit', (code, signal) => resolve({ code, signal }))
      )
      runs.push({ ...exit, out })
      if (exit.signal === null) break
    }
    expect(runs.map((run) => run.signal)).toEqual(['SIGKILL', 'SIGKILL', null])
    const last = runs.at(-1)!
    const counts = new Map<string, number>()
    for (const address of received) counts.set(address, (counts.get(address) ?? 0) + 1)
    expect([...counts].filter(([, count]) => count !== 1)).toEqual([])
    expect(counts.size).toBe(COUNT)
    // The message accepted at the moment of each kill is "unconfirmed" (it was delivered, and
    // is not sent again); every other one is "sent".
    expect(last.code, last.out).toBe(1)
    expect(last.out).toMatch(/^Done: 198 of 200 sent \(\d+ in this run\), 0 failed, 2 unconfirmed, 0 skipped, 0 remaining$/m)
    for (const address of [received[39], received[129]]) expect(last.out).toContain(`unconfirmed  ${address} (line `)
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  }
}, 120_000)
