import { describe, expect, it } from 'vitest'
import type { SendProgress } from '@masthead/send'
import { createSendProgress, formatDuration, progressLine } from '../src/commands/send-progress.js'
import { captureIo as io } from './capture-io.js'

const at = (sent: number, extra: Partial<SendProgress> = {}): SendProgress => ({
  total: 200,
  sent,
  failed: 0,
  unconfirmed: 0,
  remaining: 200 - sent,
  retrying: 0,
  elapsedMs: sent * 100,
  etaMs: sent ? (200 - sent) * 100 : undefined,
  ...extra
})

describe('send progress', () => {
  it('shows sent, failed, remaining and the ETA', () => {
    expect(progressLine(at(0))).toBe('sent 0/200 · failed 0 · remaining 200 · ETA –')
    expect(progressLine(at(120, { failed: 2, remaining: 78, retrying: 1, etaMs: 14_000 }))).toBe(
      'sent 120/200 · failed 2 · remaining 78 · retrying 1 · ETA 0:14'
    )
    expect(formatDuration(3_725_000)).toBe('1:02:05')
  })

  it('prints a plain line per tenth of the list and per failure when not on a terminal', () => {
    const { io: plain, text } = io(false)
    const progress = createSendProgress(plain, false)
    for (let sent = 0; sent <= 200; sent++) progress.update(at(sent))
    progress.update(at(200, { failed: 1, remaining: 0, event: { type: 'failed', email: 'x@example.org', response: '550 No such user' } }))
    progress.stop()
    const lines = text().trim().split('\n')
    expect(lines.filter((line) => line.startsWith('sent '))).toHaveLength(11)
    expect(lines).toContain('  failed      x@example.org: 550 No such user')
    expect(text()).not.toContain('\u001B')
  })

  it('redraws one line on a terminal', () => {
    const { io: tty, text } = io(true)
    const progress = createSendProgress(tty, false)
    progress.update(at(1))
    progress.update(at(2))
    progress.update(at(200))
    progress.stop()
    expect(text()).toContain('\r\u001B[2Ksent 200/200 · failed 0 · remaining 0')
    expect(text().split('\n')).toHaveLength(2)
  })
})
