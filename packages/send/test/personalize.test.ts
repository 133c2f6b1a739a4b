import { describe, expect, it } from 'vitest'
import {
  PLATFORMS,
  exportEdition,
  personalize,
  unsubscribeToken,
  unsubscribeUrl,
  verifyUnsubscribeToken,
  withGreeting
} from '../src/index.js'
import { SECRET, testEdition, testRecipients } from './edition.js'

describe('personalize', () => {
  it('fills the greeting, merge fields and the unsubscribe URL, escaping for HTML', () => {
    const { edition, placed } = withGreeting(
      testEdition({ html: testEdition().html.replace('Your city', '{{ Name }} in {{ city }}, {{ nickname }}') }),
      undefined
    )
    expect(placed).toBe(true)
    const recipient = { ...testRecipients(2)[1]!, name: 'Ana <"R">', fields: { email: 'r002@example.org', name: 'Ana <"R">', city: 'A&B' } }
    const message = personalize(edition, recipient, { unsubscribeUrl: 'https://example.org/u/{{ token }}?e={{ email }}', secret: SECRET })
    expect(message.html).toContain(
      '<p class="greeting" style="font-size:16px;line-height:1.6;margin:22px 0 0;">Dear Ana &lt;&quot;R&quot;&gt;,</p>'
    )
    expect(message.html).toContain('Ana &lt;&quot;R&quot;&gt; in A&amp;B, {{ nickname }}')
    expect(message.unknown).toEqual(['nickname'])
    expect(message.unsubscribeUrl).toBe(`https://example.org/u/${unsubscribeToken('r002@example.org', SECRET)}?e=r002%40example.org`)
    expect(message.text).toContain('Dear Ana <"R">,\n\nYour city: A&B')
  })

  it('greets in the issue’s language, without a name when there is none, or not at all', () => {
    const chinese = withGreeting(testEdition({ lang: 'zh-CN' }), undefined).edition
    const [anonymous, named, chineseName] = testRecipients(3)
    const options = { unsubscribeUrl: 'https://example.org/u', secret: SECRET }
    expect(personalize(chinese, chineseName!, options).text).toContain('读者3，您好：')
    expect(personalize(chinese, anonymous!, options).text).toContain('\n您好：\n')
    const custom = withGreeting(testEdition(), { named: 'Hi {{ name }} from {{ city }}!', anonymous: 'Hi!' }).edition
    expect(
      personalize(custom, named!, { ...options, greeting: { named: 'Hi {{ name }} from {{ city }}!', anonymous: 'Hi!' } }).text
    ).toContain('Hi Reader 2 from City 2!')
    const none = withGreeting(testEdition(), false).edition
    expect(personalize(none, named!, { ...options, greeting: false }).html).not.toContain('greeting')
  })

  it('makes tokens only the secret can make', () => {
    const token = unsubscribeToken('Ana@Example.org', SECRET)
    expect(token).toMatch(/^[\w-]{43}$/)
    expect(verifyUnsubscribeToken('ana@example.org', token, SECRET)).toBe(true)
    expect(verifyUnsubscribeToken('bo@example.org', token, SECRET)).toBe(false)
    expect(verifyUnsubscribeToken('ana@example.org', unsubscribeToken('ana@example.org', 'another-secret-0123456789'), SECRET)).toBe(false)
    expect(() => unsubscribeToken('a@example.org', 'short')).toThrow(/at least 16/)
    expect(unsubscribeUrl('https://example.org/unsub?list=7', 'a@example.org', 'T')).toBe(
      'https://example.org/unsub?list=7&email=a%40example.org&token=T'
    )
  })
})

describe('exportEdition', () => {
  it('writes each platform’s merge tags for the greeting, name and unsubscribe link', () => {
    const mailchimp = exportEdition(testEdition(), PLATFORMS.mailchimp)
    expect(mailchimp.html).toContain('>*|IF:FNAME|*Dear *|FNAME|*,*|ELSE:|*Hello,*|END:IF|*</p>')
    expect(mailchimp.html).toContain('<a href="*|UNSUB|*">Unsubscribe</a>')
    expect(mailchimp.html).toContain('Your city: *|CITY|*')
    expect(mailchimp.text).toContain('Unsubscribe: *|UNSUB|*')
    const listmonk = exportEdition(testEdition(), PLATFORMS.listmonk)
    expect(listmonk.html).toContain('{{ if .Subscriber.Name }}Dear {{ .Subscriber.Name }},{{ else }}Hello,{{ end }}')
    expect(listmonk.html).toContain('<a href="{{ UnsubscribeURL }}">')
    expect(listmonk.text).toContain('Your city: {{ .Subscriber.Attribs.city }}')
    const generic = exportEdition(testEdition({ lang: 'zh-CN' }), PLATFORMS.generic)
    expect(generic.text).toContain('{{#if name}}{{name}}，您好：{{else}}您好：{{/if}}')
    expect(generic.html).toContain('<a href="{{unsubscribe_url}}">')
    expect(generic.html).not.toMatch(/\{\{ \w+ \}\}/)
  })
})
