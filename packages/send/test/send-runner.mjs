// A send in a process of its own, for the tests that kill it: `node send-runner.mjs config.json`.
// It reads the list with readRecipients and sends with sendEdition from the built package
// (dist/), as `masthead send` does, and prints the summary as JSON.
import { readFile } from 'node:fs/promises'
import { VFile } from '@masthead/core'
import { readRecipients, sendEdition } from '../dist/index.js'

const config = JSON.parse(await readFile(process.argv[2], 'utf8'))
const file = new VFile({ path: config.list, value: await readFile(config.list, 'utf8') })
const { recipients, skipped } = readRecipients(file, 'skip')
const edition = {
  ...config.edition,
  attachments: config.edition.attachments.map((attachment) => ({ ...attachment, content: Buffer.from(attachment.content, 'base64') }))
}
const summary = await sendEdition({
  edition,
  recipients,
  skipped,
  list: config.list,
  sender: { name: 'Harbour Notes', address: 'notes@example.org' },
  personalize: { unsubscribeUrl: 'https://example.org/unsubscribe', secret: config.secret },
  smtp: { host: '127.0.0.1', port: config.port, tls: 'none' },
  journal: config.journal,
  resume: config.resume,
  concurrency: config.concurrency,
  retryDelay: 20
})
process.stdout.write(JSON.stringify(summary) + '\n')
