import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { MESSAGES_DOC, VFile, messageUrl, warn } from '../src/index.js'

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * The ways a rule id is written in the source: `ruleId: 'x'` (or `ruleId = 'x'`), the pdf
 * package's `pdfDiagnostic('x', …)` and its `PdfRuleId` union, and the helpers that take the
 * rule id last (`report(reason, 'x')` in parse, `bad(reason, 'x')` and `problem(reason, 'x')` in
 * send, `makeFile(…, 'x', make)`), and parse's `refuse(file, 'x', reason)`; a call may span lines.
 */
// Arguments with parentheses nested two deep (a call in a template literal's parenthesis).
const ARGS = String.raw`(?:[^()]|\((?:[^()]|\([^()]*\))*\))*?`
const ID = String.raw`'([a-z][a-z0-9]*(?:-[a-z0-9]+)+)'`
const PATTERNS = [
  /ruleId\s*(?:[:=]|===)\s*'([a-z0-9-]+)'/g,
  /pdfDiagnostic\(\s*'([a-z0-9-]+)'/g,
  new RegExp(String.raw`\b(?:report|bad|problem)\(${ARGS},\s*${ID}\s*,?\s*\)`, 'g'),
  new RegExp(String.raw`\bmakeFile\(${ARGS}${ID},\s*(?:async\s*)?\(`, 'g'),
  /\brefuse\(\s*\w+,\s*'([a-z][a-z0-9-]*)'/g
]

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true })
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name)
      return entry.isDirectory() ? sourceFiles(full) : Promise.resolve(/\.(ts|js|mjs)$/.test(entry.name) ? [full] : [])
    })
  )
  return nested.flat()
}

/** Every rule id in `packages/<name>/src`, with the first file it is in. */
async function ruleIdsInSource(): Promise<Map<string, string>> {
  const ids = new Map<string, string>()
  const packages = await readdir(path.join(repo, 'packages'))
  for (const name of packages.sort()) {
    for (const file of await sourceFiles(path.join(repo, 'packages', name, 'src'))) {
      const text = await readFile(file, 'utf8')
      const union = file.endsWith('pdf-diagnostic.ts') ? (/export type PdfRuleId =([^/]*)/.exec(text)?.[1] ?? '') : ''
      const found = [...PATTERNS.flatMap((pattern) => [...text.matchAll(pattern)]), ...union.matchAll(/'([a-z0-9-]+)'/g)]
      for (const match of found) if (match[1] && !ids.has(match[1])) ids.set(match[1], path.relative(repo, file))
    }
  }
  return ids
}

describe(MESSAGES_DOC, () => {
  it('lists every rule id the code reports, and no other', async () => {
    const doc = await readFile(path.join(repo, MESSAGES_DOC), 'utf8')
    const documented = new Set([...doc.matchAll(/^### `([a-z0-9-]+)`$/gm)].map((match) => match[1]))
    const source = await ruleIdsInSource()
    expect(source.size).toBeGreaterThan(100)
    const missing = [...source].filter(([id]) => !documented.has(id)).map(([id, file]) => `${id} (${file})`)
    expect(missing, `rule ids missing from ${MESSAGES_DOC}`).toEqual([])
    const stale = [...documented].filter((id) => id !== undefined && !source.has(id))
    expect(stale, `rule ids ${MESSAGES_DOC} lists but no source reports`).toEqual([])
  })

  it('gives each rule an example and a fix', async () => {
    const doc = await readFile(path.join(repo, MESSAGES_DOC), 'utf8')
    for (const section of doc.split(/^(?=### )/m).slice(1)) {
      const [heading = '', ...rest] = section.trim().split('\n')
      const body = rest.join('\n').trimStart()
      expect(body, heading).toMatch(/^```\n.+\n```\n\n\S/)
    }
  })

  it('is where every message links to', () => {
    const file = new VFile()
    expect(warn(file, 'Unexpected `x`', { ruleId: 'unknown-field', source: 'masthead:parse' }).url).toBe('docs/messages.md#unknown-field')
    expect(messageUrl('missing-alt')).toBe(`${MESSAGES_DOC}#missing-alt`)
  })
})
