import { describe, expect, it } from 'vitest'
import { dropMergeTags } from '../src/drop-merge-tags.js'

describe('dropMergeTags', () => {
  it('leaves out paragraphs with a merge tag, in the HTML and the text', () => {
    const content = {
      html: '<p>We write it for you.</p>\n<p>Reply or update your preferences: *|UPDATE_PROFILE|*</p>\n<p>Thanks.</p>',
      text: 'We write it for you.\n\nReply or update your preferences: *|UPDATE_PROFILE|*\n\nThanks.'
    }
    expect(dropMergeTags(content)).toEqual({
      html: '<p>We write it for you.</p>\n<p>Thanks.</p>',
      text: 'We write it for you.\n\nThanks.'
    })
  })

  it('returns content without merge tags as it is', () => {
    const content = { html: '<p>a *b* | c</p>', text: 'a *b* | c' }
    expect(dropMergeTags(content)).toBe(content)
  })
})
