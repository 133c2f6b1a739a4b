import { PassThrough } from 'node:stream'
import type { Io } from '../src/index.js'
import { main } from '../src/index.js'

/** What one in-process `masthead …` printed, and its exit code. */
export interface MainRun {
  code: number
  out: string
  err: string
}

/**
 * Run `masthead …` in-process (the real command line, as `bin/masthead.js` calls it) in a
 * project folder, capturing what it prints; not a terminal.
 *
 * @param env The environment the command sees (default: this process's).
 */
export async function runMain(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<MainRun> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const io: Io = { stdout, stderr, cwd, env, tty: false }
  const code = await main([...args], io)
  return { code, out, err }
}
