import { execFile } from 'node:child_process'

/** What Ghostscript said. */
export interface GhostscriptOutput {
  stdout: string
  stderr: string
}

/**
 * The Ghostscript binary: `MASTHEAD_GHOSTSCRIPT` when set, else `gs` on the `PATH`
 * (Debian's package `ghostscript`, which `scripts/install-system-deps.sh` installs).
 *
 * @param env The environment to read `MASTHEAD_GHOSTSCRIPT` from.
 */
export const ghostscriptBinary = (env: Readonly<Record<string, string | undefined>> = process.env): string =>
  env.MASTHEAD_GHOSTSCRIPT || 'gs'

/**
 * Run Ghostscript with `args`, without a shell.
 *
 * @param args Its arguments.
 * @param options The binary and a timeout in milliseconds.
 * @throws {Error} When it cannot be started, times out or exits non-zero; the message
 *   says which, with the last lines Ghostscript printed.
 */
export function runGhostscript(args: readonly string[], options: { binary: string; timeout: number }): Promise<GhostscriptOutput> {
  return new Promise((resolve, reject) => {
    execFile(
      options.binary,
      [...args],
      { timeout: options.timeout, maxBuffer: 16 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ stdout, stderr })
          return
        }
        const code = (error as NodeJS.ErrnoException).code
        const said = `${stderr}\n${stdout}`.trim().split('\n').slice(-6).join('\n')
        if (code === 'ENOENT') {
          reject(
            new Error(
              `Cannot run Ghostscript \`${options.binary}\`: not found, expected Debian's \`ghostscript\` package (\`npm run setup\` installs it) or MASTHEAD_GHOSTSCRIPT naming the binary`,
              { cause: error }
            )
          )
        } else if (error.killed) {
          reject(new Error(`Unexpected Ghostscript run over ${options.timeout} ms, stopped`, { cause: error }))
        } else {
          reject(new Error(`Unexpected Ghostscript failure (exit ${String(code)})${said ? `: ${said}` : ''}`, { cause: error }))
        }
      }
    )
  })
}
