import { PassThrough } from 'node:stream'
import type { Io } from '../src/index.js'

/** An Io whose stderr is kept: `text()` is everything written to it so far. */
export function captureIo(tty: boolean): { io: Io; text: () => string } {
  const stderr = new PassThrough()
  let text = ''
  stderr.on('data', (chunk: Buffer) => (text += chunk.toString()))
  const value: Io = { stdout: new PassThrough(), stderr, cwd: '/', env: {}, tty }
  return { io: value, text: () => text }
}
