import type SMTPConnection from 'nodemailer/lib/smtp-connection/index.js'

/**
 * The one module that reads private fields of nodemailer's SMTPConnection. The journal's
 * exactly-once guarantee needs two facts that nodemailer has no public API for:
 *
 * - `_socket`: the connection's socket (the TLS socket after STARTTLS), to turn off
 *   Nagle's algorithm, and to see the bytes it has not yet handed to the operating system;
 * - `_currentDataStream`: the stream that escapes dots between the message and the socket
 *   during DATA (`false` otherwise), whose buffered bytes have not left the process either.
 *
 * Each read checks the shape it relies on and throws {@link SmtpInternalsError} when it
 * differs, so a nodemailer upgrade that renames or reshapes them stops a send at once
 * (and fails `test/smtp-internals.test.ts`) instead of quietly committing too early.
 */

/** nodemailer's internals no longer have the shape this module relies on. */
export class SmtpInternalsError extends Error {
  override name = 'SmtpInternalsError'
}

interface SocketLike {
  writableLength: number
  setNoDelay(noDelay: boolean): unknown
}

interface BufferLike {
  readableLength: number
  writableLength: number
}

function fields(connection: SMTPConnection): { _socket?: unknown; _currentDataStream?: unknown } {
  return connection as unknown as { _socket?: unknown; _currentDataStream?: unknown }
}

function broken(what: string): SmtpInternalsError {
  return new SmtpInternalsError(
    `Unexpected shape of nodemailer's SMTPConnection (${what}); the installed nodemailer is not the version @masthead/send was written for`
  )
}

/**
 * The open connection's socket.
 *
 * @throws {SmtpInternalsError} When `_socket` is not a socket.
 */
export function connectionSocket(connection: SMTPConnection): SocketLike {
  const socket = fields(connection)._socket
  if (typeof socket !== 'object' || socket === null) throw broken('`_socket` is not a socket')
  const candidate = socket as Partial<SocketLike>
  if (typeof candidate.writableLength !== 'number' || typeof candidate.setNoDelay !== 'function')
    throw broken('`_socket` has no `writableLength` or `setNoDelay`')
  return candidate as SocketLike
}

/**
 * Bytes of the message still in the process: in the DATA stream and the socket's buffer.
 *
 * @throws {SmtpInternalsError} When `_currentDataStream` is neither `false` nor a stream.
 */
export function unsentBytes(connection: SMTPConnection): number {
  const data = fields(connection)._currentDataStream
  let buffered = 0
  if (data !== false) {
    const stream = data as Partial<BufferLike> | null | undefined
    if (typeof stream?.readableLength !== 'number' || typeof stream.writableLength !== 'number')
      throw broken('`_currentDataStream` is neither `false` nor a stream')
    buffered = stream.readableLength + stream.writableLength
  }
  return connectionSocket(connection).writableLength + buffered
}
