import { describe, expect, it } from 'vitest'
import { buildEmail } from '../src/index.js'
import { findActiveContent } from '../src/find-active-content.js'
import { parseEmailHtml } from '../src/email-transforms.js'
import { buildIssueEmail, sampleIssue } from './sample.js'

describe('findActiveContent', () => {
  it('finds scripts, event handlers and javascript: URLs, however they are spelled', () => {
    const $ = parseEmailHtml(
      '<table><tr><td><SCRIPT>alert(1)</SCRIPT><a href=" JavaScript:alert(2)" OnMouseOver="x()">a</a>' +
        '<a href="javascript&#58;alert(3)">b</a><img src="vbscript:msgbox"><iframe src="https://x.test/"></iframe>' +
        '<a href="https://example.org/">fine</a><img src="cid:photo" alt="javascript: is only text here"></td></tr></table>'
    )
    expect(findActiveContent($)).toEqual([
      '`<script>` element',
      '`JavaScript:` URL in `href` on `<a>`',
      '`onmouseover` attribute on `<a>`',
      '`javascript:` URL in `href` on `<a>`',
      '`vbscript:` URL in `src` on `<img>`',
      '`<iframe>` element'
    ])
  })
})

describe('merge tags, which go back into the HTML unescaped', () => {
  it("are never HTML: an editor's `{{<img onerror>}}` is escaped text, and a tag with a handler is an error", async () => {
    const issue = await sampleIssue('2025-06-harbour-notes')
    const item = issue.sections.find((section) => section.items.length > 0)!.items[0]!
    item.headline = 'Hello {{<img src=x onerror=alert(1)>}} and {{ .Subscriber.FirstName }}'
    const email = await buildIssueEmail(issue)
    expect(/Hello [^<]*FirstName }}/.exec(email.html)?.[0]).toBe(
      'Hello {{&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;}} and {{ .Subscriber.FirstName }}'
    )
    expect(email.files.flatMap((file) => file.messages).filter((message) => message.fatal)).toEqual([])
    // A URL field passes the parser with any characters but spaces; in an href, a quote ends the attribute.
    item.fields.link = 'https://example.org/{{a"onmouseover="alert(1)}}'
    const broken = await buildIssueEmail(issue)
    expect(
      broken.files
        .flatMap((file) => file.messages)
        .filter((message) => message.ruleId === 'email-active-content')
        .map((message) => message.reason)
    ).toEqual([
      'Unexpected `onmouseover` attribute on `<a>` in the email HTML, expected no scripts, event handlers or `javascript:` URLs (mail clients drop them and spam filters penalise them); remove it from the email templates or the merge tags'
    ])
  }, 30_000)
})

describe('an email template that adds active content', () => {
  it('fails the build with one error per finding', async () => {
    const issue = await sampleIssue('2025-06-harbour-notes')
    const mjml =
      '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text><mj-raw><script>track()</script><a href="javascript:void(0)" onclick="x()">x</a></mj-raw></mj-column></mj-section></mj-body></mjml>'
    const email = await buildEmail({ issue, mjml })
    const reasons = email.files.flatMap((file) =>
      file.messages.filter((message) => message.ruleId === 'email-active-content').map((message) => [message.fatal, message.reason])
    )
    const tail =
      ' in the email HTML, expected no scripts, event handlers or `javascript:` URLs (mail clients drop them and spam filters penalise them); remove it from the email templates or the merge tags'
    expect(reasons).toEqual([
      [true, 'Unexpected `<script>` element' + tail],
      [true, 'Unexpected `javascript:` URL in `href` on `<a>`' + tail],
      [true, 'Unexpected `onclick` attribute on `<a>`' + tail]
    ])
  }, 30_000)
})
