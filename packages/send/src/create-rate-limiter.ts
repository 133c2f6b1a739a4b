/**
 * A limiter that spaces starts evenly: at most `rate` per second over all callers.
 *
 * @param rate Messages per second; `undefined` or `0` for no limit.
 * @returns A function to await before each start.
 */
export function createRateLimiter(rate: number | undefined): () => Promise<void> {
  let next = 0
  return async () => {
    if (!rate || rate <= 0) return
    const now = Date.now()
    const at = Math.max(now, next)
    next = at + 1000 / rate
    if (at > now) await new Promise((resolve) => setTimeout(resolve, at - now))
  }
}
