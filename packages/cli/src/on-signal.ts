import type { StartedChromium } from '@masthead/pdf/start'

/** Exit code for a command stopped by a signal: 128 + the signal's number. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 }

/**
 * Run `cleanup` when the process gets SIGINT (Ctrl-C) or SIGTERM, then exit with 128 + the
 * signal's number, so that no Chromium process outlives the command. A second signal
 * exits at once.
 *
 * @returns A function that removes the handlers (call it when the work is done).
 */
export function onSignal(cleanup: () => Promise<void>, write: (text: string) => void): () => void {
  let stopping = false
  const handler = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stopping) process.exit(SIGNAL_EXIT[signal])
    stopping = true
    signalled = true
    write(`\nmasthead: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}; closing the browser…\n`)
    void cleanup()
      .catch(() => undefined)
      .finally(() => process.exit(SIGNAL_EXIT[signal]))
  }
  const onInt = () => handler('SIGINT')
  const onTerm = () => handler('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  return () => {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}

let signalled = false

/**
 * Whether a stop signal arrived: the process is closing what it opened and will exit, so a
 * command must not start anything new (a browser, above all) in the meantime.
 */
export function stopping(): boolean {
  return signalled
}

/** A promise that never settles: what a command awaits once {@link stopping}, until the exit. */
export function untilExit(): Promise<never> {
  return new Promise<never>(() => undefined)
}

/** What a command's signal handler does now; the command replaces it as it opens more. */
export interface Stop {
  cleanup: () => Promise<void>
}

/** Kill a Chromium started early (see `startEarly`) and wait until it and its profile are gone. */
export async function stopChromium(chromium: StartedChromium | undefined): Promise<void> {
  chromium?.kill()
  await chromium?.gone()
}

/** What a printing command gets from its caller: an early Chromium and the signal handler installed for it. */
export interface Stoppable {
  chromium?: StartedChromium | undefined
  stop?: Stop | undefined
}

/**
 * Run a command that may print: from its first moment a signal closes what is open by
 * then (the early Chromium, later what `run` points `stop.cleanup` at). The caller's
 * handler is used when it installed one; else the command installs its own. An early
 * Chromium the command did not adopt (a config error, no issue) is stopped at the end.
 */
export async function runStoppable(
  options: Stoppable,
  write: (text: string) => void,
  run: (stop: Stop) => Promise<number>
): Promise<number> {
  if (stopping()) return untilExit()
  const stop: Stop = options.stop ?? { cleanup: () => stopChromium(options.chromium) }
  const release = options.stop ? () => undefined : onSignal(() => stop.cleanup(), write)
  try {
    return await run(stop)
  } finally {
    release()
    // Not adopted: killed, and its profile removed once its helpers are gone. Adopted: the
    // builder closed it already, and this returns at once.
    await stopChromium(options.chromium)
  }
}
