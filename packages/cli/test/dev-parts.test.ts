import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { VFile } from '@masthead/core'
import type { Builder, BuilderResult, BuildRequest } from '@masthead/render'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parsePort } from '../src/commands/dev.js'
import type { ChangeKind, PreviewState } from '../src/dev/live-build.js'
import { createLiveBuild } from '../src/dev/live-build.js'
import { fontStylesheet, mountUrl, previewEmailHtml, previewMounts, previewPrintHtml, toPreviewUrls } from '../src/dev/preview-html.js'
import { pathSegments } from '../src/dev/preview-server.js'
import { codeFrame, thrownProblem, toProblems } from '../src/dev/to-problems.js'
import { watchSources } from '../src/dev/watch-sources.js'

describe('pathSegments', () => {
  it('decodes the segments of a path, without the query', () => {
    expect(pathSegments('/files/issue/images/a%20b.jpg?v=3')).toEqual(['files', 'issue', 'images', 'a b.jpg'])
    expect(pathSegments('/')).toEqual([''])
  })

  it('refuses anything that could leave what is served', () => {
    for (const url of [
      '/../package.json',
      '/files/issue/../../x',
      '/files/%2e%2e/x',
      '/files/a%2fb',
      '/files/a%5cb',
      '/x\\..\\y',
      '/a%00b',
      '/%E0%A4%A',
      'package.json'
    ]) {
      expect(pathSegments(url), url).toBeUndefined()
    }
  })
})

describe('preview URLs', () => {
  const mounts = previewMounts(
    '/p/issues/one',
    ['/p/templates', '/p/styles', '/nm/@fontsource/noto-sans-sc', '/other/styles'],
    ['/p/templates', '/p/styles']
  )

  it('mounts the issue, the design folders and the font packages under unique names', () => {
    expect(mounts.map((mount) => [mount.name, mount.cache])).toEqual([
      ['issue', undefined],
      ['templates', 'revalidate'],
      ['styles', 'revalidate'],
      ['noto-sans-sc', 'immutable'],
      ['styles-2', 'immutable']
    ])
  })

  it('maps local files to /files/ URLs, and nothing outside the mounts', () => {
    expect(mountUrl('/p/issues/one/images/a b.jpg', mounts)).toBe('/files/issue/images/a%20b.jpg')
    expect(mountUrl('/p/issues/one/', mounts)).toBe('/files/issue/')
    expect(mountUrl('/p/package.json', mounts)).toBeUndefined()
  })

  it('rewrites the print HTML for the preview: base, stylesheets, screen styles', () => {
    const html = `<html><head><base href="${pathToFileURL('/p/issues/one/').href}"><link rel="stylesheet" href="${pathToFileURL('/p/styles/print.css').href}"><link rel="stylesheet" href="file:///etc/passwd"></head><body></body></html>`
    const served = previewPrintHtml(html, mounts)
    expect(served).toContain('<base href="/files/issue/">')
    expect(served).toContain('href="/files/styles/print.css"')
    expect(served).toContain('href="file:///etc/passwd"')
    expect(served).toMatch(/<style id="masthead-preview">[\s\S]*<\/head>/)
    expect(toPreviewUrls('url(file:///nm/@fontsource/noto-sans-sc/files/x.woff2)', mounts)).toBe('url(/files/noto-sans-sc/files/x.woff2)')
  })

  it('imports the font packages’ stylesheets the print HTML links', () => {
    const html = `<link rel="stylesheet" href="${pathToFileURL('/nm/@fontsource/noto-sans-sc/400.css').href}"><link rel="stylesheet" href="${pathToFileURL('/p/styles/print.css').href}">`
    expect(fontStylesheet(html, mounts)).toBe('@import url("/files/noto-sans-sc/400.css");\n')
  })

  it('points the email’s cid: images at /email-assets/ and opens links outside the frame', () => {
    const served = previewEmailHtml('<html><head><title>x</title></head><body><img src="cid:ab12.photo-144.jpg@masthead"></body></html>')
    expect(served).toContain('src="/email-assets/ab12.photo-144.jpg%40masthead"')
    expect(served).toContain('<head><base target="_blank"><link rel="stylesheet" href="/fonts.css">')
  })
})

describe('problems', () => {
  it('frames the lines around a message, the faulty one marked', () => {
    const frame = codeFrame('a\nb\nc\nd\ne\nf\ng\nh', 5)
    expect(frame.map((row) => `${row.marked ? '>' : ' '}${row.line} ${row.text}`)).toEqual([
      ' 2 b',
      ' 3 c',
      ' 4 d',
      '>5 e',
      ' 6 f',
      ' 7 g',
      ' 8 h'
    ])
    expect(codeFrame('a', 9)).toEqual([])
  })

  it('turns VFile messages into problems, errors first, each once, with frames from the file', async () => {
    const root = '/p'
    const file = new VFile({ path: '/p/issues/one/issue.md', value: 'line 1\n:::newz\nline 3\n' })
    file.message('Just a note', { place: { line: 1, column: 1 }, ruleId: 'x', source: 'test' }).fatal = false
    file.message('Unexpected `newz`', { place: { line: 2, column: 1 }, ruleId: 'unknown-section-type', source: 'masthead:parse' }).fatal =
      true
    const copy = new VFile({ path: '/p/issues/one/issue.md', value: file.value })
    copy.messages.push(...file.messages)
    const problems = await toProblems([file, copy], root)
    expect(problems.map((problem) => [problem.severity, problem.where, problem.message])).toEqual([
      ['error', 'issues/one/issue.md:2:1', 'Unexpected `newz`'],
      ['warning', 'issues/one/issue.md:1:1', 'Just a note']
    ])
    expect(problems[0]!.frame.find((row) => row.marked)).toEqual({ line: 2, text: ':::newz', marked: true })
  })

  it('makes a thrown error a problem', () => {
    expect(thrownProblem(new Error('boom'), 'issues/one/issue.md')).toMatchObject({
      severity: 'error',
      where: 'issues/one/issue.md',
      message: 'Cannot build: boom'
    })
  })
})

describe('parsePort', () => {
  it('takes 0–65535 and refuses the rest', () => {
    expect(parsePort(undefined)).toBe(0)
    expect(parsePort('8080')).toBe(8080)
    expect(() => parsePort('http')).toThrow(/Unexpected port `http`/)
    expect(() => parsePort('70000')).toThrow(/0 \(any free port\) to 65535/)
  })
})

/** A builder that records its calls and answers from a script. */
function fakeBuilder(
  script: (slug: string, request: BuildRequest, call: number) => Partial<BuilderResult> | Promise<Partial<BuilderResult>>
) {
  const calls: string[] = []
  let call = 0
  const builder: Builder = {
    assetRoots: [],
    async build(slug, request = {}) {
      const editions = (request.editions ?? []).join('+')
      calls.push(editions + (request.from ? ' (from)' : ''))
      const partial = await script(slug, request, call++)
      return { slug, issue: undefined, files: [], outputs: new Map(), emailAssets: [], timings: {}, ...partial }
    },
    async reload() {
      calls.push('reload')
      return []
    },
    async close() {}
  }
  return { builder, calls }
}

const issue = { meta: { title: 'T', issue: '1' } } as unknown as BuilderResult['issue']

describe('createLiveBuild', () => {
  it('builds the print HTML, then the email, then the PDF from the parsed issue, telling the page after each', async () => {
    const { builder, calls } = fakeBuilder((_slug, request) => {
      const editions = request.editions ?? []
      const outputs = new Map<string, string>()
      if (editions.includes('print-html')) outputs.set('print.html', '<p>print</p>')
      if (editions.includes('email')) outputs.set('email.html', '<p>email</p>').set('email.txt', 'text').set('email.eml', 'eml')
      if (editions.includes('print')) outputs.set('print.pdf', '%PDF')
      if (editions.includes('web')) outputs.set('index.html', '<p>web</p>').set('images/a-1234abcd-480.webp', 'RIFF')
      return { issue, outputs }
    })
    const live = createLiveBuild({ builder, slug: 'one', root: '/p', source: 'issues/one/issue.md' })
    const seen: string[] = []
    live.subscribe((state: PreviewState) =>
      seen.push(
        Object.entries(state.views)
          .filter(([, round]) => round > 0)
          .map(([name]) => name)
          .join(',')
      )
    )
    live.change('reload', [])
    await live.idle()
    expect(calls[0]).toBe('reload')
    expect(calls.slice(1).sort()).toEqual(['email (from)', 'print (from)', 'print-html', 'web (from)'])
    expect(seen).toContain('print.html')
    expect(seen.at(-1)).toBe('print.html,print.pdf,email.html,email.txt,email.eml,index.html')
    // The web edition's images are served beside it.
    expect([...live.webImages.keys()]).toEqual(['a-1234abcd-480.webp'])
    expect(live.state.title).toBe('T · 1')
    expect(live.outputs.get('print.pdf')).toEqual({ body: '%PDF', round: 1 })
  })

  it('keeps the last good views and reports the problems of a broken save; a thrown error is a problem too', async () => {
    let mode: 'good' | 'broken' | 'throw' = 'good'
    const { builder } = fakeBuilder((_slug, request) => {
      if (mode === 'throw') throw new Error('kaboom')
      const file = new VFile({ path: '/p/issues/one/issue.md', value: ':::newz\n' })
      if (mode === 'broken') {
        file.message('Unexpected `newz`', {
          place: { line: 1, column: 1 },
          ruleId: 'unknown-section-type',
          source: 'masthead:parse'
        }).fatal = true
        return { files: [file] }
      }
      return {
        issue,
        files: [file],
        outputs: new Map([(request.editions ?? []).includes('print-html') ? ['print.html', 'good'] : ['email.html', 'good']])
      }
    })
    const live = createLiveBuild({ builder, slug: 'one', root: '/p', source: 'issues/one/issue.md' })
    live.change('issue', [])
    await live.idle()
    expect(live.state.errors).toBe(0)
    mode = 'broken'
    live.change('issue', ['/p/issues/one/issue.md'])
    await live.idle()
    expect(live.state.errors).toBe(1)
    expect(live.state.problems[0]).toMatchObject({ where: 'issues/one/issue.md:1:1', frame: [{ line: 1, text: ':::newz', marked: true }] })
    expect(live.outputs.get('print.html')).toEqual({ body: 'good', round: 1 })
    mode = 'throw'
    live.change('issue', [])
    await live.idle()
    expect(live.state.problems[0]).toMatchObject({ severity: 'error', message: 'Cannot build: kaboom' })
    mode = 'good'
    live.change('issue', [])
    await live.idle()
    expect(live.state.errors).toBe(0)
    expect(live.state.views['print.html']).toBe(4)
    await live.close()
  })

  it('tells the page of the email views before the .eml and of the PDF before the preflight findings', async () => {
    let findings = () => {}
    const { builder } = fakeBuilder(async (_slug, request) => {
      const editions = request.editions ?? []
      if (editions.includes('print-html')) return { issue, outputs: new Map([['print.html', '<p>print</p>']]) }
      if (editions.includes('email')) {
        request.onEmailViews?.({ html: '<p>email</p>', text: 'text', assets: [] })
        return {
          issue,
          outputs: new Map([
            ['email.html', '<p>email</p>'],
            ['email.txt', 'text'],
            ['email.eml', 'eml']
          ])
        }
      }
      if (editions.includes('web')) return { issue, outputs: new Map([['index.html', '<p>web</p>']]) }
      request.onPdf?.(Buffer.from('%PDF'))
      // The preflight is still asking the page: its findings come with the result.
      await new Promise<void>((resolve) => (findings = resolve))
      const file = new VFile({ path: '/p/issues/one/issue.md', value: 'x\n' })
      file.message('Unexpected content overflowing', { place: { line: 1, column: 1 }, ruleId: 'content-overflow', source: 'masthead:pdf' })
      return { issue, files: [file], outputs: new Map([['print.pdf', Buffer.from('%PDF')]]) }
    })
    const live = createLiveBuild({ builder, slug: 'one', root: '/p', source: 'issues/one/issue.md' })
    const seen: { views: string; eml: boolean; pdf: boolean; problems: number }[] = []
    live.subscribe((state: PreviewState) =>
      seen.push({
        views: Object.keys(state.views)
          .filter((name) => state.views[name as keyof typeof state.views] > 0)
          .join(','),
        eml: state.views['email.eml'] > 0,
        pdf: state.busy.pdf,
        problems: state.problems.length
      })
    )
    live.change('issue', [])
    await new Promise((resolve) => setTimeout(resolve, 50))
    // The email's views went out on their own before the .eml was kept.
    expect(seen.some((entry) => entry.views.includes('email.html') && !entry.eml)).toBe(true)
    // The PDF is out, not busy, while its findings are not in yet.
    expect(live.state.views['print.pdf']).toBe(1)
    expect(live.state.busy.pdf).toBe(false)
    expect(live.state.problems).toEqual([])
    findings()
    await live.idle()
    expect(live.state.problems.map((problem) => problem.ruleId)).toEqual(['content-overflow'])
    expect(live.outputs.get('print.pdf')?.round).toBe(1)
    await live.close()
  })

  it('prints the PDF afresh when a linked file changed (an image), not for another file beside the source', async () => {
    const fresh: boolean[] = []
    const { builder } = fakeBuilder((_slug, request) => {
      const editions = request.editions ?? []
      if (editions.includes('print')) fresh.push(request.fresh === true)
      return {
        issue,
        outputs: new Map(
          editions.includes('print-html') ? [['print.html', '<p>print</p>']] : editions.includes('print') ? [['print.pdf', '%PDF']] : []
        )
      }
    })
    const live = createLiveBuild({ builder, slug: 'one', root: '/p', source: 'issues/one/issue.md' })
    for (const paths of [
      ['issues/one/issue.md'],
      ['issues/one/issue.md', 'issues/one/sedAlLhL2'],
      ['issues/one/images/map.PNG'],
      ['issues/one/figure.svg']
    ]) {
      live.change('issue', paths)
      await live.idle()
    }
    expect(fresh).toEqual([false, false, true, true])
    await live.close()
  })

  it('merges changes that arrive during a build into one next round', async () => {
    let release = () => {}
    const { builder, calls } = fakeBuilder(async (_slug, _request, call) => {
      if (call === 0) await new Promise<void>((resolve) => (release = resolve))
      return {}
    })
    const live = createLiveBuild({ builder, slug: 'one', root: '/p', source: 'issues/one/issue.md' })
    live.change('issue', ['a'])
    await new Promise((resolve) => setTimeout(resolve, 10))
    live.change('issue', ['b'])
    live.change('reload', ['c'])
    release()
    await live.idle()
    expect(calls).toEqual(['print-html', 'reload', 'print-html'])
    expect(live.state.changed).toEqual(['b', 'c'])
  })
})

describe('watchSources', { timeout: 20_000 }, () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'masthead-watch-'))
    await mkdir(path.join(dir, 'issue'))
    await mkdir(path.join(dir, 'templates'))
    await writeFile(path.join(dir, 'issue/issue.md'), 'one')
    await writeFile(path.join(dir, 'templates/a.hbs'), 'one')
  })
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('reports a save once, an atomic save (write a temp file, rename) as a change, a template change as a reload, and ignores scratch files', async () => {
    const batches: [ChangeKind, string[]][] = []
    const watcher = watchSources({
      issueDir: path.join(dir, 'issue'),
      designDirs: [path.join(dir, 'templates')],
      onChange: (kind, paths) => batches.push([kind, paths.map((file) => path.relative(dir, file))])
    })
    await watcher.ready
    const settled = () => new Promise((resolve) => setTimeout(resolve, 300))
    try {
      await writeFile(path.join(dir, 'issue/issue.md'), 'two')
      await settled()
      await writeFile(path.join(dir, 'issue/.issue.md.swp'), 'x')
      await writeFile(path.join(dir, 'issue/issue.md~'), 'x')
      // JetBrains' safe write: a temporary copy, the old file moved aside.
      await writeFile(path.join(dir, 'issue/issue.md___jb_tmp___'), 'x')
      await writeFile(path.join(dir, 'issue/issue.md___jb_old___'), 'x')
      await settled()
      await writeFile(path.join(dir, 'issue/.issue.md.tmp-123'), 'three')
      await rename(path.join(dir, 'issue/.issue.md.tmp-123'), path.join(dir, 'issue/issue.md'))
      await settled()
      await writeFile(path.join(dir, 'templates/a.hbs'), 'two')
      await settled()
    } finally {
      await watcher.close()
    }
    expect(batches).toEqual([
      ['issue', ['issue/issue.md']],
      ['issue', ['issue/issue.md']],
      ['reload', ['templates/a.hbs']]
    ])
  })

  it('waits out a save that truncates the file before writing it: the build reads the new text, not an empty file', async () => {
    // Waits on the watcher's reports, never on the clock: under load each step just takes longer.
    const seen: string[] = []
    let reported = () => {}
    const file = path.join(dir, 'issue/issue.md')
    const onChange = () => void readFile(file, 'utf8').then((text) => (seen.push(text), reported()))
    const latest = async (text: string) => {
      while (seen.at(-1) !== text) await new Promise<void>((resolve) => (reported = resolve))
    }
    const watcher = watchSources({ issueDir: path.join(dir, 'issue'), designDirs: [path.join(dir, 'templates')], onChange })
    await watcher.ready
    try {
      // An editor that rewrites in place: the file is empty for a moment, then holds the text.
      await writeFile(file, '')
      await new Promise((resolve) => setTimeout(resolve, 25))
      await writeFile(file, 'four')
      await latest('four')
      // Emptied for real: reported (after the wait), as an empty file.
      await writeFile(file, '')
      await latest('')
    } finally {
      await watcher.close()
    }
    // Never the empty file in between, and each save once (a late event for a save already reported is dropped).
    expect(seen).toEqual(['four', ''])
  })
})
