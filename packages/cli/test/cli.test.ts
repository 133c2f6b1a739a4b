import { execFileSync } from 'node:child_process'
import { cp, mkdtemp, mkdir, readFile, rm, writeFile, stat } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from './run-main.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
let project: string

/** Run `masthead …` in-process against the temporary project, capturing its output. */
const run = (args: string[], cwd = project) => runMain(args, cwd)

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
    const config = path.join(project, 'masthead.config.json')
    await writeFile(config, JSON.stringify({ email: { unsubscribeUrl: '*|UNSUB|*' } }))
    try {
      const { code, err } = await run(['check', 'good'])
      expect(err).toMatch(/issues\/good\/issue\.md  info     Email HTML is [\d.]+ KB in `full` mode \(limit 102 KB\)/)
      expect(err).not.toMatch(/error|warning/)
      expect(err).toMatch(/No problems found\.\n$/)
      expect(code).toBe(0)
    } finally {
      await rm(config)
    }
  })

  it('warns once when no unsubscribe URL is configured, and --strict fails on it', async () => {
    const { code, err } = await run(['check', 'good'])
    expect(code).toBe(0)
    expect(err.match(/email-unsubscribe/g)).toHaveLength(1)
    expect(err).toContain('masthead.config.json  warning  Missing unsubscribe URL, expected `email.unsubscribeUrl` in masthead.config.json')
    expect((await run(['check', '--strict', 'good'])).code).toBe(1)
    expect((await run(['check', '--no-render', 'good'])).err).not.toContain('email-unsubscribe')
  })

  it('reports a broken issue as file:line:column and exits 1', async () => {
    const { code, err } = await run(['check', 'broken'])
    expect(code).toBe(1)
    expect(err).toContain(
      'issues/broken/issue.md:9:1  error    Unknown section type `newz`, expected one of `article`, `contacts`, `milestones`, `news`, or `viewpoints` (did you mean `news`?)  unknown-section-type  masthead:parse'
    )
    expect(err).toMatch(/1 error, 1 warning\n$/)
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
        message:
          'Unknown section type `newz`, expected one of `article`, `contacts`, `milestones`, `news`, or `viewpoints` (did you mean `news`?)',
        ruleId: 'unknown-section-type',
        source: 'masthead:parse',
        url: 'docs/messages.md#unknown-section-type'
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
    const model = JSON.parse(await readFile(path.join(project, 'dist/good/issue.json'), 'utf8')) as {
      slug: string
      sections: Array<{ type: string; items: Array<{ fields: unknown }> }>
    }
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

describe('masthead new', () => {
  it('scaffolds the next issue with every section type, and it builds cleanly', async () => {
    const { code, out } = await run(['new', '2021-05'])
    expect(code).toBe(0)
    expect(out).toContain('Created issues/2021-05/issue.md with 5 example sections.')
    const text = await readFile(path.join(project, 'issues/2021-05/issue.md'), 'utf8')
    expect(text).toMatch(/^---\ntitle: T\nissue: 2\ndate: \d{4}-\d{2}-\d{2}\nlang: en\npublisher: P\n---\n/)
    for (const type of ['news', 'milestones', 'viewpoints', 'contacts', 'article']) expect(text).toContain(`:::${type}[`)
    const built = await run(['build', '2021-05'])
    expect(built.err).not.toMatch(/error|warning/)
    expect(built.code).toBe(0)
    expect((await stat(path.join(project, 'dist/2021-05/print.pdf'))).size).toBeGreaterThan(10_000)
    await rm(path.join(project, 'issues/2021-05'), { recursive: true })
  })

  it('never overwrites an existing issue.md, and asks before using an existing folder', async () => {
    const before = await readFile(path.join(project, 'issues/good/issue.md'))
    const overwrite = await run(['new', 'good', '--force'])
    expect(overwrite.code).toBe(2)
    expect(overwrite.err).toBe(
      'masthead: Refusing to overwrite issues/good/issue.md: it exists (choose another name, or delete it yourself)\n'
    )
    expect(await readFile(path.join(project, 'issues/good/issue.md'))).toEqual(before)
    await mkdir(path.join(project, 'issues/images-only'))
    const folder = await run(['new', 'images-only'])
    expect(folder.code).toBe(2)
    expect(folder.err).toMatch(/^masthead: Refusing to use the existing folder issues\/images-only\//)
    expect((await run(['new', 'images-only', '--force'])).code).toBe(0)
    await rm(path.join(project, 'issues/images-only'), { recursive: true })
  })

  it('refuses a name that is not a folder name', async () => {
    const { code, err } = await run(['new', '../escape'])
    expect(code).toBe(2)
    expect(err).toContain('Unexpected issue name `../escape`')
  })
})

describe('masthead.config.json', () => {
  it('reports a bad config value and an unknown key at their line and column, exit 1', async () => {
    const config = path.join(project, 'masthead.config.json')
    await writeFile(config, '{\n  "print": { "paper": "A9" },\n  "emial": {}\n}\n')
    try {
      const { code, err } = await run(['check', '--no-render', 'good'])
      expect(code).toBe(1)
      expect(err).toContain(
        'masthead.config.json:2:23  error    Unexpected `print.paper` value "A9", expected a paper size (`A4`, `A5`, `Letter` …), optionally `landscape` (`A4 landscape`), or a width and height such as `170mm 240mm`  config-invalid  masthead:config'
      )
      expect(err).toContain(
        'masthead.config.json:3:3  error    Unexpected key `emial` in the config, expected `paths`, `site`, `print`, `email`, `browser`, `network`, `send` or `export`  config-invalid  masthead:config'
      )
    } finally {
      await rm(config)
    }
  })

  it('applies a valid config: paper size from config, overridden by --paper', async () => {
    const config = path.join(project, 'masthead.config.json')
    await writeFile(config, JSON.stringify({ print: { paper: 'Letter' } }))
    try {
      const pageSize = () =>
        /Page size:\s+([\d.]+) x ([\d.]+) pts/
          .exec(execFileSync('pdfinfo', [path.join(project, 'dist/good/print.pdf')], { encoding: 'utf8' }))!
          .slice(1)
          .map((n) => Math.round(Number(n)))
      expect((await run(['build', '--pdf', 'good'])).code).toBe(0)
      expect(pageSize()).toEqual([612, 792])
      expect((await run(['build', '--pdf', '--paper', 'A4', 'good'])).code).toBe(0)
      expect(pageSize()).toEqual([595, 842])
    } finally {
      await rm(config)
    }
  })
})
