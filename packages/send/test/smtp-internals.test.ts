import { Socket } from 'node:net'
import { Readable, Transform } from 'node:stream'
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectionSocket, SmtpInternalsError, unsentBytes } from '../src/smtp-internals.js'
import type { Sink } from './smtp-sink.js'
import { startSink } from './smtp-sink.js'

// Fails when a nodemailer upgrade renames or reshapes the two private fields open-smtp.ts
// relies on (through smtp-internals.ts): then pin the old version, or adapt the adapter.
describe('nodemailer SMTPConnection internals', () => {
  let sink: Sink
  beforeAll(async () => {
    sink = await startSink()
  })
  afterAll(async () => {
    await sink.close()
  })

  it('has the socket and, during DATA only, the data stream that smtp-internals.ts reads', async () => {
    const connection = new SMTPConnection({ host: '127.0.0.1', port: sink.port, ignoreTLS: true })
    connection.on('error', () => {})
    await new Promise<void>((resolve, reject) => connection.connect((error?: Error | null) => (error ? reject(error) : resolve())))
    try {
      expect(connectionSocket(connection)).toBeInstanceOf(Socket)
      const fields = connection as unknown as { _currentDataStream: unknown }
      expect(fields._currentDataStream).toBe(false)
      expect(unsentBytes(connection)).toBeGreaterThanOrEqual(0)
      let during: unknown
      let counted: number | undefined
      let pushed = false
      const body = new Readable({
        read() {
          if (pushed) {
            during = fields._currentDataStream
            counted = unsentBytes(connection)
            return void this.push(null)
          }
          pushed = true
          this.push(Buffer.from('Subject: internals\r\n\r\nHello.\r\n'))
        }
      })
      await new Promise<void>((resolve, reject) =>
        connection.send({ from: 'a@example.org', to: ['b@example.org'] }, body, (error) => (error ? reject(error) : resolve()))
      )
      expect(during).toBeInstanceOf(Transform)
      expect(counted).toBeGreaterThanOrEqual(0)
      expect(fields._currentDataStream).toBe(false)
      expect(sink.received.at(-1)?.to).toEqual(['b@example.org'])
    } finally {
      connection.close()
    }
  })

  it('refuses a connection whose fields have another shape, instead of reading 0', () => {
    const renamed = { socket: new Socket(), currentDataStream: false } as unknown as SMTPConnection
    expect(() => connectionSocket(renamed)).toThrow(SmtpInternalsError)
    const noStream = { _socket: new Socket() } as unknown as SMTPConnection
    expect(() => unsentBytes(noStream)).toThrow(/`_currentDataStream` is neither `false` nor a stream/)
  })
})
