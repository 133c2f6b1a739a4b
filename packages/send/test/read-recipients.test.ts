import { describe, expect, it } from 'vitest'
import { VFile } from '@masthead/core'
import { isAddress, readRecipients } from '../src/index.js'

const messages = (file: VFile) =>
  file.messages.map(
    (message) => `${message.line}:${message.column}: ${message.fatal ? 'error' : 'warning'} ${message.reason} (${message.ruleId})`
  )

const LIST = [
  'email,name,city', //                         1
  'ana@example.org,Ana Ruiz,Oslo', //           2
  ',No Address,Rome', //                        3
  'not-an-address,Broken,Paris', //             4
  '', //                                        5
  'ANA@example.org,Ana again,Oslo', //          6
  'li@example.cn,"Li, Wei",北京', //            7
  'bo@example.org,"Bo', //                      8
  'Berg",Bergen', //                            9
  'x@example.org,Too,Many,Fields', //           10
  'joe@example..org,Joe,Dublin', //             11
  '  zoe@example.org  ,Zoë,Zürich' //           12
].join('\n')

describe('readRecipients', () => {
  it('reports bad rows with their line numbers and refuses them by default', () => {
    const file = new VFile({ path: 'readers.csv', value: LIST })
    const { recipients, skipped, columns } = readRecipients(file)
    expect(columns).toEqual(['email', 'name', 'city'])
    expect(messages(file)).toEqual([
      '3:1: error Unexpected row without an address, expected one in the `email` column (recipient-missing-address)',
      '4:1: error Unexpected malformed address `not-an-address`, expected one like `name@example.org` (recipient-malformed-address)',
      '6:1: error Unexpected duplicate address `ANA@example.org`, first listed on line 2 (recipient-duplicate)',
      '10:1: error Unexpected 4 fields, expected 3 (email,name,city); quote a value that holds a comma (recipient-fields)',
      '11:1: error Unexpected malformed address `joe@example..org`, expected one like `name@example.org` (recipient-malformed-address)'
    ])
    expect(skipped.map((row) => row.line)).toEqual([3, 4, 6, 10, 11])
    expect(recipients.map((recipient) => [recipient.line, recipient.email, recipient.name, recipient.fields['city']])).toEqual([
      [2, 'ana@example.org', 'Ana Ruiz', 'Oslo'],
      [7, 'li@example.cn', 'Li, Wei', '北京'],
      [8, 'bo@example.org', 'Bo\nBerg', 'Bergen'],
      [12, 'zoe@example.org', 'Zoë', 'Zürich']
    ])
  })

  it('skips bad rows as warnings with `skip`', () => {
    const file = new VFile({ path: 'readers.csv', value: LIST })
    const { recipients } = readRecipients(file, 'skip')
    expect(file.messages.every((message) => message.fatal === false)).toBe(true)
    expect(file.messages).toHaveLength(5)
    expect(recipients).toHaveLength(4)
  })

  it('reads a BOM, CRLF lines and header variants; extra columns become merge fields', () => {
    const file = new VFile({ path: 'list.csv', value: '\uFEFFE-mail,Name,Company\r\nana@example.org,Ana,Acme\r\n' })
    const { recipients } = readRecipients(file)
    expect(file.messages).toEqual([])
    expect(recipients[0]).toEqual({
      email: 'ana@example.org',
      key: 'ana@example.org',
      name: 'Ana',
      line: 2,
      fields: { 'E-mail': 'ana@example.org', Name: 'Ana', Company: 'Acme', email: 'ana@example.org', name: 'Ana' }
    })
  })

  it('needs an email column, warns without a name column, and positions CSV syntax errors', () => {
    const noEmail = new VFile({ path: 'a.csv', value: 'name,city\nAna,Oslo\n' })
    expect(readRecipients(noEmail).recipients).toEqual([])
    expect(messages(noEmail)).toEqual(['1:1: error Unexpected header `name,city`, expected an `email` column (recipients-header)'])
    const noName = new VFile({ path: 'b.csv', value: 'email\nana@example.org\n' })
    expect(readRecipients(noName).recipients).toHaveLength(1)
    expect(messages(noName)[0]).toMatch(/^1:1: warning Unexpected header without a `name` column/)
    const broken = new VFile({ path: 'c.csv', value: 'email,name\nana@example.org,"Ana\nbo@example.org,Bo\n' })
    readRecipients(broken)
    expect(messages(broken)[0]).toMatch(/^\d+:1: error Unexpected CSV: Quote Not Closed/)
  })

  it('tells addresses from non-addresses', () => {
    for (const good of ['a@example.org', 'first.last+tag@sub.example.co.uk', "o'neil@example.ie"]) expect(isAddress(good), good).toBe(true)
    for (const bad of [
      'a@localhost',
      'a@@example.org',
      '.a@example.org',
      'a.@example.org',
      'a b@example.org',
      'a@-example.org',
      'a@example'
    ])
      expect(isAddress(bad), bad).toBe(false)
  })
})
