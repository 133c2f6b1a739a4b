import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Issue } from '@masthead/core'
import { describe, expect, it } from 'vitest'
import { createInputHasher, linkToWebEdition, openProject, projectPaths, webEditionUrl } from '../src/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** An issue with one item whose text links relatively, by fragment and absolutely. */
function issue(url?: string): Issue {
  const position = { start: { line: 1, column: 1 }, end: { line: 2, column: 1 } }
  return {
    slug: '2025-06',
    dir: '/x/issues/2025-06',
    source: '/x/issues/2025-06/issue.md',
    meta: {
      title: 'T',
      issue: '1',
      date: { iso: '2025-06-01', year: 2025, month: 6, day: 1 },
      lang: 'en',
      publisher: 'P',
      keywords: [],
      editions: { print: { size: 'A4', bleed: false }, email: { mode: 'digest' } },
      ...(url ? { url } : {})
    },
    sections: [
      {
        id: 'news-1',
        type: 'news',
        title: 'News',
        fields: {},
        entries: [],
        parts: [],
        position,
        intro: { html: '<p>See <a href="../2025-05/">last month</a>.</p>', text: 'See last month.' },
        items: [
          {
            id: 'news-1-1',
            fields: {},
            images: [],
            position,
            body: {
              html: '<p><a href="#news-1-2">below</a>, <a href="https://example.org/a?b=1&#x26;c=2">elsewhere</a>, <a href="mailto:a@example.org">mail</a></p>',
              text: 'below, elsewhere, mail'
            },
            links: [
              { url: '#news-1-2', text: 'below' },
              { url: 'https://example.org/a?b=1&c=2', text: 'elsewhere' }
            ]
          }
        ]
      }
    ]
  }
}

describe('linkToWebEdition', () => {
  it('prefers site.url, else the frontmatter url', () => {
    expect(webEditionUrl(issue('https://old.example.org/12/'), 'https://news.example.org/')).toBe('https://news.example.org/2025-06/')
    expect(webEditionUrl(issue('https://old.example.org/12/'), undefined)).toBe('https://old.example.org/12/')
    expect(webEditionUrl(issue(), undefined)).toBeUndefined()
  })

  it('points meta.url at the web edition and makes every relative link of the text absolute against it', () => {
    const linked = linkToWebEdition(issue(), 'https://news.example.org/2025-06/')
    expect(linked.meta.url).toBe('https://news.example.org/2025-06/')
    expect(linked.sections[0]!.intro.html).toBe('<p>See <a href="https://news.example.org/2025-05/">last month</a>.</p>')
    expect(linked.sections[0]!.items[0]!.body.html).toBe(
      '<p><a href="https://news.example.org/2025-06/#news-1-2">below</a>, <a href="https://example.org/a?b=1&#x26;c=2">elsewhere</a>, <a href="mailto:a@example.org">mail</a></p>'
    )
    expect(linked.sections[0]!.items[0]!.links.map((link) => link.url)).toEqual([
      'https://news.example.org/2025-06/#news-1-2',
      'https://example.org/a?b=1&c=2'
    ])
  })

  it('returns the issue as it is without an address', () => {
    const plain = issue()
    expect(linkToWebEdition(plain, undefined)).toBe(plain)
  })
})

describe('createInputHasher', () => {
  it('changes the hash of an issue when its folder, a template, a style or the settings change, and of no other issue', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'masthead-hash-'))
    try {
      for (const folder of ['templates', 'styles']) await cp(path.join(root, folder), path.join(dir, folder), { recursive: true })
      for (const slug of ['a', 'b'])
        await cp(path.join(root, 'issues', '2025-06-harbour-notes'), path.join(dir, 'issues', slug), { recursive: true })
      const project = await openProject(projectPaths(dir))
      const hashes = async (settings: unknown = { editions: ['print'] }) => {
        const hasher = createInputHasher(project, settings)
        return [await hasher.hash('a'), await hasher.hash('b')]
      }
      const first = await hashes()
      expect(first[0]).toMatch(/^[0-9a-f]{64}$/)
      expect(await hashes()).toEqual(first)
      await writeFile(path.join(dir, 'issues', 'a', 'images', 'new.png'), 'not really a picture')
      const afterImage = await hashes()
      expect(afterImage[0]).not.toBe(first[0])
      expect(afterImage[1]).toBe(first[1])
      // Dot-files (an editor's swap file, the output lock) are not inputs.
      await writeFile(path.join(dir, 'issues', 'b', '.issue.md.swp'), 'x')
      expect((await hashes())[1]).toBe(first[1])
      await writeFile(path.join(dir, 'styles', 'web.css'), '/* changed */', { flag: 'a' })
      const afterStyle = await hashes()
      expect(afterStyle[0]).not.toBe(afterImage[0])
      expect(afterStyle[1]).not.toBe(afterImage[1])
      expect((await hashes({ editions: ['print', 'web'] }))[1]).not.toBe(afterStyle[1])
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
