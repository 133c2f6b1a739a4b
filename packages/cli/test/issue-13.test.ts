/**
 * Issue 13, "nothing lost, nothing corrupted": each defect through the real `masthead`
 * command, its outputs read back with poppler (pdftotext, pdfinfo -url, pdffonts) and the
 * email files as written. Fixtures are in fixtures/issue-13/<case>/ (made into a project as
 * the hostile cases are, see hostile-support.ts).
 */
import { execFileSync } from 'node:child_process'
import { cp, mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { Project } from './hostile-support.js'
import { finish, folderContents, makeProject, previousOutputs, run } from './hostile-support.js'

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/issue-13')
const require = createRequire(import.meta.url)

async function issue13(name: string, body: (project: Project) => Promise<void>): Promise<void> {
  const project = await makeProject(name, { fixtures })
  try {
    await body(project)
  } finally {
    const { survivors, tmpLeft } = await finish(project)
    expect(survivors, 'Chromium processes left behind').toEqual([])
    expect(tmpLeft, 'files left in $TMPDIR').toEqual([])
  }
}

const pdfText = (file: string) => execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
/** The URI link annotations of a PDF, as `pdfinfo -url` lists them. */
const pdfUrls = (file: string) =>
  execFileSync('pdfinfo', ['-url', file], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/).at(-1) ?? '')
    .filter(Boolean)
const read = (project: Project, file: string) => readFile(path.join(project.dist, file), 'utf8')

describe('issue 13 through the real CLI', { tags: ['slow'], timeout: 180_000 }, () => {
  it('a misspelled field stays in every edition, and -q still says so', () =>
    issue13('misspelled-field', async (project) => {
      const outcome = await run(project, ['build', '-q', project.slug])
      expect(outcome.code).toBe(0)
      expect(outcome.stderr).toBe(
        'issues/misspelled-field/issue.md\n  issues/misspelled-field/issue.md:12:1  warning  Unexpected field `rloe` in a `viewpoints` item, expected one of `speaker`, `role`, `portrait`, `quote`, `source`, `date`, or `link` (did you mean `role`?); the line stays in the body  unknown-field  masthead:parse\n\n1 warning\n'
      )
      expect(pdfText(path.join(project.dist, 'print.pdf'))).toContain('rloe: Harbour master since 2019')
      expect(await read(project, 'email.html')).toContain('rloe: Harbour master since 2019')
      expect(await read(project, 'email.txt')).toContain('rloe: Harbour master since 2019')
    }))

  it('an email over the size limit: the PDF is still written, the email keeps its previous files, exit 1 naming it', () =>
    issue13('email-too-large', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.code).toBe(1)
      expect(outcome.stderr).toMatch(
        /✗ email-too-large: email edition not built: Unexpected email HTML of [\d.]+ KB in `full` mode, expected at most 1 KB \(Gmail clips longer messages\)[^\n]*; its previous outputs left as they were/
      )
      expect(outcome.stderr).toContain('email-size  masthead:email')
      const after = folderContents(project.dist)
      const before = previousOutputs(project)
      for (const file of ['email.html', 'email.txt', 'email.eml']) expect(after[file], file).toBe(before[file])
      expect(after['print.pdf']?.startsWith('%PDF-')).toBe(true)
      expect(pdfText(path.join(project.dist, 'print.pdf'))).toContain('Two berths now let ferries plug in.')
      expect(after['issue.json']).toContain('"Shore power at North Quay"')
    }))

  it('a PDF that cannot print: the email is still written, print keeps its previous files', () =>
    issue13('email-too-large', async (project) => {
      await writeFile(path.join(project.dir, 'masthead.config.json'), '{ "browser": { "executablePath": "/nonexistent/chromium" } }\n')
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.code).toBe(1)
      expect(outcome.stderr).toContain('✗ email-too-large: print edition not built: Cannot print `Harbour Notes 7`')
      const after = folderContents(project.dist)
      const before = previousOutputs(project)
      for (const file of ['print.pdf', 'print.html']) expect(after[file], file).toBe(before[file])
      expect(after['email.html']).toContain('Two berths now let ferries plug in.')
      expect(after['email.txt']).toContain('Two berths now let ferries plug in.')
      expect(after['email.eml']).toMatch(/^MIME-Version: 1.0/m)
    }))

  it('relative links resolve against the issue url: no file: URI in the PDF or the email', () =>
    issue13('relative-link', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.stderr).not.toMatch(/ error /)
      expect(outcome.code).toBe(0)
      const urls = pdfUrls(path.join(project.dist, 'print.pdf'))
      expect(urls).toContain('https://example.org/harbour-notes/6/')
      expect(urls).toContain('https://example.org/plans/shore-power.pdf')
      expect(urls.filter((url) => !url.startsWith('https:'))).toEqual([])
      for (const file of ['email.html', 'email.txt', 'email.eml', 'print.pdf']) {
        expect(await read(project, file), file).not.toMatch(/file:/i)
      }
      expect(await read(project, 'email.html')).toMatch(/href="https:\/\/example\.org\/harbour-notes\/6\/(\?|")/)
    }))

  it('relative links without a url: an error at each link, nothing written', () =>
    issue13('relative-link-no-url', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.code).toBe(1)
      expect(folderContents(project.dist)).toEqual(previousOutputs(project))
      expect(outcome.stderr).toContain(
        'issues/relative-link-no-url/issue.md:13:41  error    Unexpected relative link `../6/`, expected an absolute address (`https://…`), or `url:` in the frontmatter (the web edition) to resolve it against; a PDF or an email has no address of its own  relative-link  masthead:parse'
      )
      expect(outcome.stderr).toContain(
        'issues/relative-link-no-url/issue.md:13:73  error    Unexpected relative link `/plans/shore-power.pdf`'
      )
    }))

  it('a full-width colon in the frontmatter is named, at its position', () =>
    issue13('full-width-colon', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.code).toBe(1)
      expect(folderContents(project.dist)).toEqual(previousOutputs(project))
      expect(outcome.stderr).toContain(
        'issues/full-width-colon/issue.md:4:5  error    Unexpected full-width colon `：` after `date`, expected an ASCII colon and a space (`date: …`); the full-width colon is typed by a Chinese input method in full-width mode  yaml-full-width  masthead:parse'
      )
      expect(outcome.stderr).not.toContain('Implicit keys')
    }))

  it('Thai and Devanagari without a font: an error at each line, the PDF not written', () =>
    issue13('thai-devanagari', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.code).toBe(1)
      expect(outcome.stderr).toContain(
        'issues/thai-devanagari/issue.md:15:20  error    Unexpected characters `สวดครบ` (U+0E2A, U+0E27, U+0E14, …) printed without a glyph'
      )
      expect(outcome.stderr).toContain(
        'issues/thai-devanagari/issue.md:17:22  error    Unexpected characters `नमसत` (U+0928, U+092E, U+0938, …) printed without a glyph'
      )
      expect(outcome.stderr).toContain('glyph-not-drawn  masthead:pdf')
      const after = folderContents(project.dist)
      expect(after['print.pdf']).toBe(previousOutputs(project)['print.pdf'])
    }))

  it('a designer adds @fontsource/noto-sans-thai to the styles: Thai prints with real glyphs', () =>
    issue13('thai-devanagari', async (project) => {
      // What docs/authoring.md tells a designer to do: the font's files into styles/fonts/, its CSS imported, its family in the stacks.
      const font = path.dirname(require.resolve('@fontsource/noto-sans-thai/package.json'))
      const into = path.join(project.dir, 'styles/fonts/noto-sans-thai')
      await mkdir(into, { recursive: true })
      await cp(path.join(font, '400.css'), path.join(into, '400.css'))
      await cp(path.join(font, 'files'), path.join(into, 'files'), { recursive: true })
      const print = path.join(project.dir, 'styles/print.css')
      await writeFile(
        print,
        (await readFile(print, 'utf8')).replace(
          "@import url('./tokens.css');",
          "@import url('./fonts/noto-sans-thai/400.css');\n@import url('./tokens.css');"
        )
      )
      const tokens = path.join(project.dir, 'styles/tokens.css')
      await writeFile(tokens, (await readFile(tokens, 'utf8')).replaceAll("'Noto Serif',", "'Noto Serif', 'Noto Sans Thai',"))
      const source = path.join(project.dir, 'issues', project.slug, 'issue.md')
      await writeFile(source, (await readFile(source, 'utf8')).replace('\nThe Nepali crew said नमस्ते.\n', ''))
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.stderr).not.toMatch(/ error /)
      expect(outcome.code).toBe(0)
      const pdf = path.join(project.dist, 'print.pdf')
      expect(pdfText(pdf)).toContain('สวัสดีครับ')
      expect(execFileSync('pdffonts', [pdf], { encoding: 'utf8' })).toMatch(/\+NotoSansThai-Regular\s+CID TrueType/)
    }))
})
