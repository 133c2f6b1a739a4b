import { describe, expect, it } from 'vitest'
import { PLATFORMS, exportEdition, personalize, translateMergeTags, withGreeting } from '../src/index.js'
import { SECRET, testEdition, testRecipients } from './edition.js'

const mixed =
  'Prefs: *|UPDATE_PROFILE|* · web: *|ARCHIVE|* · mail: {{ .Subscriber.Email }} · odd: *|MC:SUBJECT|* · [unsubscribe] · {{ city }}'

describe('translateMergeTags', () => {
  it('keeps a target’s own tags, turns known foreign ones into Masthead fields, reports the rest', () => {
    const mailchimp = translateMergeTags(mixed, 'mailchimp')
    expect(mailchimp.text).toBe(
      'Prefs: *|UPDATE_PROFILE|* · web: *|ARCHIVE|* · mail: {{ email }} · odd: *|MC:SUBJECT|* · {{ unsubscribe_url }} · {{ city }}'
    )
    expect(mailchimp.foreign.map((tag) => [tag.tag, tag.field])).toEqual([
      ['{{ .Subscriber.Email }}', 'email'],
      ['[unsubscribe]', 'unsubscribe_url']
    ])
    const smtp = translateMergeTags(mixed, 'smtp')
    expect(smtp.text).toBe(
      'Prefs: {{ update_profile_url }} · web: {{ archive_url }} · mail: {{ email }} · odd: *|MC:SUBJECT|* · {{ unsubscribe_url }} · {{ city }}'
    )
    expect(smtp.foreign.filter((tag) => tag.field === undefined)).toEqual([
      { tag: '*|MC:SUBJECT|*', platform: 'Mailchimp', field: undefined }
    ])
  })

  it('writes each export in its platform’s tags', () => {
    const edition = testEdition({ html: `<p>${mixed}</p>`, text: mixed })
    const listmonk = exportEdition(edition, PLATFORMS.listmonk, false)
    expect(listmonk.text).toBe(
      'Prefs: {{ ManageURL }} · web: {{ MessageURL }} · mail: {{ .Subscriber.Email }} · odd: *|MC:SUBJECT|* · {{ UnsubscribeURL }} · {{ .Subscriber.Attribs.city }}'
    )
    expect(listmonk.foreign.filter((tag) => tag.field === undefined).map((tag) => tag.tag)).toEqual(['*|MC:SUBJECT|*'])
    const generic = exportEdition(edition, PLATFORMS.generic, false)
    expect(generic.text).toContain('Prefs: {{update_profile_url}} · web: {{archive_url}} · mail: {{email}}')
    const mailchimp = exportEdition(edition, PLATFORMS.mailchimp, false)
    expect(mailchimp.text).toBe(
      'Prefs: *|UPDATE_PROFILE|* · web: *|ARCHIVE|* · mail: *|EMAIL|* · odd: *|MC:SUBJECT|* · *|UNSUB|* · *|CITY|*'
    )
  })

  it('fills known tags per recipient in an SMTP send', () => {
    const edition = withGreeting(
      testEdition({
        html: '<p>x</p>',
        text: 'Hi *|FNAME|* *|LNAME|*, prefs *|UPDATE_PROFILE|*, web *|ARCHIVE|*, {{ UnsubscribeURL }}',
        webUrl: 'https://example.org/12/'
      }),
      false
    ).edition
    const recipient = { ...testRecipients(1)[0]!, fields: { FName: 'Ana', surname: 'Ruiz' } }
    const message = personalize(edition, recipient, {
      unsubscribeUrl: 'https://example.org/u/{{ token }}',
      secret: SECRET,
      greeting: false
    })
    expect(message.text).toBe(`Hi Ana Ruiz, prefs ${message.unsubscribeUrl}, web https://example.org/12/, ${message.unsubscribeUrl}`)
    expect(message.unknown).toEqual([])
  })
})
