import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { requestPolicy } from '../src/request-policy.js'

const root = mkdtempSync(path.join(os.tmpdir(), 'masthead-policy-'))
const url = (file: string): string => pathToFileURL(file).href

describe('requestPolicy', () => {
  afterAll(() => rmSync(root, { recursive: true, force: true }))
  const policy = requestPolicy([path.join(root, 'issue'), path.join(root, 'styles')])

  it('allows files inside the roots and data: URLs', () => {
    expect(policy(url(path.join(root, 'issue', 'a.png')))).toEqual({ allowed: true })
    expect(policy(url(path.join(root, 'styles', 'sub', 'print.css')))).toEqual({ allowed: true })
    expect(policy('data:image/png;base64,AAAA')).toEqual({ allowed: true })
  })

  it('blocks the network and files elsewhere', () => {
    expect(policy('http://example.com/x.png')).toMatchObject({ allowed: false, reason: expect.stringContaining('`http:`') })
    expect(policy('https://example.com/x.png').allowed).toBe(false)
    expect(policy('ws://example.com/').allowed).toBe(false)
    expect(policy(url('/etc/passwd'))).toMatchObject({ allowed: false, reason: expect.stringContaining('outside the allowed folders') })
    expect(policy(url(path.join(root, 'issue', '..', 'secret.txt'))).allowed).toBe(false)
    expect(policy(url(path.join(root, 'issues-other', 'a.png'))).allowed).toBe(false)
  })

  it('allows http(s) only to allow-listed origins, scheme and port included', () => {
    const listed = requestPolicy([path.join(root, 'issue')], ['https://fonts.example.org', 'http://127.0.0.1:8080'])
    expect(listed('https://fonts.example.org/css?family=Noto')).toEqual({ allowed: true })
    expect(listed('http://127.0.0.1:8080/logo.png')).toEqual({ allowed: true })
    expect(listed('http://fonts.example.org/css')).toMatchObject({
      allowed: false,
      reason:
        '`http:` requests to `http://fonts.example.org` are not allowed while printing (no network access except to allow-listed origins)'
    })
    expect(listed('https://fonts.example.org.evil.test/x').allowed).toBe(false)
    expect(listed('http://127.0.0.1:8081/logo.png').allowed).toBe(false)
    expect(listed('ws://fonts.example.org/').allowed).toBe(false)
  })

  it('follows symlinks before deciding', () => {
    writeFileSync(path.join(root, 'outside.txt'), 'x')
    const inside = path.join(root, 'link')
    symlinkSync(path.join(root, 'outside.txt'), inside)
    expect(requestPolicy([path.join(root, 'issue'), root])(url(inside)).allowed).toBe(true)
    const onlyIssue = requestPolicy([path.join(root, 'issue')])
    expect(onlyIssue(url(inside)).allowed).toBe(false)
  })
})
