/**
 * Hostile and broken cases, each through the real `masthead` command in a child process:
 * the exact message (text and file:line:column), the exit code, the previous outputs byte
 * for byte, and no Chromium process (nor profile) left behind. Fixtures are in
 * fixtures/hostile/<case>/ (see hostile-support.ts for how a case becomes a project).
 * Cases that launch Chromium are tagged `slow`.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chmod, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Project } from './hostile-support.js'
import {
  browserPids,
  canUnshare,
  folderContents,
  hostile,
  notBuilt,
  pageRendererCpuSeconds,
  previousOutputs,
  refused,
  run,
  sleep,
  waitFor
} from './hostile-support.js'

const SOURCE_TAIL = 'masthead:parse'

describe.concurrent('hostile sources', () => {
  it('a traversal path to an image: refused at its line and column', () =>
    hostile('traversal-image', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'traversal-image',
          `issues/traversal-image/issue.md\n  issues/traversal-image/issue.md:12:1  error    Unexpected image path \`../../../../etc/passwd\` that leads out of the issue folder, expected a file inside it  image-outside-issue  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('an absolute image path: refused', () =>
    hostile('absolute-image', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'absolute-image',
          `issues/absolute-image/issue.md\n  issues/absolute-image/issue.md:12:1  error    Unexpected absolute image path \`/etc/hosts\`, expected a path relative to the issue folder  image-outside-issue  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('an image that is a symlink leading out of the issue folder: refused', () =>
    hostile('symlink-image', async (project) => {
      await mkdir(path.join(project.dir, 'issues', project.slug, 'images'))
      await symlink('/etc/passwd', path.join(project.dir, 'issues', project.slug, 'images/photo.png'))
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'symlink-image',
          `issues/symlink-image/issue.md\n  issues/symlink-image/issue.md:12:1  error    Unexpected image \`images/photo.png\` that links out of the issue folder, expected a file inside it  image-outside-issue  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('an issue.md that is a symlink out of its folder: not even read', () =>
    hostile('issue-symlink-out', async (project) => {
      await symlink('/etc/hostname', path.join(project.dir, 'issues', project.slug, 'issue.md'))
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'issue-symlink-out',
          `issues/issue-symlink-out/issue.md\n  issues/issue-symlink-out/issue.md  error    Unexpected \`issue.md\` that links out of the issue folder, expected the source file itself in the folder  source-outside-issue  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a remote image: refused, not fetched', () =>
    hostile('remote-image', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'remote-image',
          `issues/remote-image/issue.md\n  issues/remote-image/issue.md:12:1  error    Unexpected image URL \`https://tracker.example/pixel.png?who=editor\`, expected a file in the issue folder (e.g. \`images/photo.jpg\`); remote images are not fetched  remote-image  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('<script>, onerror= and javascript: in Markdown with html off: dropped with a warning, nothing active in the email', () =>
    hostile('raw-html-off', async (project) => {
      const outcome = await run(project, ['build', '--email', project.slug])
      expect(outcome.code).toBe(0)
      expect(outcome.stderr).toContain(
        `issues/raw-html-off/issue.md:12:8  warning  Unexpected raw HTML, expected Markdown; it is left out (set \`html: true\` in the frontmatter to keep sanitized HTML)  raw-html  ${SOURCE_TAIL}\n`
      )
      const html = await readFile(path.join(project.dist, 'email.html'), 'utf8')
      expect(html).toContain('Before')
      // What was between the tags stays, as inert text ("Before alert(1) after").
      expect(html).toContain('Before alert(1) after')
      expect(html).not.toMatch(/<script|onerror|javascript:/i)
      expect(await readFile(path.join(project.dist, 'issue.json'), 'utf8')).not.toMatch(/<script|onerror|javascript:/i)
      const text = await readFile(path.join(project.dist, 'email.txt'), 'utf8')
      expect(text).toContain('Before alert(1) after and a link.')
      expect(text).not.toMatch(/<script|onerror|javascript:/i)
    }))

  it('a tracking pixel in raw HTML (html: true): refused like a remote Markdown image', () =>
    hostile('raw-html-tracking-pixel', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'raw-html-tracking-pixel',
          `issues/raw-html-tracking-pixel/issue.md\n  issues/raw-html-tracking-pixel/issue.md:13:9  error    Unexpected image URL \`https://tracker.example/open.gif?reader=1\`, expected a file in the issue folder (e.g. \`images/photo.jpg\`); remote images are not fetched  remote-image  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a javascript: URL in the frontmatter: refused at the value', () =>
    hostile('javascript-url-frontmatter', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'javascript-url-frontmatter',
          `issues/javascript-url-frontmatter/issue.md\n  issues/javascript-url-frontmatter/issue.md:7:6  error    Unexpected \`url\` value "javascript:alert(document.cookie)", expected a web address, \`https://…\` (no \`javascript:\`, \`data:\` or \`file:\` URLs)  invalid-metadata  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a javascript: URL in a url field: refused at the value', () =>
    hostile('javascript-url-field', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'javascript-url-field',
          `issues/javascript-url-field/issue.md\n  issues/javascript-url-field/issue.md:11:6  error    Unexpected \`web\` value \`javascript:alert(1)\`, expected an absolute web address, \`https://…\`  invalid-field  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('__proto__ and constructor keys in the frontmatter: warnings, no pollution, and --strict refuses', () =>
    hostile('prototype-frontmatter', async (project) => {
      const strict = await run(project, ['build', '--strict', '--email', project.slug])
      refused(project, strict)
      const warning = (line: number, key: string) =>
        `  issues/prototype-frontmatter/issue.md:${line}:1  warning  Unexpected frontmatter key \`${key}\`, expected one of \`title\`, \`issue\`, \`date\`, \`lang\`, \`publisher\`, \`subject\`, \`keywords\`, \`url\`, \`html\`, \`print\`, or \`email\`  unknown-frontmatter-key  ${SOURCE_TAIL}\n`
      expect(strict.stderr).toContain(warning(7, '__proto__') + warning(9, 'constructor'))
      const lenient = await run(project, ['build', '--email', project.slug])
      expect(lenient.code).toBe(0)
      const model = JSON.parse(await readFile(path.join(project.dist, 'issue.json'), 'utf8')) as { meta: Record<string, unknown> }
      expect(Object.keys(model.meta)).not.toContain('polluted')
      expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    }))

  it('blockquotes nested 150 deep: an error, not a stack overflow', () =>
    hostile('deep-nesting', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'deep-nesting',
          `issues/deep-nesting/issue.md\n  issues/deep-nesting/issue.md:12:100  error    Unexpected nesting more than 100 levels deep, expected blockquotes, lists and emphasis nested at most 100 levels  nesting-too-deep  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a binary file as issue.md: refused at the first NUL byte', () =>
    hostile('binary-source', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'binary-source',
          `issues/binary-source/issue.md\n  issues/binary-source/issue.md:10:17  error    Unexpected binary content (a NUL byte), expected a UTF-8 Markdown text  binary-source  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a 3 MB issue.md: refused without parsing it', () =>
    hostile('huge-source', async (project) => {
      const body = '## Item\n\n' + 'All work and no play makes a dull newsletter. '.repeat(40) + '\n\n'
      await writeFile(
        path.join(project.dir, 'issues', project.slug, 'issue.md'),
        '---\ntitle: T\nissue: 1\ndate: 2025-06-01\nlang: en\npublisher: P\n---\n\n:::news\n' +
          body.repeat(Math.ceil((3 * 1024 * 1024) / body.length)) +
          ':::\n'
      )
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'huge-source',
          `issues/huge-source/issue.md\n  issues/huge-source/issue.md:1:1  error    Unexpected file size of 3.0 MB, expected at most 2 MB for one issue (split it, or move data out of the source)  source-too-large  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('an empty issue.md: refused', () =>
    hostile('empty-source', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'empty-source',
          `issues/empty-source/issue.md\n  issues/empty-source/issue.md:1:1  error    Unexpected empty file, expected frontmatter (\`---\` … \`---\`) and at least one section  empty-source  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a Latin-1 issue.md: refused at the first bad byte', () =>
    hostile('not-utf8', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'not-utf8',
          `issues/not-utf8/issue.md\n  issues/not-utf8/issue.md:10:7  error    Unexpected bytes that are not UTF-8, expected a UTF-8 Markdown text (re-save the file as UTF-8)  encoding  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('broken YAML: refused at its line and column', () =>
    hostile('bad-yaml', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'bad-yaml',
          `issues/bad-yaml/issue.md\n  issues/bad-yaml/issue.md:3:1  error    Unexpected YAML: Flow sequence in block collection must be sufficiently indented and end with a ]  yaml  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a misspelled section type: refused, with a suggestion', () =>
    hostile('unknown-section', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'unknown-section',
          `issues/unknown-section/issue.md\n  issues/unknown-section/issue.md:9:1  error    Unknown section type \`newz\`, expected one of \`article\`, \`contacts\`, \`milestones\`, \`news\`, or \`viewpoints\` (did you mean \`news\`?)  unknown-section-type  ${SOURCE_TAIL}\n\n1 error\n`
        )
      )
    }))

  it('a shell script named photo.png: refused', () =>
    hostile('not-an-image', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toMatch(
        /issues\/not-an-image\/issue\.md:12:1 {2}error {4}Unexpected file `images\/photo\.png`.*invalid-image {2}masthead:parse\n/
      )
    }))

  it('an issue named by a traversal path: a usage error, exit 2', () =>
    hostile('good', async (project) => {
      const outcome = await run(project, ['build', '../../../etc'])
      expect(outcome.code).toBe(2)
      expect(outcome.stderr).toBe('masthead: Unknown issue `../../../etc`, expected one of `good` or a path to an issue folder\n')
      expect(folderContents(project.dist)).toEqual(previousOutputs(project))
    }))

  it('masthead new over an existing issue or outside issues/: refused, the source untouched', () =>
    hostile('good', async (project) => {
      const source = path.join(project.dir, 'issues/good/issue.md')
      const before = await readFile(source)
      const existing = await run(project, ['new', 'good', '--force'])
      expect(existing.code).toBe(2)
      expect(existing.stderr).toBe(
        'masthead: Refusing to overwrite issues/good/issue.md: it exists (choose another name, or delete it yourself)\n'
      )
      const escape = await run(project, ['new', '../../escape'])
      expect(escape.code).toBe(2)
      expect(escape.stderr).toMatch(/^masthead: Unexpected issue name `\.\.\/\.\.\/escape`/)
      expect(await readFile(source)).toEqual(before)
      expect(await readdir(path.join(project.dir, 'issues'))).toEqual(['good'])
    }))

  it('a network allow-list entry that is not an origin: a config error at its place', () =>
    hostile('bad-config', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        'masthead.config.json\n' +
          '  masthead.config.json:3:15  error    Unexpected `network.allow.0` value "https://fonts.example/css", expected an origin like `https://images.example.org` (scheme and host, no path)  config-invalid  masthead:config\n' +
          '  masthead.config.json:3:44  error    Unexpected `network.allow.1` value "ftp://files.example", expected an origin like `https://images.example.org` (scheme and host, no path)  config-invalid  masthead:config\n\n2 errors\n'
      )
    }))

  it('a build killed mid-write earlier: its lock and temporary files are cleaned up', () =>
    hostile('good', async (project) => {
      const dead = 2 ** 22 + 12_345 // above the default pid_max: never a live process
      await writeFile(path.join(project.dist, '.masthead.lock'), String(dead))
      await writeFile(path.join(project.dist, `.email.html.tmp-${dead}-m0-abc123`), '<html>half an em')
      const outcome = await run(project, ['build', '--email', project.slug])
      expect(outcome.code).toBe(0)
      expect(Object.keys(folderContents(project.dist))).toEqual([
        'email.eml',
        'email.html',
        'email.txt',
        'issue.json',
        'print.html',
        'print.pdf'
      ])
      expect(folderContents(project.dist)['print.pdf']).toBe(previousOutputs(project)['print.pdf'])
    }))

  it('two builds of the same issue at once: both succeed, whole files, nothing left over', () =>
    hostile('good', async (project) => {
      const [a, b] = await Promise.all([run(project, ['build', '--email', project.slug]), run(project, ['build', '--email', project.slug])])
      expect([a.code, b.code]).toEqual([0, 0])
      const concurrent = folderContents(project.dist)
      const single = await run(project, ['build', '--email', project.slug])
      expect(single.code).toBe(0)
      const after = folderContents(project.dist)
      expect(Object.keys(concurrent)).toEqual(Object.keys(after))
      for (const file of ['issue.json', 'email.html', 'email.txt']) expect(concurrent[file], file).toBe(after[file])
      expect(concurrent['email.eml']).toMatch(/^Content-Type: multipart\/alternative|^[\s\S]*\r\n\r\n[\s\S]*--\S+--\r?\n?$/)
    }))
})

describe.concurrent('hostile templates and config', () => {
  it('a misspelled field in a template: the template, line and column', () =>
    hostile('template-misspelled-field', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'template-misspelled-field',
          'templates/sections/news/print.hbs\n  templates/sections/news/print.hbs:3:21  error    Unexpected unknown field `headlin` in item `news-1-1`  template-strict  masthead:layout\n\n1 error\n'
        )
      )
    }))

  it('a template that throws: the helper call, line and column', () =>
    hostile('template-throws', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'template-throws',
          'templates/sections/news/print.hbs\n  templates/sections/news/print.hbs:4:19  error    Cannot run helper `formatDate`: Unexpected date `Harbour office`, expected a date field or `YYYY-MM-DD`  template-helper-failed  masthead:layout\n\n1 error\n'
        )
      )
    }))

  it('a template that does not parse: refused at its line and column', () =>
    hostile('template-syntax', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'template-syntax',
          "templates/sections/news/print.hbs\n  templates/sections/news/print.hbs:3:22  error    Cannot parse template: if doesn't match each  template-syntax  masthead:layout\n\n1 error\n"
        )
      )
    }))

  it('a template reaching through a prototype property: denied, and said so', () =>
    hostile('template-prototype', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'template-prototype',
          'templates/sections/news/print.hbs\n  templates/sections/news/print.hbs:4:8  error    Unexpected unknown field `constructor` of a value that is not defined, expected a field of the context (prototype properties such as `constructor` and `__proto__` are not readable)  template-strict  masthead:layout\n\n1 error\n'
        )
      )
    }))

  it('an unknown partial: named with the ones there are', () =>
    hostile('template-unknown-partial', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toMatch(
        /templates\/sections\/news\/print\.hbs:3:\d+ {2}error {4}Unexpected unknown partial `byline`, expected one of `cover`, .+ \(files in `templates\/partials\/`\) {2}template-partial {2}masthead:layout\n/
      )
    }))

  it('an email template with a script and a javascript: button: refused', () =>
    hostile('email-template-script', async (project) => {
      const outcome = await run(project, ['build', '--email', project.slug])
      refused(project, outcome)
      const tail =
        ' in the email HTML, expected no scripts, event handlers or `javascript:` URLs (mail clients drop them and spam filters penalise them); remove it from the email templates or the merge tags  email-active-content  masthead:email\n'
      expect(outcome.stderr).toContain(`  issues/email-template-script/issue.md  error    Unexpected \`<script>\` element${tail}`)
      expect(outcome.stderr).toContain(
        `  issues/email-template-script/issue.md  error    Unexpected \`javascript:\` URL in \`href\` on \`<a>\`${tail}`
      )
    }))

  it('a Chromium that does not exist: tried twice, then a clear error; the email is still written (editions are independent)', () =>
    hostile('chromium-missing', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.code).toBe(1)
      const after = folderContents(project.dist)
      const before = previousOutputs(project)
      for (const file of ['print.pdf', 'print.html']) expect(after[file], file).toBe(before[file])
      for (const file of ['issue.json', 'email.html', 'email.txt', 'email.eml']) expect(after[file], file).not.toBe(before[file])
      expect(outcome.stderr).toContain('✗ chromium-missing: print edition not built: Cannot print `Harbour Notes 7`')
      expect(outcome.stderr).toContain(
        '  issues/chromium-missing/issue.md  error    Cannot print `Harbour Notes 7`, not even on a fresh browser: Cannot start Chromium at `/nonexistent/chromium`; check that `/nonexistent/chromium --headless --version` runs, or set `MASTHEAD_CHROMIUM` to another binary (the first attempt failed the same way)  pdf-failed  masthead:pdf\n'
      )
      expect((await run(project, ['build', '--email', project.slug])).code).toBe(0)
    }))
})

describe('hostile print documents', { tags: ['slow'] }, () => {
  it('raw HTML kept with html: true: sanitized, nothing active in either edition', () =>
    hostile('raw-html-on', async (project) => {
      const outcome = await run(project, ['build', project.slug])
      expect(outcome.stderr).not.toMatch(/ error /)
      expect(outcome.code).toBe(0)
      for (const file of ['print.html', 'email.html', 'issue.json']) {
        const text = await readFile(path.join(project.dist, file), 'utf8')
        expect(text, file).toContain('mixed case')
        expect(text, file).not.toMatch(/<script|<iframe|<form|\bon(click|error|load)\s*=|javascript:|alert\(/i)
      }
    }))

  it('a template loading a remote stylesheet: blocked and reported, nothing written', () =>
    hostile('template-remote-stylesheet', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'template-remote-stylesheet',
          'issues/template-remote-stylesheet/issue.md\n  issues/template-remote-stylesheet/issue.md  error    Unexpected request for `https://fonts.example/css2?family=Evil`: `https:` requests to `https://fonts.example` are not allowed while printing (no network access except to allow-listed origins); expected a file inside the issue, templates, styles or font folders, or a `data:` URL  blocked-request  masthead:pdf\n\n1 error\n'
        )
      )
    }))

  it('a template script phoning home, and a file:///etc/passwd stylesheet: all blocked, no request reaches the server', async () => {
    const hits: string[] = []
    const server = createServer((request, response) => {
      hits.push(request.url ?? '')
      response.end()
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      await hostile(
        'template-beacons',
        async (project) => {
          const outcome = await run(project, ['build', '--pdf', project.slug])
          refused(project, outcome)
          const blocked = (url: string, reason: string) =>
            `  issues/template-beacons/issue.md  error    Unexpected request for \`${url}\`: ${reason}; expected a file inside the issue, templates, styles or font folders, or a \`data:\` URL  blocked-request  masthead:pdf\n`
          const network =
            '`http:` requests to `' + origin + '` are not allowed while printing (no network access except to allow-listed origins)'
          expect(outcome.stderr).toContain(blocked(`${origin}/beacon.gif`, network))
          expect(outcome.stderr).toContain(blocked(`${origin}/fetch?c=`, network))
          expect(outcome.stderr).toContain(blocked('file:///etc/passwd', '`/etc/passwd` is outside the allowed folders'))
          await sleep(200)
          expect(hits).toEqual([])
        },
        { origin }
      )
    } finally {
      server.close()
    }
  })

  it('an origin in network.allow: its requests go through, and only its', async () => {
    const hits: string[] = []
    const server = createServer((request, response) => {
      hits.push(request.url ?? '')
      response.writeHead(200, { 'content-type': 'text/css' }).end('body { margin: 0 }')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    try {
      await hostile(
        'network-allow',
        async (project) => {
          await writeFile(path.join(project.dir, 'masthead.config.json'), JSON.stringify({ network: { allow: [origin] } }))
          const outcome = await run(project, ['build', '--pdf', project.slug])
          expect(outcome.stderr).not.toMatch(/ error /)
          expect(outcome.code).toBe(0)
          expect(hits).toEqual(['/fonts.css'])
        },
        { origin }
      )
    } finally {
      server.close()
    }
  })
})

describe('a browser that dies, hangs or is interrupted', { tags: ['slow'] }, () => {
  /**
   * Kill the command's browser with SIGKILL while its page runs the fixture's 4 s busy
   * script: once the page's renderer has used 0.5 s of CPU (about 0.15 s before the script).
   * A fixed wait after the browser appeared landed in Chromium's startup on a loaded machine.
   */
  const killBrowser = async (project: Project, skip: readonly number[] = []): Promise<number> => {
    const pid = await waitFor('Chromium', () => browserPids(project).find((candidate) => !skip.includes(candidate)))
    await waitFor("the page's busy script", () => (pageRendererCpuSeconds(project, pid) >= 0.5 ? true : undefined), 60_000)
    process.kill(pid, 'SIGKILL')
    return pid
  }

  it('Chromium killed with SIGKILL mid-render: printed again on a fresh browser, with a warning', () =>
    hostile('slow-render', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug], { during: async () => void (await killBrowser(project)) })
      expect(outcome.code).toBe(0)
      expect(outcome.stderr).toContain(
        '  issues/slow-render/issue.md  warning  Unexpected failure printing `Harbour Notes 7` (Chromium exited while printing `Harbour Notes 7` (it crashed or was killed)), printed on a fresh browser instead  pdf-retried  masthead:pdf\n'
      )
      expect((await readFile(path.join(project.dist, 'print.pdf'))).subarray(0, 5).toString()).toBe('%PDF-')
    }))

  it('Chromium killed twice: a clear error, previous outputs byte for byte', () =>
    hostile('slow-render', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug], {
        during: async () => {
          const first = await killBrowser(project)
          await killBrowser(project, [first])
        }
      })
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'slow-render',
          'issues/slow-render/issue.md\n  issues/slow-render/issue.md  error    Cannot print `Harbour Notes 7`, not even on a fresh browser: Chromium exited while printing `Harbour Notes 7` (it crashed or was killed) (the first attempt failed the same way)  pdf-failed  masthead:pdf\n\n1 error\n'
        )
      )
    }))

  it('a render that never finishes (a template script loops forever): the time limit, twice, then a clear error', () =>
    hostile('render-never-finishes', async (project) => {
      const outcome = await run(project, ['build', '--pdf', project.slug])
      refused(project, outcome)
      expect(outcome.stderr).toBe(
        notBuilt(
          'render-never-finishes',
          "issues/render-never-finishes/issue.md\n  issues/render-never-finishes/issue.md  error    Cannot print `Harbour Notes 7`, not even on a fresh browser: Rendering `Harbour Notes 7` took longer than 1000 ms; raise `renderTimeout` (or the render's `timeout`), or look for a resource that never finishes loading (the first attempt failed the same way)  pdf-failed  masthead:pdf\n\n1 error\n"
        )
      )
    }))

  it.each([
    ['SIGINT', 130, 'interrupted'],
    ['SIGTERM', 143, 'terminated']
  ] as const)('%s during a build: exit %i, browser closed, previous outputs byte for byte', (signal, code, word) =>
    hostile('slow-render', async (project) => {
      const outcome = await run(project, ['build', project.slug], {
        during: async (pid, stderr) => {
          await waitFor('the build to start', () => stderr().includes('… building') || undefined)
          await waitFor('Chromium', () => browserPids(project)[0])
          await sleep(1000)
          process.kill(pid, signal)
        }
      })
      expect(outcome.code).toBe(code)
      expect(outcome.stderr).toBe(`… building slow-render\n\nmasthead: ${word}; closing the browser…\n`)
      expect(folderContents(project.dist)).toEqual(previousOutputs(project))
    })
  )

  // Chromium starts before the command has loaded; a signal may come at any moment of that.
  it.each([0, 150, 400])(
    'SIGTERM %i ms after Chromium started, while the command loads: exit 143, no second Chromium, none left, no profile',
    (delay) =>
      hostile('slow-render', async (project) => {
        const outcome = await run(project, ['build', project.slug], {
          during: async (pid) => {
            await waitFor('Chromium', () => browserPids(project)[0])
            await sleep(delay)
            process.kill(pid, 'SIGTERM')
          }
        })
        expect(outcome.code).toBe(143)
        expect(outcome.stderr).toMatch(/^(… building slow-render\n)?\nmasthead: terminated; closing the browser…\n$/)
        expect(folderContents(project.dist)).toEqual(previousOutputs(project))
      })
  )
})

describe.runIf(canUnshare())('an output folder that cannot be written', () => {
  it('read-only (EROFS): the write fails with the folder named, previous outputs byte for byte', () =>
    hostile('good', async (project) => {
      const outcome = await run(project, [], {
        namespace: 'mount --bind "$DIST" "$DIST" && mount -o remount,bind,ro "$DIST" && exec "$NODE" "$CLI" build --email good',
        env: { DIST: path.dirname(project.dist) }
      })
      refused(project, outcome)
      expect(outcome.stderr).toMatch(
        /^… building good\n✗ good: not written \(see below\); previous outputs left as they were\n[\s\S]*dist\/good\n {2}dist\/good {2}error {4}Cannot write the outputs to `<project>\/dist\/good`: EROFS: read-only file system, open '<project>\/dist\/good\/\.issue\.json\.tmp-\d+-[a-z0-9]+-[a-z0-9]+'; previous outputs left as they were {2}write-failed {2}masthead:cli\n\n1 error\n$/
      )
    }))

  it('a full disk (ENOSPC on a filled tmpfs): the write fails, previous outputs byte for byte, no temporary file left', () =>
    hostile(
      'good',
      async (project) => {
        const after = path.join(project.dir, 'after')
        const outcome = await run(project, [], {
          namespace: [
            'set -e',
            'mkdir -p "$DIST"',
            'mount -t tmpfs -o size=256k tmpfs "$DIST"',
            'mkdir "$DIST/good"',
            `for f in ${Object.keys(previousOutputs(project)).join(' ')}; do printf 'previous %s of good\\n' "$f" > "$DIST/good/$f"; done`,
            'dd if=/dev/zero of="$DIST/filler" bs=4k 2>/dev/null || true',
            'set +e',
            '"$NODE" "$CLI" build --email good; code=$?',
            'cp -a "$DIST/good" "$AFTER"',
            'exit $code'
          ].join('\n'),
          env: { DIST: path.dirname(project.dist), AFTER: after }
        })
        expect(outcome.code).toBe(1)
        expect(outcome.stderr).toContain(
          '  dist/good  error    Cannot write the outputs to `<project>/dist/good`: ENOSPC: no space left on device, write; previous outputs left as they were  write-failed  masthead:cli\n'
        )
        expect(folderContents(after)).toEqual(previousOutputs(project))
      },
      { previous: false }
    ))
})

describe('unwritable output when namespaces are not available', () => {
  it('a file where dist/<issue>/ should be: the write fails with the folder named', () =>
    hostile('good', async (project) => {
      const dist = path.dirname(project.dist)
      await writeFile(path.join(dist, 'blocked'), 'a file, not a folder\n')
      await chmod(path.join(dist, 'blocked'), 0o444)
      await mkdir(path.join(project.dir, 'issues/blocked'))
      await writeFile(path.join(project.dir, 'issues/blocked/issue.md'), await readFile(path.join(project.dir, 'issues/good/issue.md')))
      const outcome = await run(project, ['build', '--email', 'blocked'])
      expect(outcome.code).toBe(1)
      expect(outcome.stderr).toContain(
        "  dist/blocked  error    Cannot write the outputs to `<project>/dist/blocked`: EEXIST: file already exists, mkdir '<project>/dist/blocked'; previous outputs left as they were  write-failed  masthead:cli\n"
      )
      expect(await readFile(path.join(dist, 'blocked'), 'utf8')).toBe('a file, not a folder\n')
    }))
})
