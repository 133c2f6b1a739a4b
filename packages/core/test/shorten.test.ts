import { describe, expect, it } from 'vitest'
import { MAX_MESSAGE_LENGTH, VFile, addError, shorten, shortenMessage } from '../src/index.js'

describe('shorten', () => {
  it('keeps short values and shortens long ones to their start and end, saying how much is left out', () => {
    expect(shorten('images/photo.jpg')).toBe('images/photo.jpg')
    const url = 'data:image/png;base64,' + 'A'.repeat(1_700_000) + 'QmCC'
    const short = shorten(url)
    expect(short.length).toBeLessThan(250)
    expect(short.startsWith('data:image/png;base64,AAAA')).toBe(true)
    expect(short.endsWith('AAQmCC')).toBe(true)
    expect(short).toMatch(/…\(1,699,8\d\d more characters\)…/)
  })

  it('never cuts a character in two', () => {
    const short = shorten('😀'.repeat(500), 120)
    expect(short).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/)
  })
})

describe('every message', () => {
  it('quotes a 1.7 MB data: URL in a few hundred characters, keeping the rest of the message', () => {
    const file = new VFile({ path: 'issue.md' })
    const url = 'data:image/png;base64,' + 'iVBORw0KGgo'.repeat(160_000)
    const message = addError(file, `Unexpected image URL \`${url}\`, expected a file in the issue folder`, {
      ruleId: 'remote-image',
      source: 'test',
      actual: url
    })
    expect(message.reason.length).toBeLessThan(400)
    expect(message.reason).toMatch(
      /^Unexpected image URL `data:image\/png;base64,iVBOR.*…\(1,759,8\d\d more characters\)….*`, expected a file in the issue folder$/
    )
    expect(message.actual?.length).toBeLessThan(250)
  })

  it('shortens long runs outside backticks, and the message as a whole', () => {
    expect(shortenMessage(`Cannot load ${'x'.repeat(5000)} now`)).toMatch(/^Cannot load x+…\(4,8\d\d more characters\)…x+ now$/)
    expect(shortenMessage('word '.repeat(2000)).length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH + 40)
  })
})
