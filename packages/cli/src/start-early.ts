import type { StartedChromium } from '@masthead/pdf/start'
import type { Io } from './io.js'

/**
 * Start Chromium before a printing command loads the rest of Masthead (about a second of
 * modules), so that it boots meanwhile; the builder adopts it, or kills it when the config
 * names another binary or other network origins. Nothing is reported here: without a
 * Chromium (or with one that cannot start) the build says so where it prints.
 */
export async function startEarly(io: Io): Promise<StartedChromium | undefined> {
  try {
    const { startChromium } = await import('@masthead/pdf/start')
    return startChromium({ env: io.env })
  } catch {
    return undefined
  }
}
