import { describe, expect, it } from 'vitest'
import { buildEmail } from '../src/index.js'
import { findActiveContent } from '../src/find-active-content.js'
import { parseEmailHtml } from '../src/email-transforms.js'
import { sampleIssue } from './sample.js'

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

describe('an email template that adds active content', () => {
  it('fails the build with one error per finding', async () => {
    const issue = await sampleIssue('2025-06-harbour-notes')
    const mjml = '<mjml><mj-body><mj-section><mj-column><mj-text>Hi</mj-text><mj-raw><script>track()</script><a href="javascript:void(0)" onclick="x()">x</a></mj-raw></mj-column></mj-section></mj-body></mjml>'
    const email = await buildEmail({ issue, mjml })
    const reasons = email.files.flatMap((file) => file.messages.filter((message) => message.ruleId === 'email-active-content').map((message) => [message.fatal, message.reason]))
    const tail = ' in the email HTML, expected no scripts, event handlers or `javascript:` URLs (mail clients drop them and spam filters penalise them); remove it from the email templates'
    expect(reasons).toEqual([
      [true, 'Unexpected `<script>` element' + tail],
      [true, 'Unexpected `javascript:` URL in `href` on `<a>`' + tail],
      [true, 'Unexpected `onclick` attribute on `<a>`' + tail]
    ])
  }, 30_000)
})
