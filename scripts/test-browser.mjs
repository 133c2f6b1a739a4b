// The headless Chromium that browser tests look at pages with: the system Chromium
// (MASTHEAD_CHROMIUM or CHROMIUM_PATH, else Debian's /usr/bin/chromium), in a profile of
// its own under a temporary folder that closing removes. Fonts come from the test
// fontconfig every vitest config sets (vitest-shared.mjs), not from the machine.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import puppeteer from 'puppeteer-core'

export const TEST_CHROMIUM = process.env['MASTHEAD_CHROMIUM'] ?? process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium'

/** Switches for a quiet, offline test browser. */
export const TEST_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

/**
 * Launch the test browser.
 *
 * @param prefix Start of the temporary folder's name (`masthead-email-shots-`).
 * @returns The browser, the folder (for a test's own files too), and `close`, which closes
 *   the browser and removes the folder.
 */
export async function launchTestBrowser(prefix) {
  const dir = await mkdtemp(path.join(tmpdir(), prefix))
  const browser = await puppeteer.launch({
    executablePath: TEST_CHROMIUM,
    userDataDir: path.join(dir, 'profile'),
    args: TEST_CHROMIUM_ARGS
  })
  return {
    browser,
    dir,
    close: async () => {
      await browser.close()
      await rm(dir, { recursive: true, force: true })
    }
  }
}
