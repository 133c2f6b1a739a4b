import type { SendProgress } from '@masthead/send'
import type { Io } from '../context.js'

/** `1:05`, `12:00:03`. */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000)
  const parts = [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60]
  const [hours, minutes, rest] = parts as [number, number, number]
  return (hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}` : String(minutes)) + ':' + String(rest).padStart(2, '0')
}

/** The progress line: `sent 120/200 · failed 2 · remaining 78 · ETA 0:14`. */
export function progressLine(progress: SendProgress): string {
  const parts = [`sent ${progress.sent}/${progress.total}`, `failed ${progress.failed}`]
  if (progress.unconfirmed > 0) parts.push(`unconfirmed ${progress.unconfirmed}`)
  parts.push(`remaining ${progress.remaining}`)
  if (progress.retrying > 0) parts.push(`retrying ${progress.retrying}`)
  parts.push(`ETA ${progress.etaMs === undefined ? '–' : formatDuration(progress.etaMs)}`)
  return parts.join(' · ')
}

/**
 * Reports a send's progress on stderr: on a TTY one line redrawn (at most 10 times a
 * second); elsewhere a plain line at every tenth of the list and for every failure and
 * retry, so CI logs stay short.
 */
export function createSendProgress(io: Io, quiet: boolean): { update(progress: SendProgress): void; stop(): void } {
  let drawn = 0
  let lastStep = -1
  let last: SendProgress | undefined
  return {
    update(progress) {
      last = progress
      if (quiet) return
      const event = progress.event
      if (event && event.type !== 'sent') {
        if (io.tty) io.stderr.write('\r\u001B[2K')
        io.stderr.write(`  ${event.type.padEnd(11)} ${event.email}: ${event.response}\n`)
      }
      if (io.tty) {
        const now = Date.now()
        if (now - drawn < 100 && progress.remaining > 0) return
        drawn = now
        io.stderr.write('\r\u001B[2K' + progressLine(progress))
        return
      }
      const step = Math.floor(((progress.total - progress.remaining) * 10) / Math.max(1, progress.total))
      if (step !== lastStep) {
        lastStep = step
        io.stderr.write(progressLine(progress) + '\n')
      }
    },
    stop() {
      if (io.tty && !quiet && last) io.stderr.write('\r\u001B[2K' + progressLine(last) + '\n')
    }
  }
}
