import type { Readable, Writable } from 'node:stream'
import type { ConnectionTransport } from 'puppeteer-core'

/**
 * DevTools over Chromium's `--remote-debugging-pipe`: JSON messages ended by a NUL byte,
 * written to its file descriptor 3 and read from 4. (puppeteer has one, but internal.)
 */
export class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void
  onclose?: () => void
  /**
   * Called once when Chromium writes something that is not a DevTools message (puppeteer
   * cannot parse it): the connection is broken then, and closes. (puppeteer would throw it
   * from a callback of its own, out of every caller's reach, and end the process.)
   */
  ongarbage?: (sample: string) => void
  #write: Writable
  #pending: Buffer[] = []
  #closed = false
  #broken = false

  constructor(write: Writable, read: Readable) {
    this.#write = write
    read.on('data', (chunk: Buffer) => this.#receive(chunk))
    read.on('close', () => {
      this.#closed = true
      this.onclose?.()
    })
    // A dead Chromium shows as `close`; errors on the way there are not news.
    read.on('error', () => undefined)
    write.on('error', () => undefined)
  }

  send(message: string): void {
    if (this.#closed) return
    // One write (one system call) a message, its NUL included.
    this.#write.write(message + '\0')
  }

  close(): void {
    this.#closed = true
  }

  /**
   * Hand one message to puppeteer, which parses it (asynchronously: a parse error would be
   * an unhandled rejection that ends the process). A message it cannot read closes the
   * connection instead, so the print fails, and is tried again, like any broken browser.
   */
  #deliver(message: string): void {
    if (this.#broken) return
    const broken = (): void => this.#garbage(message)
    try {
      const result: unknown = (this.onmessage as ((message: string) => unknown) | undefined)?.(message)
      if (result instanceof Promise) result.catch(broken)
    } catch {
      broken()
    }
  }

  #garbage(message: string): void {
    if (this.#broken) return
    this.#broken = true
    this.#closed = true
    this.#pending = []
    const sample = message.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)
    this.ongarbage?.(sample)
    this.onclose?.()
  }

  #receive(chunk: Buffer): void {
    if (this.#broken) return
    let end = chunk.indexOf(0)
    if (end === -1) {
      this.#pending.push(chunk)
      return
    }
    let start = 0
    while (end !== -1) {
      const head = this.#pending.length > 0 ? Buffer.concat([...this.#pending, chunk.subarray(start, end)]) : chunk.subarray(start, end)
      this.#pending = []
      const message = head.toString('utf8')
      // Deliver after the current tick, as puppeteer's own transports do.
      setImmediate(() => this.#deliver(message))
      start = end + 1
      end = chunk.indexOf(0, start)
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start))
  }
}
