import type { Readable, Writable } from 'node:stream'
import type { ConnectionTransport } from 'puppeteer-core'

/**
 * DevTools over Chromium's `--remote-debugging-pipe`: JSON messages ended by a NUL byte,
 * written to its file descriptor 3 and read from 4. (puppeteer has one, but internal.)
 */
export class PipeTransport implements ConnectionTransport {
  onmessage?: (message: string) => void
  onclose?: () => void
  #write: Writable
  #pending: Buffer[] = []
  #closed = false

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

  #receive(chunk: Buffer): void {
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
      setImmediate(() => this.onmessage?.(message))
      start = end + 1
      end = chunk.indexOf(0, start)
    }
    if (start < chunk.length) this.#pending.push(chunk.subarray(start))
  }
}
