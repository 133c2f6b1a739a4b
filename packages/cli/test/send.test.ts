import { existsSync } from 'node:fs'
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ParsedMail } from 'mailparser'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const ISSUE = '2025-06-harbour-notes'
const SECRET = 'cli-test-secret-0123456789'
let project: string

interface Received {
  to: string[]
  raw: Buffer
}
let server: SMTPServer | undefined
let received: Received[] = []

/** A real SMTP server on 127.0.0.1 that refuses `gone@…` with 550 and keeps every other message. */
async function startServer(): Promise<number> {
  received = []
  server = new SMTPServer({
    logger: false,
    disableReverseLookup: true,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth: (auth, _session, callback) => callback(null, { user: auth.username }),
    onRcptTo: (address, _session, callback) =>
      callback(address.address.startsWith('gone@') ? Object.assign(new Error('5.1.1 No such user'), { responseCode: 550 }) : undefined),
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((entry) => entry.address), raw: Buffer.concat(chunks) })
        callback(null, 'Ok: queued')
      })
    }
  })
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return (server.server.address() as AddressInfo).port
}

async function writeConfig(port: number, extra: Record<string, unknown> = {}) {
  await writeFile(
    path.join(project, 'masthead.config.json'),
    JSON.stringify(
      {
        email: { sender: { name: 'Harbour Notes', address: 'notes@example.org' } },
        send: {
          smtp: { host: '127.0.0.1', port, tls: 'none' },
          unsubscribeUrl: 'https://example.org/unsubscribe?u={{ email }}&t={{ token }}',
          journal: 'sends',
          ...extra
        }
      },
      null,
      2
    )
  )
}

const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runMain(args, project, { MASTHEAD_UNSUBSCRIBE_SECRET: SECRET, MASTHEAD_SMTP_USER: 'editor', MASTHEAD_SMTP_PASS: 'pw', ...env })

const parse = (message: Received | Buffer): Promise<ParsedMail> =>
  simpleParser(Buffer.isBuffer(message) ? message : message.raw, { keepCidLinks: true })

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-send-cli-'))
  for (const folder of ['templates', 'styles', `issues/${ISSUE}`])
    await cp(path.join(root, folder), path.join(project, folder), { recursive: true })
  await writeFile(
    path.join(project, 'readers.csv'),
    'email,name,city\nana@example.org,Ana Ruiz,Oslo\nli@example.cn,李伟,北京\nbo@example.org,,Bergen\n'
  )
  await writeFile(
    path.join(project, 'bad.csv'),
    'email,name\nana@example.org,Ana\n,Nobody\nnot-an-address,X\nANA@example.org,Ana again\ngone@example.org,Gone\n'
  )
})

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
  await rm(path.join(project, 'sends'), { recursive: true, force: true })
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('masthead send', () => {
  it('sends the sample issue to each recipient, personalized, with headers, both parts and its inline images', async () => {
    await writeConfig(await startServer())
    const { code, out, err } = await run(['send', ISSUE, '--to', 'readers.csv'])
    expect(err).not.toMatch(/error/)
    expect(out).toContain('Done: 3 of 3 sent, 0 failed, 0 unconfirmed, 0 skipped, 0 remaining')
    expect(out).toContain(`Journal: sends/${ISSUE}.readers.jsonl`)
    expect(code).toBe(0)
    expect(received.map((message) => message.to[0]).sort()).toEqual(['ana@example.org', 'bo@example.org', 'li@example.cn'])
    for (const [address, greeting] of [
      ['ana@example.org', 'Dear Ana Ruiz,'],
      ['li@example.cn', 'Dear 李伟,'],
      ['bo@example.org', 'Hello,']
    ] as const) {
      const mail = await parse(received.find((message) => message.to[0] === address)!)
      expect(mail.subject).toBe('Harbour Notes · No. 12')
      expect(mail.from?.value[0]).toEqual({ name: 'Harbour Notes', address: 'notes@example.org' })
      expect(mail.html).toContain(`<p class="greeting" style="font-size:16px;line-height:1.6;margin:22px 0 0;">${greeting}</p>`)
      expect(mail.text).toContain(`\n${greeting}\n`)
      expect(mail.text).toContain('Shore power comes to the North Quay')
      const list = mail.headers.get('list') as unknown as { unsubscribe: { url: string } }
      const url = new URL(list.unsubscribe.url)
      expect(url.searchParams.get('u')).toBe(address)
      expect(url.searchParams.get('t')).toMatch(/^[\w-]{43}$/)
      expect(mail.html).toContain(`href="${url.href.replace(/&/g, '&amp;')}"`)
      expect(mail.text).toContain(url.href)
      expect(mail.headerLines.find((line) => line.key === 'list-unsubscribe-post')?.line).toBe(
        'List-Unsubscribe-Post: List-Unsubscribe=One-Click'
      )
      const cids = [...(mail.html ? mail.html.matchAll(/src="cid:([^"]+)"/g) : [])].map((match) => match[1])
      expect(cids.length).toBeGreaterThan(0)
      for (const cid of cids) {
        const part = mail.attachments.find((attachment) => attachment.cid === cid)
        expect(part, cid).toBeDefined()
        expect(part!.contentType).toMatch(/^image\/(jpeg|png)$/)
        expect(part!.content.length).toBeGreaterThan(100)
      }
      expect(mail.html).not.toContain('{{')
    }
    const summary = JSON.parse(await readFile(path.join(project, 'sends', `${ISSUE}.readers.summary.json`), 'utf8')) as { sent: number }
    expect(summary.sent).toBe(3)
    // A second run without --resume refuses (exit 2); with it, sends nothing new.
    const again = await run(['send', ISSUE, '--to', 'readers.csv'])
    expect(again.code).toBe(2)
    expect(again.err).toContain('--resume')
    const resumed = await run(['send', ISSUE, '--to', 'readers.csv', '--resume'])
    expect(resumed.code).toBe(0)
    expect(resumed.out).toContain('Done: 3 of 3 sent (0 in this run)')
    expect(received).toHaveLength(3)
  }, 60_000)

  it('refuses a list with bad rows, naming their lines; with --on-bad-rows skip sends the rest and reports 5xx failures', async () => {
    await writeConfig(await startServer())
    const refused = await run(['send', ISSUE, '--to', 'bad.csv'])
    expect(refused.code).toBe(1)
    expect(refused.err).toMatch(/bad\.csv\n[\s\S]*3:1 +error +Unexpected row without an address/)
    expect(refused.err).toMatch(/4:1 +error +Unexpected malformed address `not-an-address`/)
    expect(refused.err).toMatch(/5:1 +error +Unexpected duplicate address `ANA@example.org`, first listed on line 2/)
    expect(received).toEqual([])
    const skipped = await run(['send', ISSUE, '--to', 'bad.csv', '--on-bad-rows', 'skip'])
    expect(skipped.code).toBe(1)
    expect(skipped.out).toContain('Done: 1 of 2 sent, 1 failed, 0 unconfirmed, 3 skipped, 0 remaining')
    expect(skipped.out).toContain('failed       gone@example.org (line 6): 550 5.1.1 No such user')
    expect(skipped.out).toContain('skipped      line 3: Unexpected row without an address')
    expect(skipped.err).toMatch(/3:1 +warning/)
    expect(received.map((message) => message.to[0])).toEqual(['ana@example.org'])
  }, 60_000)

  it('writes a dry run as .eml files, and sends one test copy', async () => {
    await writeConfig(await startServer())
    const dry = await run(['send', ISSUE, '--to', 'readers.csv', '--dry-run', 'outbox'])
    expect(dry.code).toBe(0)
    expect(dry.out).toContain('Dry run: 3 messages written to outbox/')
    const files = (await readdir(path.join(project, 'outbox'))).sort()
    expect(files).toEqual(['0001-ana@example.org.eml', '0002-li@example.cn.eml', '0003-bo@example.org.eml'])
    const raw = await readFile(path.join(project, 'outbox', files[1]!))
    // A canonical message, as it would go over SMTP: CRLF throughout, in the parts too.
    expect(raw.toString('latin1')).not.toMatch(/(?<!\r)\n|\r(?!\n)/)
    const mail = await parse(raw)
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value[0] : undefined).toEqual({ name: '李伟', address: 'li@example.cn' })
    expect(received).toEqual([])
    expect(existsSync(path.join(project, 'sends'))).toBe(false)

    const test = await run(['send', ISSUE, '--to', 'readers.csv', '--test', 'editor@example.net'])
    expect(test.code).toBe(0)
    expect(test.out).toMatch(/^Test copy sent to editor@example\.net \(as ana@example\.org\): 250 /)
    expect(received.map((message) => message.to)).toEqual([['editor@example.net']])
    const copy = await parse(received[0]!)
    expect(copy.subject).toBe('[Test] Harbour Notes · No. 12')
    expect(copy.text).toContain('Dear Ana Ruiz,')
  }, 60_000)

  it('says what is missing: the secret, the list, a login kept in the config', async () => {
    await writeConfig(await startServer())
    const noSecret = await run(['send', ISSUE, '--to', 'readers.csv'], { MASTHEAD_UNSUBSCRIBE_SECRET: undefined })
    expect(noSecret.code).toBe(2)
    expect(noSecret.err).toContain('MASTHEAD_UNSUBSCRIBE_SECRET')
    expect((await run(['send', ISSUE])).code).toBe(2)
    await writeConfig(1, { smtp: { host: '127.0.0.1', port: 1, tls: 'none', pass: 'secret' } })
    const inFile = await run(['send', ISSUE, '--to', 'readers.csv'])
    expect(inFile.code).toBe(1)
    expect(inFile.err).toMatch(
      /Unexpected key `send\.smtp\.pass` in the config, expected `host`, `port`, `tls`, `name`, `rejectUnauthorized` \(the login comes from MASTHEAD_SMTP_USER and MASTHEAD_SMTP_PASS, never from a file\)/
    )
  }, 60_000)
})

describe('masthead export', () => {
  it('writes the email edition with each platform’s merge tags, and the images to upload', async () => {
    await writeConfig(1)
    const config = JSON.parse(await readFile(path.join(project, 'masthead.config.json'), 'utf8')) as { email: Record<string, unknown> }
    config.email['assets'] = { mode: 'url', baseUrl: 'https://cdn.example.org/notes/12/' }
    await writeFile(path.join(project, 'masthead.config.json'), JSON.stringify(config))
    for (const [platform, unsubscribe, greeting] of [
      ['mailchimp', 'href="*|UNSUB|*"', '*|IF:FNAME|*Dear *|FNAME|*,*|ELSE:|*Hello,*|END:IF|*'],
      ['listmonk', 'href="{{ UnsubscribeURL }}"', '{{ if .Subscriber.Name }}Dear {{ .Subscriber.Name }},{{ else }}Hello,{{ end }}'],
      ['generic', 'href="{{unsubscribe_url}}"', '{{#if name}}Dear {{name}},{{else}}Hello,{{/if}}']
    ] as const) {
      const { code, out, err } = await run(['export', ISSUE, '--for', platform])
      expect(code, err).toBe(0)
      expect(out).toContain(`dist/${ISSUE}/email.${platform}.html`)
      expect(out).toContain(`Upload the files in dist/${ISSUE}/email-assets/ to https://cdn.example.org/notes/12/`)
      expect(err).not.toContain('export-cid-images')
      const html = await readFile(path.join(project, 'dist', ISSUE, `email.${platform}.html`), 'utf8')
      expect(html).toContain(unsubscribe)
      expect(html).toContain(greeting)
      expect(html).not.toContain('cid:')
      // Every image the HTML points at is written under its URL's name, ready to upload.
      const sources = [...html.matchAll(/<img\b[^>]*\ssrc="([^"]+)"/g)].map((match) => match[1]!)
      expect(sources.length).toBeGreaterThan(0)
      for (const src of sources) {
        expect(src.startsWith('https://cdn.example.org/notes/12/'), src).toBe(true)
        expect(existsSync(path.join(project, 'dist', ISSUE, 'email-assets', path.posix.basename(new URL(src).pathname))), src).toBe(true)
      }
      const text = await readFile(path.join(project, 'dist', ISSUE, `email.${platform}.txt`), 'utf8')
      expect(text).toContain(greeting)
    }
    expect((await run(['export', ISSUE])).code).toBe(2)
  }, 60_000)

  it('refuses an export whose images are cid: parts, names the setting, and writes nothing', async () => {
    await writeConfig(1)
    const out = await mkdtemp(path.join(os.tmpdir(), 'masthead-export-'))
    try {
      const { code, err } = await run(['export', ISSUE, '--for', 'mailchimp', '--out', out])
      expect(code).toBe(1)
      expect(err).toMatch(
        /issue\.md\s+error\s+Unexpected images embedded as `cid:` parts \(`[^`]+`.*\) in an export for mailchimp, expected absolute URLs: set `email\.assets`/
      )
      expect(err).toContain('export-cid-images')
      expect(await readdir(out)).toEqual([])
    } finally {
      await rm(out, { recursive: true, force: true })
    }
  }, 60_000)
})
