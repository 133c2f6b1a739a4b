import path from 'node:path'
import type { Config } from '@masthead/core'
import type { Greeting, Mailbox, SmtpOptions } from '@masthead/send'
import { UNSUBSCRIBE_SECRET_ENV } from '@masthead/send'
import type { Io } from '../context.js'
import { UsageError } from '../context.js'

/** What `send` needs from the config and the environment. */
export interface SendSettings {
  sender: Mailbox
  envelopeFrom?: string
  unsubscribeUrl: string
  secret: string
  greeting?: Greeting | false
}

const CONFIG = '(masthead.config.json)'

/** The sender, the unsubscribe URL template and the token secret, or a UsageError saying what to set. */
export function sendSettings(config: Config, io: Io): SendSettings {
  const send = config.send ?? {}
  const sender = send.sender ?? config.email?.sender
  if (!sender)
    throw new UsageError(
      `Unexpected send without a sender, expected \`send.sender\` (or \`email.sender\`): { "name": …, "address": … } ${CONFIG}`
    )
  const configured = send.unsubscribeUrl ?? config.email?.unsubscribeUrl
  if (!configured || !/^https?:\/\//.test(configured)) {
    throw new UsageError(
      `Unexpected send without an unsubscribe URL, expected \`send.unsubscribeUrl\` such as "https://example.org/unsubscribe?u={{ email }}&t={{ token }}" ${CONFIG}`
    )
  }
  const secret = io.env[UNSUBSCRIBE_SECRET_ENV] ?? ''
  if (secret.length < 16)
    throw new UsageError(
      `Unexpected ${secret ? 'short' : 'missing'} ${UNSUBSCRIBE_SECRET_ENV}, expected a secret of at least 16 characters in the environment (it signs each recipient's unsubscribe token)`
    )
  return {
    sender: { address: sender.address, ...(sender.name ? { name: sender.name } : {}) },
    ...(send.envelopeFrom ? { envelopeFrom: send.envelopeFrom } : {}),
    unsubscribeUrl: configured,
    secret,
    ...(send.greeting === undefined ? {} : { greeting: send.greeting })
  }
}

/** The SMTP server from the config, the login from MASTHEAD_SMTP_USER / MASTHEAD_SMTP_PASS. */
export function smtpSettings(config: Config, io: Io): SmtpOptions {
  const smtp = config.send?.smtp ?? {}
  if (!smtp.host) throw new UsageError(`Unexpected send without an SMTP server, expected \`send.smtp.host\` ${CONFIG} (or --dry-run)`)
  const tls = smtp.tls ?? (smtp.port === 465 ? 'implicit' : 'starttls')
  const port = smtp.port ?? (tls === 'implicit' ? 465 : 587)
  const user = io.env['MASTHEAD_SMTP_USER']
  const pass = io.env['MASTHEAD_SMTP_PASS']
  if (Boolean(user) !== Boolean(pass))
    throw new UsageError(
      'Unexpected SMTP login with only one of MASTHEAD_SMTP_USER and MASTHEAD_SMTP_PASS, expected both (or neither, for a relay that needs no login)'
    )
  const loopback = /^(127\.\d+\.\d+\.\d+|localhost|::1)$/.test(smtp.host)
  if (user && (tls === 'none' || tls === 'opportunistic') && !loopback) {
    throw new UsageError(
      `Unexpected \`send.smtp.tls\` \`${tls}\` with a login to ${smtp.host}, expected \`starttls\` or \`implicit\`: the password would cross the network unencrypted`
    )
  }
  return {
    host: smtp.host,
    port,
    tls,
    ...(user && pass ? { auth: { user, pass } } : {}),
    ...(smtp.name ? { name: smtp.name } : {}),
    ...(smtp.rejectUnauthorized === undefined ? {} : { rejectUnauthorized: smtp.rejectUnauthorized })
  }
}

/** The journal of sending `slug` to the list `csv`: `<journal folder>/<slug>.<list name>.jsonl`. */
export function journalPath(config: Config, root: string, slug: string, csv: string): string {
  const folder = path.resolve(root, config.send?.journal ?? '.masthead/sends')
  return path.join(
    folder,
    `${slug}.${path
      .basename(csv)
      .replace(/\.[^.]*$/, '')
      .replace(/[^\w.-]+/g, '-')}.jsonl`
  )
}
