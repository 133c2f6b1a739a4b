import { describe, expect, it } from 'vitest'
import { absoluteUrl, anchorUrl, editionUrl } from '../src/index.js'

describe('the site’s addresses', () => {
  it('puts an issue’s web edition in its folder under the site, with one slash between', () => {
    expect(editionUrl('https://news.example.org', '2025-06')).toBe('https://news.example.org/2025-06/')
    expect(editionUrl('https://news.example.org/letters//', '2021 绿色')).toBe(
      'https://news.example.org/letters/2021%20%E7%BB%BF%E8%89%B2/'
    )
  })

  it('names an item by its id as the fragment, replacing any fragment already there', () => {
    expect(anchorUrl('https://news.example.org/2025-06/', 'news-1-2')).toBe('https://news.example.org/2025-06/#news-1-2')
    expect(anchorUrl('https://news.example.org/2025-06/#top', 'shore power')).toBe('https://news.example.org/2025-06/#shore%20power')
  })

  it('makes relative links and fragments absolute, and leaves absolute links, mailto:, tel: and merge tags alone', () => {
    const base = 'https://news.example.org/2025-06/'
    expect(absoluteUrl('../2025-05/', base)).toBe('https://news.example.org/2025-05/')
    expect(absoluteUrl('print.pdf', base)).toBe('https://news.example.org/2025-06/print.pdf')
    expect(absoluteUrl('#news-1-2', base)).toBe('https://news.example.org/2025-06/#news-1-2')
    for (const href of ['https://example.org/x', 'mailto:a@example.org', 'tel:+441632960412', '*|ARCHIVE|*', '{{ UnsubscribeURL }}', ''])
      expect(absoluteUrl(href, base)).toBe(href)
  })
})
