// What every command needs before it loads anything heavy: exit codes, usage errors, the terminal.

/** Exit codes: ok, errors in the sources, bad usage. */
export const EXIT = { ok: 0, errors: 1, usage: 2 } as const

/** A problem with how the command was called: printed, and exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError'
}

/** How the CLI talks to its terminal. */
export interface Io {
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream
  cwd: string
  env: NodeJS.ProcessEnv
  /** Colours and progress redraws only on a TTY. */
  tty: boolean
}

/** The default Io: the process's own streams. */
export function processIo(): Io {
  const tty = Boolean(process.stderr.isTTY) && !('NO_COLOR' in process.env)
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    cwd: process.cwd(),
    env: process.env,
    tty: tty || process.env.FORCE_COLOR === '1'
  }
}
