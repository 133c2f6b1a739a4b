import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSample, root } from './sample.js'

/** ASCII punctuation touching a Chinese character (`中文, 中文`, `标签: 值`), where Chinese writes ，、：；. */
const ASCII_IN_CHINESE = /[\u3400-\u9fff][,:;] ?.|.[,;] ?[\u3400-\u9fff]/gu

describe('the Chinese text part', () => {
  it.each(['full', 'digest'] as const)(
    'puts Chinese punctuation (，、：) between Chinese words in %s mode; ASCII only where the editor wrote it',
    async (mode) => {
      const slug = '2021-green-silk-road'
      const source = await readFile(path.join(root, 'issues', slug, 'issue.md'), 'utf8')
      const { email } = await buildSample(slug, { mode, unsubscribeUrl: 'https://example.org/u' }, (issue) => ({
        ...issue,
        meta: { ...issue.meta, url: 'https://example.org/zh/' }
      }))
      const text = email.text.replace(/https?:\/\/\S+/g, '')
      const generated = [...text.matchAll(ASCII_IN_CHINESE)].map((match) => match[0]).filter((snippet) => !source.includes(snippet))
      expect(generated).toEqual([])
      // The labels and lists the text templates write: 来源：…, 联系人：…, 兰燕、彭宁.
      expect(email.text).toMatch(/(来源|联系人|电话)：/)
    }
  )
})
