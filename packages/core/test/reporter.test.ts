import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { VFile, addError, hasErrors, info, list, pointAt, report, toJson, warn } from '../src/index.js'

const cwd = '/project'
function sample() {
  const file = new VFile({ path: path.join(cwd, 'issues/x/issue.md'), value: 'a\nb\n' })
  warn(file, 'Unexpected empty section `news`', {
    ruleId: 'empty-section',
    source: 'masthead:parse',
    place: { start: { line: 14, column: 1 }, end: { line: 22, column: 4 } }
  })
  addError(file, 'Unknown section type `newz`', {
    ruleId: 'unknown-section-type',
    source: 'masthead:parse',
    place: { line: 12, column: 3 }
  })
  return file
}

describe('report', () => {
  it('groups by file and prints file:line:column on every line, errors first by position', () => {
    expect(report([sample()], { cwd })).toBe(
      [
        'issues/x/issue.md',
        '  issues/x/issue.md:12:3  error    Unknown section type `newz`  unknown-section-type  masthead:parse',
        '  issues/x/issue.md:14:1  warning  Unexpected empty section `news`  empty-section  masthead:parse',
        '',
        '1 error, 1 warning'
      ].join('\n')
    )
  })

  it('prints only errors when quiet, and nothing for clean files', () => {
    expect(report([sample()], { cwd, quiet: true })).not.toContain('warning  ')
    expect(report([new VFile({ path: '/project/a.md' })], { cwd })).toBe('')
  })

  it('keeps warnings that say content was dropped or changed when quiet', () => {
    const file = sample()
    warn(file, 'Unexpected field `rloe`', {
      ruleId: 'unknown-field',
      source: 'masthead:parse',
      place: { line: 20, column: 1 },
      changesContent: true
    })
    const quiet = report([file], { cwd, quiet: true })
    expect(quiet).toContain('issues/x/issue.md:20:1  warning  Unexpected field `rloe`')
    expect(quiet).not.toContain('empty section')
    expect(toJson([file], cwd).find((message) => message.ruleId === 'unknown-field')?.changesContent).toBe(true)
  })

  it('colours only when asked', () => {
    expect(report([sample()], { cwd, color: true })).toContain('\u001B[31merror')
    expect(report([sample()], { cwd })).not.toContain('\u001B[')
  })

  it("ends each line with the message's documentation link in a terminal, not in piped output", () => {
    const lines = report([sample()], { cwd, color: true }).split('\n')
    expect(lines[1]).toContain('unknown-section-type  masthead:parse  docs/messages.md#unknown-section-type\u001B[39m')
    expect(lines[2]).toContain('empty-section  masthead:parse  docs/messages.md#empty-section\u001B[39m')
    expect(report([sample()], { cwd })).not.toContain('docs/messages.md')
  })
})

describe('toJson', () => {
  it('gives every message with its range and severity', () => {
    expect(toJson([sample()], cwd)).toEqual([
      {
        file: 'issues/x/issue.md',
        line: 12,
        column: 3,
        endLine: null,
        endColumn: null,
        severity: 'error',
        message: 'Unknown section type `newz`',
        ruleId: 'unknown-section-type',
        source: 'masthead:parse',
        url: 'docs/messages.md#unknown-section-type'
      },
      {
        file: 'issues/x/issue.md',
        line: 14,
        column: 1,
        endLine: 22,
        endColumn: 4,
        severity: 'warning',
        message: 'Unexpected empty section `news`',
        ruleId: 'empty-section',
        source: 'masthead:parse',
        url: 'docs/messages.md#empty-section'
      }
    ])
  })
})

describe('diagnostics helpers', () => {
  it('tells errors from warnings and hints, and strict mode counts warnings', () => {
    const file = new VFile()
    info(file, 'hint', { ruleId: 'x', source: 'y' })
    expect(hasErrors([file])).toBe(false)
    warn(file, 'warning', { ruleId: 'x', source: 'y' })
    expect(hasErrors([file])).toBe(false)
    expect(hasErrors([file], true)).toBe(true)
    const error = addError(file, 'error', { ruleId: 'x', source: 'y' })
    expect(hasErrors([file])).toBe(true)
    expect(error.fatal).toBe(true)
    expect(error.url).toBe('docs/messages.md#x')
    expect(file.messages).toHaveLength(3)
  })

  it('lists values in backticks', () => {
    expect(list(['a'])).toBe('`a`')
    expect(list(['a', 'b', 'c'])).toBe('`a`, `b`, or `c`')
  })

  it('turns offsets into 1-based points', () => {
    expect(pointAt('ab\ncd', 4)).toEqual({ line: 2, column: 2, offset: 4 })
    expect(pointAt('ab', 0)).toEqual({ line: 1, column: 1, offset: 0 })
  })
})
