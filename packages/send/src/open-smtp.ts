import { Readable } from 'node:stream'
import SMTPConnection from 'nodemailer/lib/smtp-connection/index.js'
import { connectionSocket, unsentBytes } from './smtp-internals.js'

/** How to reach the SMTP server (from the config; credentials from the environment). */
export interface SmtpOptions {
  host: string
  port: number
  /**
   * `implicit`: TLS from the first byte (port 465); `starttls`: upgrade with STARTTLS or fail
   * (the default); `opportunistic`: upgrade when offered; `none`: never (a local relay).
   */
  tls: 'implicit' | 'starttls' | 'opportunistic' | 'none'
  auth?: { user: string; pass: string }
  /** The name to introduce ourselves with in EHLO; default: the machine's host name. */
  name?: string
  /** Check the server's certificate (default true). */
  rejectUnauthorized?: boolean
  /** Milliseconds to connect, and of silence before a connection is given up (default 30 s, 2 min). */
  connectionTimeout?: number
  socketTimeout?: number
}

/** An SMTP failure: nodemailer's error fields. */
export interface SmtpError extends Error {
  code?: string
  responseCode?: number
  response?: string
  command?: string
}

/** An open, logged-in SMTP connection. */
export interface SmtpSession {
  /**
   * Send one message to one recipient. Once everything but the message's final `.` has left
   * the process (the operating system's socket buffer), `hooks.ready` is awaited, then
   * `hooks.commit` runs and the `.` follows in the same turn of the event loop, with no I/O
   * wait in between: after `commit`, the server may accept the message at any moment.
   * Neither runs when the server refuses the sender or the recipient.
   *
   * @returns The server's reply, e.g. `250 2.0.0 Ok: queued as 4F2A`.
   */
  send(envelope: { from: string; to: string }, message: Buffer, hooks: CommitHooks): Promise<string>
  close(): void
}

/** What {@link SmtpSession.send} calls before the final dot. */
export interface CommitHooks {
  /** Awaited first (e.g. for a turn to commit). */
  ready?: () => Promise<void>
  /** Record the commit; synchronous, so nothing comes between it and the dot. */
  commit: () => void
}

/** A connected SMTPConnection, logged in when `options.auth` is given; closed on failure. */
async function connectAndLogIn(options: SmtpOptions): Promise<SMTPConnection> {
  const connection = new SMTPConnection({
    host: options.host,
    port: options.port,
    secure: options.tls === 'implicit',
    requireTLS: options.tls === 'starttls',
    opportunisticTLS: options.tls === 'opportunistic',
    ignoreTLS: options.tls === 'none',
    ...(options.name ? { name: options.name } : {}),
    connectionTimeout: options.connectionTimeout ?? 30_000,
    greetingTimeout: options.connectionTimeout ?? 30_000,
    socketTimeout: options.socketTimeout ?? 120_000,
    tls: { rejectUnauthorized: options.rejectUnauthorized ?? true }
  })
  // While connecting, a refused connection or a timeout arrives as an 'error' event, not
  // through the callback; later errors reach the send callbacks, and an unheard 'error'
  // event would crash the process.
  let failConnect: ((error: Error) => void) | undefined
  connection.on('error', (error: Error) => failConnect?.(error))
  try {
    await new Promise<void>((resolve, reject) => {
      failConnect = reject
      connection.connect((error?: Error | null) => (error ? reject(error) : resolve()))
    })
    if (options.auth) {
      const { auth } = options
      await new Promise<void>((resolve, reject) => {
        failConnect = reject
        connection.login({ user: auth.user, pass: auth.pass }, (error?: Error | null) => (error ? reject(error) : resolve()))
      })
    }
  } catch (error) {
    connection.close()
    throw error
  } finally {
    failConnect = undefined
  }
  return connection
}

/**
 * Connect and log in to an SMTP server with nodemailer's SMTPConnection.
 *
 * @throws The connection or login error (`code` `EAUTH`, `ECONNECTION`, `ETIMEDOUT`, `ETLS` …).
 */
export async function openSmtp(options: SmtpOptions): Promise<SmtpSession> {
  const connection = await connectAndLogIn(options)
  // The final `.` is a small write of its own: without this, Nagle's algorithm holds it back
  // until the server's delayed ACK (40 ms a message on Linux).
  try {
    connectionSocket(connection).setNoDelay(true)
  } catch (error) {
    connection.close()
    throw error
  }
  const pending = () => unsentBytes(connection)
  return {
    send(envelope, message, hooks) {
      return new Promise<string>((resolve, reject) => {
        let settled = false
        let started = false
        const body = new Readable({
          read() {
            if (settled) return void this.push(null) // refused before DATA: nodemailer drains the stream
            if (!started) {
              started = true
              this.push(message)
              return
            }
            // The message is in the data stream: wait until it has left the process, then
            // record the commit and let the final dot go, with no I/O wait in between.
            const release = () => {
              if (settled) return void this.push(null)
              let busy: boolean
              try {
                busy = pending() > 0
              } catch (error) {
                // nodemailer's internals changed: stop the send, before the commit.
                settled = true
                reject(error as Error)
                return void this.destroy()
              }
              if (busy) return void setTimeout(release, 1)
              const commit = () => {
                if (settled) return void this.push(null)
                hooks.commit()
                this.push(null)
              }
              if (hooks.ready) void hooks.ready().then(commit, () => this.push(null))
              else commit()
            }
            release()
          }
        })
        connection.send({ from: envelope.from, to: [envelope.to] }, body, (error, info) => {
          settled = true
          if (error) reject(error)
          else resolve(String(info.response ?? ''))
        })
      })
    },
    close() {
      connection.close()
    }
  }
}
