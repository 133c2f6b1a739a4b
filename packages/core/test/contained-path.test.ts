import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { decodeUrlPath, encodeUrlPath, isInside, realPathInside, realPathInsideAsync } from '../src/contained-path.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'masthead-contained-'))
const issue = path.join(root, 'issue')
mkdirSync(issue)
writeFileSync(path.join(issue, 'a%20b.png'), 'inside')
writeFileSync(path.join(root, 'secret.png'), 'outside')
symlinkSync(path.join(root, 'secret.png'), path.join(issue, 'a b.png'))
symlinkSync(path.join(issue, 'a%20b.png'), path.join(issue, 'alias.png'))

describe('contained paths', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('isInside compares paths, not prefixes', () => {
    expect(isInside('/a/b', '/a/b')).toBe(true)
    expect(isInside('/a/b', '/a/b/c')).toBe(true)
    expect(isInside('/a/b', '/a/b/..c')).toBe(true)
    expect(isInside('/a/b', '/a/bc')).toBe(false)
    expect(isInside('/a/b', '/a')).toBe(false)
    expect(isInside('/a/b', '/a/b/../c')).toBe(false)
  })

  it('decodes once, and refuses encoded separators and NUL', () => {
    expect(decodeUrlPath('a%2520b.png')).toEqual({ path: 'a%20b.png' })
    expect(decodeUrlPath('%E7%85%A7.jpg')).toEqual({ path: '照.jpg' })
    expect(decodeUrlPath('..%2Fsecret.png')).toHaveProperty('error')
    expect(decodeUrlPath('a%5Cb')).toHaveProperty('error')
    expect(decodeUrlPath('a%00b')).toHaveProperty('error')
    expect(decodeUrlPath('a%zzb')).toEqual({ error: 'a malformed `%` escape' })
  })

  it('encodes so that one decoding gives the path back', () => {
    for (const file of ['a%20b.png', 'x#y?.png', 'images/照片 1.jpg', '100%.png']) {
      expect(decodeUrlPath(encodeUrlPath(file))).toEqual({ path: file })
    }
  })

  it('follows symlinks before deciding, sync and async alike', async () => {
    for (const check of [realPathInside, realPathInsideAsync]) {
      expect(await check(path.join(issue, 'a%20b.png'), [issue])).toEqual({ inside: true, real: path.join(issue, 'a%20b.png') })
      expect(await check(path.join(issue, 'alias.png'), [issue])).toEqual({ inside: true, real: path.join(issue, 'a%20b.png') })
      expect(await check(path.join(issue, 'a b.png'), [issue])).toEqual({
        inside: false,
        real: path.join(root, 'secret.png'),
        reason: 'outside'
      })
      expect(await check(path.join(issue, 'missing.png'), [issue])).toEqual({ inside: false, real: undefined, reason: 'missing' })
      expect(await check(path.join(issue, 'a b.png'), [issue, root])).toMatchObject({ inside: true })
    }
  })
})
