import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JournalRecord, SendEditionOptions } from '../src/index.js'
import { JournalExistsError, formatSummary, readJournal, sendEdition, sendTest, summaryPath, verifyUnsubscribeToken } from '../src/index.js'
import { PIXEL, SECRET, testEdition, testRecipients } from './edition.js'
import type { Sink, SinkRules } from './smtp-sink.js'
import { startSink } from './smtp-sink.js'

let dir: string
let sink: Sink | undefined

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'masthead-send-'))
})

afterEach(async () => {
  await sink?.close()
  sink = undefined
  await rm(dir, { recursive: true, force: true })
})

async function send(rules: SinkRules, overrides: Partial<SendEditionOptions> = {}) {
  sink ??= await startSink(rules)
  return sendEdition({
    edition: testEdition(),
    recipients: testRecipients(6),
    list: 'readers.csv',
    sender: { name: '港口通讯 Harbour Notes', address: 'notes@example.org' },
    personalize: { unsubscribeUrl: 'https://example.org/unsubscribe?u={{ email }}&t={{ token }}', secret: SECRET },
    smtp: { host: '127.0.0.1', port: sink.port, tls: 'none', auth: { user: 'u', pass: 'p' } },
    journal: path.join(dir, 'send.jsonl'),
    concurrency: 3,
    retryDelay: 20,
    ...overrides
  })
}

async function journalRecords(): Promise<JournalRecord[]> {
  return (await readFile(path.join(dir, 'send.jsonl'), 'utf8'))
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as JournalRecord)
}

describe('sendEdition over SMTP', () => {
  it('delivers one personalized message per recipient, with headers, both parts and the inline image', async () => {
    const summary = await send({})
    expect(summary).toMatchObject({ total: 6, sent: 6, sentThisRun: 6, failed: [], unconfirmed: [], remaining: 0, interrupted: false })
    const received = sink!.received
    expect(
      received
        .map((message) => message.to)
        .flat()
        .sort()
    ).toEqual(testRecipients(6).map((recipient) => recipient.key))
    const ids = new Set<string>()
    for (const message of received) {
      const recipient = testRecipients(6).find((entry) => entry.key === message.to[0])!
      const mail = await sink!.parse(message)
      expect(message.raw.toString('latin1')).not.toMatch(/(?<!\r)\n|\r(?!\n)/)
      // The HTML part travels unencoded (8bit): its lines fit SMTP's 998 bytes (htmlPartEncoding).
      expect(message.raw.toString('latin1')).toMatch(/Content-Type: text\/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n/)
      expect(message.from).toBe('notes@example.org')
      expect(mail.from?.value[0]).toEqual({ name: '港口通讯 Harbour Notes', address: 'notes@example.org' })
      expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : undefined).toEqual({ name: recipient.name, address: recipient.email })
      expect(mail.subject).toBe('Harbour Notes · No. 12')
      const greeting = recipient.name ? `Dear ${recipient.name},` : 'Hello,'
      expect(mail.html).toContain(
        `<p class="masthead-meta" style="margin:0">No. 12 · 1 June 2025</p><p class="greeting" style="font-size:16px;line-height:1.6;margin:22px 0 0;">${greeting}</p>`
      )
      expect(mail.text).toContain(`1 June 2025\n\n${greeting}\n\nYour city: ${recipient.fields['city']}`)
      expect(mail.html).toContain(`Your city: ${recipient.fields['city']}`)
      // The unsubscribe link carries the recipient's own token, in the HTML, the text and the headers.
      const url = new URL(mail.text!.match(/Unsubscribe: (\S+)/)![1]!)
      expect(url.searchParams.get('u')).toBe(recipient.email)
      expect(verifyUnsubscribeToken(recipient.email, url.searchParams.get('t')!, SECRET)).toBe(true)
      expect(mail.html).toContain(`href="${url.href.replace(/&/g, '&amp;')}"`)
      expect(mail.headers.get('list')).toEqual({
        unsubscribe: { url: url.href },
        'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
        id: { name: '2025-06-harbour-notes.example.org' }
      })
      const headers = new Map(mail.headerLines.map((header) => [header.key, header.line]))
      expect(headers.get('list-unsubscribe')).toBe(`List-Unsubscribe: <${url.href}>`)
      expect(headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
      expect(mail.messageId).toMatch(/^<2025-06-harbour-notes\.[0-9a-f]{12}\.[\w-]{22}@example\.org>$/)
      ids.add(mail.messageId!)
      // Both parts, and the image as a related inline part that the HTML references.
      expect(mail.html).toContain('src="cid:pixel@masthead"')
      expect(mail.attachments).toHaveLength(1)
      expect(mail.attachments[0]).toMatchObject({
        cid: 'pixel@masthead',
        contentType: 'image/png',
        contentDisposition: 'inline',
        related: true
      })
      expect(Buffer.compare(mail.attachments[0]!.content, PIXEL)).toBe(0)
    }
    expect(ids.size).toBe(6)
    const records = await journalRecords()
    expect(records.filter((record) => record.type === 'sent')).toHaveLength(6)
    for (const recipient of testRecipients(6)) {
      expect(records.filter((record) => 'to' in record && record.to === recipient.key).map((record) => record.type)).toEqual([
        'sending',
        'committing',
        'sent'
      ])
    }
    expect(JSON.parse(await readFile(summaryPath(path.join(dir, 'send.jsonl')), 'utf8'))).toMatchObject({ sent: 6, total: 6 })
  })

  it('retries 4xx with backoff, records 5xx, and reports the failures at the end', async () => {
    const list = testRecipients(
      8,
      (index) =>
        [`ok${index}@example.org`, `greylisted${index}@example.org`, `gone${index}@example.org`, `busy${index}@example.org`][index % 4]!
    )
    const summary = await send(
      {
        rcpt: (address, attempt) => {
          if (address.startsWith('greylisted') && attempt <= 2) return { code: 451, message: '4.7.1 Greylisted, try again later' }
          if (address.startsWith('gone')) return { code: 550, message: '5.1.1 No such user here' }
          if (address.startsWith('busy')) return { code: 452, message: '4.2.2 Mailbox full' }
          return undefined
        },
        data: (to, attempt) => (to[0] === 'ok4@example.org' && attempt === 1 ? { code: 421, message: '4.3.0 Try again' } : undefined)
      },
      { recipients: list, maxAttempts: 3 }
    )
    const received = (address: string) => sink!.received.filter((message) => message.to.includes(address)).length
    for (const recipient of list) {
      if (/^(ok|greylisted)/.test(recipient.key)) expect(received(recipient.key), recipient.key).toBe(1)
      else expect(received(recipient.key), recipient.key).toBe(0)
    }
    // Greylisted twice, accepted on the third try; the mailbox that stays full is given up after 3.
    expect(sink!.rcpt.get('greylisted1@example.org')).toBe(3)
    expect(sink!.rcpt.get('busy3@example.org')).toBe(3)
    expect(sink!.rcpt.get('gone2@example.org')).toBe(1)
    expect(sink!.data.get('ok4@example.org')).toBe(2)
    expect(summary.sent).toBe(4)
    expect(summary.failed.map((failure) => [failure.email, failure.code]).sort()).toEqual([
      ['busy3@example.org', 452],
      ['busy7@example.org', 452],
      ['gone2@example.org', 550],
      ['gone6@example.org', 550]
    ])
    expect(summary.failed.find((failure) => failure.email === 'gone2@example.org')).toMatchObject({
      line: 3,
      response: '550 5.1.1 No such user here'
    })
    expect(summary.failed.find((failure) => failure.email === 'busy3@example.org')?.response).toBe(
      '452 4.2.2 Mailbox full (gave up after 3 attempts)'
    )
    const records = await journalRecords()
    const deferred = records.filter((record): record is Extract<JournalRecord, { type: 'deferred' }> => record.type === 'deferred')
    expect(
      deferred.filter((record) => record.to === 'greylisted1@example.org').map((record) => [record.attempt, record.code, record.retryInMs])
    ).toEqual([
      [1, 451, 20],
      [2, 451, 40]
    ])
    const text = formatSummary(summary)
    expect(text).toContain('Done: 4 of 8 sent, 4 failed, 0 unconfirmed, 0 skipped, 0 remaining')
    expect(text).toContain('failed       gone2@example.org (line 3): 550 5.1.1 No such user here')
    // A resume sends nothing more: failures are final, and reported again.
    const again = await send({}, { recipients: list, resume: true })
    expect(again).toMatchObject({ sent: 4, sentThisRun: 0 })
    expect(again.failed).toHaveLength(4)
  })

  it('refuses to start over a journal with records unless resuming', async () => {
    await send({})
    await expect(send({})).rejects.toBeInstanceOf(JournalExistsError)
    const resumed = await send({}, { resume: true })
    expect(resumed).toMatchObject({ sent: 6, sentThisRun: 0 })
    expect(sink!.received).toHaveLength(6)
  })

  it('treats a message whose end reached the server but whose reply never came per the policy', async () => {
    const journal = path.join(dir, 'send.jsonl')
    const [first, second] = testRecipients(2)
    const at = new Date().toISOString()
    const lines: JournalRecord[] = [
      { type: 'run', at, campaign: 'c0ffee', issue: 'x', list: 'readers.csv', recipients: 6, pid: 1, resumed: false },
      { type: 'sending', at, to: first!.key, attempt: 1, messageId: '<a@b>' },
      { type: 'committing', at, to: first!.key, attempt: 1 },
      { type: 'sending', at, to: second!.key, attempt: 1, messageId: '<c@d>' }
    ]
    // The last line was cut by the crash.
    await writeFile(journal, lines.map((line) => JSON.stringify(line)).join('\n') + '\n{"type":"sent","to":"r0')
    expect((await readJournal(journal)).torn).toBe(1)
    const skipped = await send({}, { resume: true })
    expect(skipped.unconfirmed.map((entry) => entry.email)).toEqual([first!.email])
    expect(skipped.sent).toBe(5)
    expect(sink!.received.some((message) => message.to.includes(first!.key))).toBe(false)
    expect(sink!.received.filter((message) => message.to.includes(second!.key))).toHaveLength(1)
    // The campaign (and so every Message-ID) is the first run's.
    expect(skipped.campaign).toBe('c0ffee')
    expect((await readJournal(journal)).torn).toBe(1)

    await writeFile(journal, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')
    const resent = await send({}, { resume: true, unconfirmed: 'resend', recipients: testRecipients(2) })
    expect(resent.unconfirmed).toEqual([])
    expect(sink!.received.filter((message) => message.to.includes(first!.key))).toHaveLength(1)
  })

  it('stops on a refused login at once, without sending, and says why', async () => {
    const summary = await send({ refuseLogin: true })
    expect(summary).toMatchObject({ sent: 0, interrupted: true, remaining: 6 })
    expect(summary.error).toBe('EAUTH: 535 5.7.8 Authentication credentials invalid')
    expect(sink!.received).toEqual([])
    expect(formatSummary(summary)).toContain('resume with --resume to send the remaining 6')
  })

  it('stops when the server cannot be reached, and says why', async () => {
    sink = await startSink()
    const summary = await send({}, { smtp: { host: '127.0.0.1', port: 1, tls: 'none' } })
    expect(summary.interrupted).toBe(true)
    expect(summary.remaining).toBe(6)
    expect(summary.error).toMatch(/ECONNECTION|ECONNREFUSED/)
  })

  it('stops between messages when aborted (Ctrl-C), and a resume sends the rest once', async () => {
    const controller = new AbortController()
    const stopped = await send(
      {},
      {
        recipients: testRecipients(30),
        concurrency: 2,
        signal: controller.signal,
        onProgress: (progress) => {
          if (progress.sent >= 5) controller.abort()
        }
      }
    )
    expect(stopped.interrupted).toBe(true)
    expect(stopped.remaining).toBe(30 - stopped.sent)
    expect(stopped.sent).toBeLessThan(10)
    const resumed = await send({}, { recipients: testRecipients(30), resume: true })
    expect(resumed).toMatchObject({ sent: 30, sentThisRun: 30 - stopped.sent, interrupted: false })
    const counts = new Map<string, number>()
    for (const message of sink!.received) counts.set(message.to[0]!, (counts.get(message.to[0]!) ?? 0) + 1)
    expect(counts.size).toBe(30)
    expect([...counts.values()].every((count) => count === 1)).toBe(true)
  })

  it('goes on with fewer connections when the server takes fewer', async () => {
    const summary = await send({ maxClients: 2 }, { concurrency: 5, recipients: testRecipients(12) })
    expect(summary.error).toBeUndefined()
    expect(summary).toMatchObject({ sent: 12, failed: [], interrupted: false })
    expect(sink!.received).toHaveLength(12)
  })

  it('keeps to the rate limit', async () => {
    const started = Date.now()
    const summary = await send({}, { rate: 50, recipients: testRecipients(6) })
    expect(summary.sent).toBe(6)
    expect(Date.now() - started).toBeGreaterThanOrEqual(100)
  })

  it('sends one test copy, personalized as a list member', async () => {
    sink = await startSink()
    const [as] = testRecipients(2).slice(1)
    const { response, messageId } = await sendTest({
      edition: testEdition(),
      to: 'me@example.net',
      as: as!,
      sender: { address: 'notes@example.org' },
      personalize: { unsubscribeUrl: 'https://example.org/u', secret: SECRET },
      smtp: { host: '127.0.0.1', port: sink.port, tls: 'none' }
    })
    expect(response).toMatch(/^250 /)
    expect(sink.received.map((message) => message.to)).toEqual([['me@example.net']])
    const mail = await sink.parse(sink.received[0]!)
    expect(mail.messageId).toBe(messageId)
    expect(mail.subject).toBe('[Test] Harbour Notes · No. 12')
    expect(mail.text).toContain('Dear Reader 2,')
    expect(mail.headers.get('list')).toMatchObject({
      unsubscribe: { url: expect.stringMatching(/^https:\/\/example\.org\/u\?email=r002%40example\.org&token=[\w-]{43}$/) as unknown }
    })
  })
})
