/**
 * Settle with `work`, or reject with `message` after `ms` milliseconds.
 *
 * @param work The promise to wait for.
 * @param ms The time limit; `0` or `Infinity` waits forever.
 * @param message The error message on timeout.
 * @param onTimeout Called once when the limit is hit (to close a page, say).
 */
export async function withTimeout<T>(work: Promise<T>, ms: number, message: string, onTimeout?: () => void): Promise<T> {
  if (!Number.isFinite(ms) || ms <= 0) return work
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.()
      reject(new Error(message))
    }, ms)
  })
  try {
    return await Promise.race([work, limit])
  } finally {
    clearTimeout(timer)
  }
}
