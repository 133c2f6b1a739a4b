import type { AddressInfo } from 'node:net'
import type { ParsedMail } from 'mailparser'
import { simpleParser } from 'mailparser'
import type { SMTPServerDataStream, SMTPServerSession } from 'smtp-server'
import { SMTPServer } from 'smtp-server'

/** A message the sink accepted. */
export interface Received {
  /** RCPT TO addresses, lowercased. */
  to: string[]
  from: string
  raw: Buffer
}

/** What the sink answers; `undefined` accepts. */
export interface SinkRules {
  /** Per RCPT TO: a reply code and text to refuse with, counted per address in `rcpt`. */
  rcpt?: (address: string, attempt: number) => { code: number; message: string } | undefined
  /** After the data (before replying): a refusal, or `undefined` to accept. */
  data?: (to: string[], attempt: number) => { code: number; message: string } | undefined
  /** Answer every login with 535. */
  refuseLogin?: boolean
  /** Refuse connections past this many with 421. */
  maxClients?: number
  /** Called when a message is accepted, before the reply is written (a test may kill the sender here). */
  accepted?: (message: Received, count: number) => void
}

/** A real SMTP server (the smtp-server package) on 127.0.0.1, keeping every accepted message. */
export interface Sink {
  port: number
  received: Received[]
  /** RCPT TO attempts per address. */
  rcpt: Map<string, number>
  /** DATA attempts per recipient. */
  data: Map<string, number>
  parse(message: Received): Promise<ParsedMail>
  close(): Promise<void>
}

/**
 * Start a sink on an ephemeral loopback port (no TLS, any or no login).
 *
 * @param rules How to answer.
 */
export async function startSink(rules: SinkRules = {}): Promise<Sink> {
  const received: Received[] = []
  const rcpt = new Map<string, number>()
  const data = new Map<string, number>()
  const refuse = (reply: { code: number; message: string }) => Object.assign(new Error(reply.message), { responseCode: reply.code })
  const server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    ...(rules.maxClients ? { maxClients: rules.maxClients } : {}),
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth(auth, _session, callback) {
      if (rules.refuseLogin) return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }))
      callback(null, { user: auth.username })
    },
    onRcptTo(address, _session, callback) {
      const key = address.address.toLowerCase()
      const attempt = (rcpt.get(key) ?? 0) + 1
      rcpt.set(key, attempt)
      const reply = rules.rcpt?.(key, attempt)
      callback(reply ? refuse(reply) : undefined)
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = []
      stream.on('error', () => undefined) // the sender went away mid-message: not received
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        const to = session.envelope.rcptTo.map((entry) => entry.address.toLowerCase())
        const key = to.join(',')
        const attempt = (data.get(key) ?? 0) + 1
        data.set(key, attempt)
        const reply = rules.data?.(to, attempt)
        if (reply) return callback(refuse(reply))
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : ''
        const message = { to, from, raw: Buffer.concat(chunks) }
        received.push(message)
        rules.accepted?.(message, received.length)
        callback(null, `Ok: queued as M${received.length}`)
      })
    }
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  return {
    port,
    received,
    rcpt,
    data,
    parse: (message) => simpleParser(message.raw, { keepCidLinks: true }),
    close: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}
