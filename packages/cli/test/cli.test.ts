import { cp, mkdtemp, mkdir, readFile, rm, writeFile, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Io } from '../src/index.js'
import { main } from '../src/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
let project: string

/** Run `masthead …` in-process against the temporary project, capturing its output. */
async function run(args: string[], cwd = project) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const io: Io = { stdout, stderr, cwd, env: {}, tty: false }
  const code = await main(args, io)
  return { code, out, err }
}

const FM = '---\ntitle: T\nissue: 1\ndate: 2021-04-30\nlang: en\npublisher: P\n---\n\n'

beforeAll(async () => {
  project = await mkdtemp(path.join(os.tmpdir(), 'masthead-cli-'))
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await mkdir(path.join(project, 'issues/good'), { recursive: true })
  await writeFile(path.join(project, 'issues/good/issue.md'), FM + ':::news[News]\n## A story\nsource: Reuters\n\nText.\n:::\n')
  await mkdir(path.join(project, 'issues/broken'), { recursive: true })
  await writeFile(path.join(project, 'issues/broken/issue.md'), FM + ':::newz[News]\n## A\n:::\n')
})

afterAll(async () => {
  await rm(project, { recursive: true, force: true })
})

describe('masthead --help and --version', () => {
  it('prints help listing the commands, exit 0', async () => {
    const { code, out } = await run(['--help'])
    expect(code).toBe(0)
    expect(out).toContain('Usage: masthead')
    expect(out).toMatch(/check \[options\] \[issue\.\.\.\]/)
    expect(out).toMatch(/build \[options\] \[issue\.\.\.\]/)
  })

  it('prints each command’s help', async () => {
    const { code, out } = await run(['check', '--help'])
    expect(code).toBe(0)
    expect(out).toContain('--format <format>')
  })

  it('prints the version', async () => {
    const { code, out } = await run(['--version'])
    expect(code).toBe(0)
    expect(out.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })

  it('exits 2 on an unknown command or option', async () => {
    expect((await run(['bulid'])).code).toBe(2)
    expect((await run(['check', '--nope'])).code).toBe(2)
  })
})

describe('masthead check', () => {
  it('passes a clean issue with exit 0', async () => {
    const { code, err } = await run(['check', 'good'])
    expect(err).toMatch(/issues\/good\/issue\.md  info     Email HTML is [\d.]+ KB in `full` mode \(limit 102 KB\)/)
    expect(err).not.toMatch(/error|warning/)
    expect(err).toMatch(/No problems found\.\n$/)
    expect(code).toBe(0)
  })

  it('reports a broken issue as file:line:column and exits 1', async () => {
    const { code, err } = await run(['check', 'broken'])
    expect(code).toBe(1)
    expect(err).toContain('issues/broken/issue.md:9:1  error    Unknown section type `newz`, expected one of `article`, `contacts`, `milestones`, `news`, or `viewpoints` (did you mean `news`?)  unknown-section-type  masthead:parse')
    expect(err).toMatch(/1 error\n$/)
  })

  it('prints JSON with --format json', async () => {
    const { code, out } = await run(['check', '--format', 'json'])
    expect(code).toBe(1)
    const data = JSON.parse(out) as { ok: boolean; errors: number; warnings: number; messages: Array<Record<string, unknown>> }
    expect(data.ok).toBe(false)
    expect(data.errors).toBe(1)
    expect(data.messages.filter((message) => message.file === 'issues/broken/issue.md')).toEqual([
      {
        file: 'issues/broken/issue.md',
        line: 9,
        column: 1,
        endLine: 9,
        endColumn: 8,
        severity: 'error',
        message: 'Unknown section type `newz`, expected one of `article`, `contacts`, `milestones`, `news`, or `viewpoints` (did you mean `news`?)',
        ruleId: 'unknown-section-type',
        source: 'masthead:parse'
      }
    ])
  })

  it('exits 2 for an issue that does not exist', async () => {
    const { code, err } = await run(['check', 'nope'])
    expect(code).toBe(2)
    expect(err).toBe('masthead: Unknown issue `nope`, expected one of `broken`, `good` or a path to an issue folder\n')
  })

  it('exits 2 outside a project', async () => {
    const { code, err } = await run(['check'], os.tmpdir())
    expect(code).toBe(2)
    expect(err).toMatch(/^masthead: Not inside a Masthead project/)
  })
})

describe('masthead build', () => {
  it('writes dist/<issue>/issue.json for a good issue', async () => {
    const { code } = await run(['build', 'good'])
    expect(code).toBe(0)
    const model = JSON.parse(await readFile(path.join(project, 'dist/good/issue.json'), 'utf8')) as { slug: string; sections: Array<{ type: string; items: Array<{ fields: unknown }> }> }
    expect(model.slug).toBe('good')
    expect(model.sections[0]!.type).toBe('news')
    expect(model.sections[0]!.items[0]!.fields).toEqual({ source: 'Reuters' })
  })

  it('writes nothing for a broken issue and leaves the previous outputs byte for byte', async () => {
    const before = await readFile(path.join(project, 'dist/good/issue.json'))
    const source = path.join(project, 'issues/good/issue.md')
    const good = await readFile(source, 'utf8')
    await writeFile(source, good.replace(':::news', ':::newz'))
    try {
      const { code, err } = await run(['build', 'good'])
      expect(code).toBe(1)
      expect(err).toContain('✗ good: not built')
      expect(await readFile(path.join(project, 'dist/good/issue.json'))).toEqual(before)
      await expect(stat(path.join(project, 'dist/broken'))).rejects.toThrow()
    } finally {
      await writeFile(source, good)
    }
  })
})
