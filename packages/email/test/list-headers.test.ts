import { simpleParser } from 'mailparser'
import { describe, expect, it } from 'vitest'
import { composeMessage, listHeaders } from '../src/compose-eml.js'

describe('listHeaders', () => {
  it('adds List-Unsubscribe-Post: List-Unsubscribe=One-Click only for an https URL (RFC 8058)', () => {
    const post = (url: string) => listHeaders(url)['List-Unsubscribe-Post']?.value
    expect(post('https://example.org/u?t=1')).toBe('List-Unsubscribe=One-Click')
    expect(post('HTTPS://example.org/u')).toBe('List-Unsubscribe=One-Click')
    expect(post('http://example.org/u')).toBeUndefined()
    expect(post('mailto:unsubscribe@example.org')).toBeUndefined()
    expect(post('*|UNSUB|*')).toBeUndefined()
    expect(post('{{ UnsubscribeURL }}')).toBeUndefined()
    expect(listHeaders('mailto:u@example.org')['List-Unsubscribe']?.value).toBe('<mailto:u@example.org>')
    expect(listHeaders(undefined)).toEqual({})
    expect(listHeaders('  ', 'notes.example.org')).toEqual({ 'List-Id': { prepared: true, value: '<notes.example.org>' } })
  })

  it('writes them into the message that mailparser reads back', async () => {
    const raw = await composeMessage({
      from: { name: '港口笔记', address: 'notes@example.org' },
      to: { address: 'ana@example.org' },
      subject: '第 12 期',
      html: '<p>你好</p>',
      text: '你好',
      attachments: [],
      messageId: '<12.abc@example.org>',
      date: new Date('2025-06-01T08:00:00Z'),
      unsubscribeUrl: 'https://example.org/u?t=1',
      listId: 'notes.example.org'
    })
    const mail = await simpleParser(raw)
    expect(mail.headers.get('list')).toEqual({
      unsubscribe: { url: 'https://example.org/u?t=1' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
      id: { name: 'notes.example.org' }
    })
    expect(mail.subject).toBe('第 12 期')
    expect(mail.messageId).toBe('<12.abc@example.org>')
  })
})
