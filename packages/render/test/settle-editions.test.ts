import { VFile, addError, warn } from '@masthead/core'
import { describe, expect, it } from 'vitest'
import type { BuildResult } from '../src/index.js'
import { settleEditions } from '../src/index.js'

const outputs = () =>
  new Map<string, string>([
    ['issue.json', '{}'],
    ['print.html', 'p'],
    ['print.pdf', '%PDF'],
    ['email.html', 'e'],
    ['email.txt', 't'],
    ['email.eml', 'm']
  ])

function result(): { result: BuildResult; source: VFile; print: VFile; email: VFile } {
  const source = new VFile({ path: '/x/issue.md' })
  const print = new VFile({ path: '/x/issue.md' })
  const email = new VFile({ path: '/x/issue.md' })
  return {
    source,
    print,
    email,
    result: {
      slug: 'x',
      issue: undefined,
      files: [source, print, email],
      outputs: outputs(),
      editionFiles: { print: [print], email: [email] }
    }
  }
}

describe('settleEditions', () => {
  it('keeps the other editions when one fails, and says which and why', () => {
    const { result: built, email } = result()
    addError(email, 'Unexpected email HTML of 119 KB', { ruleId: 'email-size', source: 's' })
    const settled = settleEditions(built)
    expect([...settled.outputs.keys()]).toEqual(['issue.json', 'print.html', 'print.pdf'])
    expect(settled.failed).toEqual([{ edition: 'email', reason: 'Unexpected email HTML of 119 KB' }])
    expect(settled.refused).toBe(false)
  })

  it('writes nothing when the source has errors, or when every edition failed', () => {
    const first = result()
    addError(first.source, 'bad', { ruleId: 'r', source: 's' })
    expect(settleEditions(first.result)).toEqual({ outputs: new Map(), failed: [], refused: true })
    const second = result()
    addError(second.print, 'no print', { ruleId: 'r', source: 's' })
    addError(second.email, 'no email', { ruleId: 'r', source: 's' })
    expect(settleEditions(second.result).refused).toBe(true)
  })

  it("counts an edition's warnings as failures only when strict", () => {
    const { result: built, print } = result()
    warn(print, 'fallback font', { ruleId: 'missing-glyph', source: 's' })
    expect(settleEditions(built).failed).toEqual([])
    expect(settleEditions(built, true).failed).toEqual([{ edition: 'print', reason: 'fallback font' }])
    expect([...settleEditions(built, true).outputs.keys()]).toEqual(['issue.json', 'email.html', 'email.txt', 'email.eml'])
  })
})
