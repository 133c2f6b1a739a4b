/**
 * Hostile and broken inputs of the second round (issue #12, item 8), each through the real
 * `masthead` command in a child process: the exact message with its file:line:column, the
 * exit code, the previous outputs byte for byte, and nothing left running or in $TMPDIR.
 * Sources are written at test time (see hostile-support.ts for the project around them).
 */
import { existsSync } from 'node:fs'
import { readFile, readdir, writeFile, mkdir } from 'node:fs/promises'
import path from 'node:path'
import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import type { Project } from './hostile-support.js'
import { folderContents, hostile, notBuilt, refused, run } from './hostile-support.js'

const FRONTMATTER = '---\ntitle: Harbour Notes\nissue: 7\ndate: 2025-06-01\nlang: en\npublisher: Northsea Cooperative\n---\n\n'
const GOOD =
  FRONTMATTER +
  ':::news[In the harbour]\n## Shore power at North Quay\nsource: Harbour office\n\nTwo berths now let ferries plug in.\n:::\n'

/** Write the issue's source (and files beside it). */
async function writeIssue(project: Project, source: string | Uint8Array, files: Record<string, Uint8Array> = {}): Promise<void> {
  const dir = path.join(project.dir, 'issues', project.slug)
  await writeFile(path.join(dir, 'issue.md'), source)
  for (const [name, bytes] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, name)), { recursive: true })
    await writeFile(path.join(dir, name), bytes)
  }
}

/** What the command prints for an issue refused for one error in its source. */
const notBuiltFor = (slug: string, place: string, reason: string, ruleId: string) =>
  notBuilt(slug, `issues/${slug}/issue.md\n  issues/${slug}/issue.md:${place}  error    ${reason}  ${ruleId}  masthead:parse\n\n1 error\n`)

/** A PNG whose header says `width` × `height`, with `data` as its (maybe broken) pixel stream. */
function png(width: number, height: number, data: Uint8Array): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (bytes: Uint8Array) => {
    let c = 0xffffffff
    for (const byte of bytes) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length)
    out.writeUInt32BE(body.length, 0)
    out.write(type, 4, 'latin1')
    out.set(body, 8)
    out.writeUInt32BE(crc(out.subarray(4, 8 + body.length)), 8 + body.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', data),
    chunk('IEND', new Uint8Array())
  ])
}

const withImage = (file: string) => GOOD.replace('Two berths', `![The quay from the air](${file})\n\nTwo berths`)

describe.concurrent('hostile sources, second round', () => {
  it.each([
    [
      'utf16-bom',
      'with a byte-order mark',
      () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(GOOD, 'utf16le')]),
      'it starts with a UTF-16 LE byte-order mark'
    ],
    ['utf16-no-bom', 'without one', () => Buffer.from(GOOD, 'utf16le'), 'UTF-16 LE, without a byte-order mark']
  ])('a UTF-16 issue.md %s (%s): named as UTF-16, with how to fix it', (slug, _, bytes, how) =>
    hostile(slug, async (project) => {
      await writeIssue(project, bytes())
      const outcome = await run(project, ['build', '--email', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuiltFor(
          slug,
          '1:1',
          `Unexpected UTF-16 text (${how}), expected UTF-8: re-save the file as UTF-8 (in the editor's "Save as" or "Encoding" menu)`,
          'encoding'
        )
      )
    })
  )

  it('lone-CR line endings: read as lines, so the issue builds, and a real mistake is at its line', () =>
    hostile('lone-cr', async (project) => {
      await writeIssue(project, GOOD.replaceAll('\n', '\r'))
      const outcome = await run(project, ['build', '--email', project.slug])
      expect(outcome.code).toBe(0)
      expect(outcome.stderr).not.toMatch(/ (error|warning) /)
      expect(await readFile(path.join(project.dist, 'email.txt'), 'utf8')).toContain('Two berths now let ferries plug in.')
      await writeIssue(project, GOOD.replace(':::news', ':::newz').replaceAll('\n', '\r'))
      const broken = await run(project, ['build', '--email', project.slug])
      expect(broken.code).toBe(1)
      expect(broken.stderr).toContain('  issues/lone-cr/issue.md:9:1  error    Unknown section type `newz`')
      expect(broken.stderr).toMatch(/\n1 error\n$/)
    }))

  it('an image given as a 1.7 MB data: URL: one short message at its place, not the URL', () =>
    hostile('data-url-image', async (project) => {
      const url = 'data:image/png;base64,' + 'iVBORw0KGgoAAAANSUhEUg'.repeat(80_000)
      await writeIssue(project, withImage(url))
      const outcome = await run(project, ['build', '--email', project.slug])
      refused(project, outcome)
      expect(outcome.stderr.length).toBeLessThan(1000)
      expect(outcome.stderr).toMatch(
        /^… building data-url-image\n✗ .*\nissues\/data-url-image\/issue\.md\n {2}issues\/data-url-image\/issue\.md:13:1 {2}error {4}Unexpected image URL `data:image\/png;base64,iVBOR[\w+/]*…\(1,759,8\d\d more characters\)…[\w+/]*`, expected a file in the issue folder .* remote-image {2}masthead:parse\n\n1 error\n$/
      )
    }))

  it("a corrupt image (a valid header, a broken pixel stream): the email error is at the image's line", () =>
    hostile('corrupt-image', async (project) => {
      await writeIssue(project, withImage('images/broken.png'), {
        'images/broken.png': png(400, 300, Buffer.from('not a zlib stream '.repeat(8)))
      })
      const outcome = await run(project, ['build', '--email', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toMatch(
        /\n {2}issues\/corrupt-image\/issue\.md:13:1 {2}error {4}Cannot read image `images\/broken\.png`: .+ {2}email-image {2}masthead:email\n/
      )
    }))
})

describe('limits checked before rendering (the command starts Chromium early: it must close it)', { tags: ['slow'] }, () => {
  it('an image over the pixel limit: an error at its line before anything renders', () =>
    hostile('huge-image', async (project) => {
      await writeIssue(project, withImage('images/huge.png'), { 'images/huge.png': png(20_000, 20_000, deflateSync(Buffer.alloc(100))) })
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuiltFor(
          'huge-image',
          '13:1',
          'Unexpected image `images/huge.png` of 20000 × 20000 pixels (400 megapixels), expected at most 268 megapixels (e.g. 16383 × 16383); scale it down (a whole A4 page at 300 dpi is 2480 × 3508)',
          'image-too-large'
        )
      )
    }))

  it(`201 sections: refused at the 201st, before Chromium prints anything`, () =>
    hostile('many-sections', async (project) => {
      await writeIssue(
        project,
        FRONTMATTER + Array.from({ length: 201 }, (_, index) => `:::news[Part ${index + 1}]\n## Item\nText.\n:::\n\n`).join('')
      )
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuiltFor(
          'many-sections',
          '1009:1',
          'Unexpected 201st section, expected at most 200 sections in one issue (split it into several issues)',
          'too-many-sections'
        )
      )
    }))

  it('a list of 10,001 items: refused at the item past the block limit, before Chromium prints anything', () =>
    hostile('long-list', async (project) => {
      await writeIssue(
        project,
        FRONTMATTER +
          ':::news[A long list]\n## Every berth\n\n' +
          Array.from({ length: 10_001 }, (_, index) => `- Berth ${index + 1}\n`).join('') +
          ':::\n'
      )
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      // Blocks: the section, its label, its heading, then the items: block 10,001 is item 9,998, on line 11 + 9,998.
      expect(outcome.stderr).toBe(
        notBuiltFor(
          'long-list',
          '10009:1',
          'Unexpected 10,001st block (paragraph, heading, list item, table row…), expected at most 10,000 in one issue (split it into several issues, or move a long list out of the issue)',
          'too-many-blocks'
        )
      )
    }))
})

describe.concurrent('hostile commands, config and leftovers, second round', () => {
  it('masthead new with a 300-character name: a usage error, nothing created', () =>
    hostile('good', async (project) => {
      await writeIssue(project, GOOD)
      const name = 'a'.repeat(300)
      const outcome = await run(project, ['new', name])
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toMatch(
        /^masthead: Unexpected issue name of 300 characters \(`a+…\(2\d\d more characters\)…a+`\), expected at most 100 \(e\.g\. `2025-07`\)\n$/
      )
      expect(await readdir(path.join(project.dir, 'issues'))).toEqual(['good'])
      const bad = await run(project, ['new', 'two words'])
      expect(bad.code).toBe(2)
      expect(bad.stderr).toBe('masthead: Unexpected issue name `two words`, expected letters, digits, `-`, `_` or `.` (e.g. `2025-07`)\n')
    }))

  it('a lock file holding garbage: replaced at once, and said so', () =>
    hostile('good', async (project) => {
      await writeIssue(project, GOOD)
      await writeFile(path.join(project.dist, '.masthead.lock'), 'pid? no\n')
      const outcome = await run(project, ['build', '--email', project.slug])
      expect(outcome.code).toBe(0)
      expect(outcome.stderr).toContain(
        '\ndist/good/.masthead.lock\n  dist/good/.masthead.lock  info     Unexpected `.masthead.lock` holding "pid? no\\n", expected the process id of a running build; it was no build\'s lock (a crash or another program left it) and was replaced  stale-lock  masthead:cli\n'
      )
      expect(outcome.stderr).not.toContain('NaN')
      expect(existsSync(path.join(project.dist, '.masthead.lock'))).toBe(false)
      expect(Object.keys(folderContents(project.dist))).toEqual([
        'email.eml',
        'email.html',
        'email.txt',
        'issue.json',
        'print.html',
        'print.pdf'
      ])
    }))

  it('network.allow with wildcards and patterns: config errors at each entry', () =>
    hostile('good', async (project) => {
      await writeIssue(project, GOOD)
      await writeFile(
        path.join(project.dir, 'masthead.config.json'),
        '{\n  "network": {\n    "allow": ["http://*", "https://*.example.org", "https://.example.org", "http://0.0.0.0"]\n  }\n}\n'
      )
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      const wildcard =
        'expected one exact origin like `https://images.example.org`, not a pattern: a wildcard (`*`) would let the print document reach many hosts (list each origin)'
      const line = (column: number, index: number, value: string, why: string) =>
        `  masthead.config.json:3:${column}  error    Unexpected \`network.allow.${index}\` value ${JSON.stringify(value)}, ${why}  config-invalid  masthead:config\n`
      expect(outcome.stderr).toBe(
        'masthead.config.json\n' +
          line(15, 0, 'http://*', wildcard) +
          line(27, 1, 'https://*.example.org', wildcard) +
          line(
            52,
            2,
            'https://.example.org',
            'expected one exact origin like `https://images.example.org`: a host name of letters, digits and hyphens between dots (a leading dot or an empty label is a pattern for many hosts)'
          ) +
          line(
            76,
            3,
            'http://0.0.0.0',
            'expected a specific host, not the unspecified address (it stands for every address of this machine)'
          ) +
          '\n4 errors\n'
      )
    }))

  it('config keys __proto__, constructor and prototype: errors at their keys, the config refused', () =>
    hostile('good', async (project) => {
      await writeIssue(project, GOOD)
      await writeFile(
        path.join(project.dir, 'masthead.config.json'),
        '{\n  "__proto__": { "network": { "allow": ["http://127.0.0.1:9"] } },\n  "constructor": {},\n  "email": { "utm": { "prototype": "x" } }\n}\n'
      )
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      const line = (place: string, key: string) =>
        `  masthead.config.json:${place}  error    Unexpected key \`${key}\` in the config, expected a key the config defines; \`__proto__\`, \`constructor\`, \`prototype\` and other names every object inherits are never config keys  config-invalid  masthead:config\n`
      expect(outcome.stderr).toBe(
        'masthead.config.json\n' +
          line('2:3', '__proto__') +
          line('3:3', 'constructor') +
          line('4:23', 'email.utm.prototype') +
          '\n3 errors\n'
      )
    }))
})
