import { existsSync } from 'node:fs'

/** Environment variables that name a Chromium binary, in the order they are read. */
export const chromiumVariables = ['MASTHEAD_CHROMIUM', 'CHROMIUM_PATH', 'PUPPETEER_EXECUTABLE_PATH'] as const

/** Where Chromium or Chrome usually lives, tried after the variables. */
export const chromiumPaths: readonly string[] = [
  '/usr/bin/chromium',
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/google-chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome'
]

/** Options for {@link findChromium}, mostly for tests. */
export interface FindChromiumOptions {
  /** Whether a path exists (default: `fs.existsSync`). */
  exists?: (path: string) => boolean
  /** Paths to try after the variables (default: {@link chromiumPaths}). */
  paths?: readonly string[]
}

/**
 * Find a Chromium binary: `MASTHEAD_CHROMIUM`, then `CHROMIUM_PATH`, then
 * `PUPPETEER_EXECUTABLE_PATH`, then the usual install paths.
 *
 * @param env The environment to read (default: `process.env`).
 * @param options Inject `exists` and `paths` in tests.
 * @returns The absolute path of the first binary that exists.
 * @throws Error that says what to install, or which variable points nowhere.
 */
export function findChromium(env: Readonly<Record<string, string | undefined>> = process.env, options: FindChromiumOptions = {}): string {
  const exists = options.exists ?? existsSync
  for (const name of chromiumVariables) {
    const value = env[name]
    if (value === undefined || value === '') continue
    if (exists(value)) return value
    throw new Error(
      `Unexpected \`${name}=${value}\`: no file there, expected the path of a Chromium or Chrome binary. ` +
        `Fix the variable or unset it to use an installed Chromium.`
    )
  }
  const paths = options.paths ?? chromiumPaths
  const found = paths.find((path) => exists(path))
  if (found !== undefined) return found
  throw new Error(
    'Cannot find Chromium, which Masthead needs to print PDFs. ' +
      'Install it: `sudo apt-get install -y chromium` on Debian/Ubuntu ' +
      '(or `brew install --cask chromium` on macOS), ' +
      `or set \`MASTHEAD_CHROMIUM\` (also read: \`CHROMIUM_PATH\`, \`PUPPETEER_EXECUTABLE_PATH\`) to a Chromium or Chrome binary. ` +
      `Looked in: ${paths.join(', ')}.`
  )
}
