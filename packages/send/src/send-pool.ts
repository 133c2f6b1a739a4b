import PQueue from 'p-queue'
import { createRateLimiter } from './create-rate-limiter.js'
import type { Deliver } from './deliver-message.js'
import type { SmtpError, SmtpOptions, SmtpSession } from './open-smtp.js'
import { openSmtp } from './open-smtp.js'
import type { Job } from './send-plan.js'

/** Options for {@link createSendPool}. */
export interface SendPoolOptions {
  smtp: SmtpOptions
  /** Connections, and messages in flight. */
  concurrency: number
  /** Messages per second over all connections (`undefined`: no limit). */
  rate: number | undefined
  /** Milliseconds between tries to connect grow from this (at most 5 s). */
  retryDelay: number
}

/** Runs jobs over a few SMTP connections; see {@link createSendPool}. */
export interface SendPool {
  /** Deliver every job, and every retry, until none is left or the pool is stopped. */
  run(jobs: readonly Job[], deliver: Deliver): Promise<void>
  /** Put a job back after `delay` milliseconds. */
  retryLater(job: Job, delay: number): void
  /** Take no new job (the ones in flight finish); retries waiting are dropped. */
  stop(): void
  /** Jobs waiting for a retry. */
  readonly retrying: number
  /** What stopped the pool, when an error did (a refused login, a failure that is not SMTP's). */
  readonly fatal: Error | undefined
}

/**
 * A pool of SMTP connections fed by a p-queue: at most `concurrency` jobs run at once,
 * each on an idle connection or a new one; a connection that failed an attempt is closed
 * and replaced. Jobs start no faster than `rate` a second.
 */
export function createSendPool(options: SendPoolOptions): SendPool {
  const queue = new PQueue({ concurrency: 1 })
  const idle: SmtpSession[] = []
  const limit = createRateLimiter(options.rate)
  const connections = { connected: 0, opening: 0 }
  let stopping = false
  let fatal: Error | undefined
  let wake = () => {}
  let deliver: Deliver | undefined

  const close = (session: SmtpSession) => {
    session.close()
    connections.connected--
  }
  const retries = createRetries((job) => {
    add(job)
    wake()
  })
  const stop = () => {
    stopping = true
    queue.clear()
    retries.clear()
    wake()
  }
  const fail = (error: Error) => {
    fatal ??= error
    stop()
  }
  const add = (job: Job, first = false) => void queue.add(() => attempt(job), { priority: first ? 1 : 0 })

  const attempt = async (job: Job): Promise<void> => {
    if (stopping) return
    let session = idle.pop()
    try {
      session ??= await openWithRetry(options, connections, () => stopping)
      if (!session) {
        // The server takes fewer connections than asked: go on with the ones there are.
        queue.concurrency = Math.max(1, queue.concurrency - 1)
        return add(job, true)
      }
      await limit()
      if (stopping) return close(session)
      const result = await deliver!(session, job)
      if (result.keep) idle.push(session)
      else close(session)
      if (result.fatal) fail(result.fatal)
    } catch (error) {
      // Could not connect or log in, or could not write the journal: nothing was sent for this job.
      if (session) close(session)
      fail(error as Error)
    }
  }

  return {
    async run(jobs, run) {
      deliver = run
      queue.concurrency = Math.max(1, Math.min(options.concurrency, jobs.length || 1))
      for (const job of jobs) add(job)
      while (!stopping && (retries.waiting > 0 || queue.size > 0 || queue.pending > 0)) {
        if (queue.size > 0 || queue.pending > 0) await queue.onIdle()
        else await new Promise<void>((resolve) => (wake = resolve))
      }
      await queue.onIdle()
      for (const session of idle.splice(0)) close(session)
    },
    retryLater: retries.later,
    stop,
    get retrying() {
      return retries.waiting
    },
    get fatal() {
      return fatal
    }
  }
}

/** Jobs put back after a delay, as their next attempt; `clear` drops those waiting. */
function createRetries(put: (job: Job) => void) {
  const timers = new Set<NodeJS.Timeout>()
  return {
    get waiting() {
      return timers.size
    },
    later(job: Job, delay: number) {
      const timer = setTimeout(() => {
        timers.delete(timer)
        put({ recipient: job.recipient, attempt: job.attempt + 1 })
      }, delay)
      timers.add(timer)
    },
    clear() {
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
    }
  }
}

/**
 * Open a connection, trying again on temporary trouble (refused, timed out, a 4xx
 * greeting such as "421 too many connections").
 *
 * @returns `undefined` when it cannot but other connections are open or opening.
 * @throws The error when no other connection is there, and a refused login at once.
 */
async function openWithRetry(
  options: SendPoolOptions,
  connections: { connected: number; opening: number },
  stopping: () => boolean
): Promise<SmtpSession | undefined> {
  connections.opening++
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const session = await openSmtp(options.smtp)
        connections.connected++
        return session
      } catch (caught) {
        const error = caught as SmtpError
        const temporary = error.code !== 'EAUTH' && (error.responseCode === undefined || error.responseCode < 500)
        if (temporary && attempt < 3 && !stopping()) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(options.retryDelay, 5_000) * attempt))
          continue
        }
        if (temporary && (connections.connected > 0 || connections.opening > 1)) return undefined
        throw error
      }
    }
  } finally {
    connections.opening--
  }
}
