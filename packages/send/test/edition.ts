import type { Edition, Recipient } from '../src/index.js'

/** A 1×1 PNG. */
export const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64'
)

/** A small edition shaped like the email build's output: masthead date line, inline image, unsubscribe field. */
export function testEdition(overrides: Partial<Edition> = {}): Edition {
  return {
    slug: '2025-06-harbour-notes',
    lang: 'en',
    subject: 'Harbour Notes · No. 12',
    html:
      '<!doctype html><html><body><div><h1 class="masthead-title">Harbour Notes</h1><p class="masthead-meta" style="margin:0">No. 12 · 1 June 2025</p></div>' +
      '<p>Your city: {{ city }}</p><img src="cid:pixel@masthead" width="1" height="1" alt="A pixel">' +
      '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p></body></html>',
    text: 'Harbour Notes · No. 12\n======================\n1 June 2025\n\nYour city: {{ city }}\n\nUnsubscribe: {{ unsubscribe_url }}\n',
    attachments: [{ filename: 'pixel.png', contentType: 'image/png', content: PIXEL, cid: 'pixel@masthead' }],
    ...overrides
  }
}

/** `count` recipients `r001@example.org` …, with names and a `city` column. */
export function testRecipients(count: number, address = (index: number) => `r${String(index).padStart(3, '0')}@example.org`): Recipient[] {
  return Array.from({ length: count }, (_, index) => {
    const email = address(index + 1)
    const name = index % 3 === 0 ? '' : index % 3 === 1 ? `Reader ${index + 1}` : `读者${index + 1}`
    return { email, key: email.toLowerCase(), name, fields: { email, name, city: `City ${index + 1}` }, line: index + 2 }
  })
}

export const SECRET = 'test-secret-0123456789abcdef'
