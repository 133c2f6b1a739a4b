import { existsSync } from 'node:fs'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLayout, loadSectionTypes } from '../src/index.js'
import { handMadeIssue } from './fixtures/hand-made-issue.js'
import { frontmatter, messages, openLayout, parseMarkdown, root, stylesDir, tempProject, templatesDir } from './support.js'

let project: Awaited<ReturnType<typeof tempProject>>
beforeAll(async () => {
  project = await tempProject()
})
afterAll(() => project.cleanup())

/** The part of a print document between `<main>` and `</main>`. */
const mainOf = (html: string): string => html.slice(html.indexOf('<main>'), html.indexOf('</main>'))

describe('createLayout', () => {
  it('compiles the repository templates without messages', async () => {
    const { files } = await openLayout()
    expect(messages(files)).toEqual([])
  })

  it('rejects bad options with a TypeError', async () => {
    // @ts-expect-error: testing a bad call
    await expect(createLayout({ templatesDir })).rejects.toThrow(TypeError)
  })
})

describe('print: every section type renders its example.md', async () => {
  const sections = (await readdir(path.join(templatesDir, 'sections'))).filter((name) =>
    existsSync(path.join(templatesDir, 'sections', name, 'example.md'))
  )
  it('has an example for every section type', async () => {
    const { types } = await loadSectionTypes(templatesDir)
    expect(sections).toEqual([...types.keys()])
    expect(sections).toEqual(expect.arrayContaining(['article', 'contacts', 'milestones', 'news', 'viewpoints']))
  })

  for (const name of sections) {
    it(`renders sections/${name}/example.md`, async () => {
      const { types, layout } = await openLayout()
      const example = await readFile(path.join(templatesDir, 'sections', name, 'example.md'), 'utf8')
      const lang = /[\u4e00-\u9fff]/.test(example) ? 'zh-CN' : 'en'
      const issue = await parseMarkdown(project.dir, `example-${name}`, frontmatter(lang) + example, types)
      const { output, files } = layout.render('print', issue)
      expect(messages(files)).toEqual([])
      const section = issue.sections[0]!
      expect(output.replaceAll('<wbr>', '')).toContain(`<h1 class="section-title" id="${section.id}">${section.title}</h1>`)
      expect(output).toMatch(new RegExp(`class="section section--${name}( section--break-page)?"`))
      for (const item of section.items) {
        if (item.headline) expect(output).toMatch(new RegExp(`<h2 class="item-headline" id="${item.id}">`))
      }
      await expect(mainOf(output)).toMatchFileSnapshot(`./fixtures/examples/${name}.print.html`)
    })
  }
})

describe('print: the document', () => {
  it('links fonts, print.css and each section stylesheet as file URLs that exist', async () => {
    const { layout } = await openLayout()
    const { output } = layout.render('print', handMadeIssue())
    const hrefs = [...output.matchAll(/<link rel="stylesheet" href="([^"]+)">/g)].map((match) => match[1]!)
    expect(hrefs.some((href) => href.includes('@fontsource/noto-serif-sc'))).toBe(true)
    expect(hrefs.some((href) => href.includes('@fontsource/noto-sans-sc'))).toBe(true)
    expect(hrefs).toContain(new URL('print.css', `file://${stylesDir}/`).href)
    const sectionCss = (await readdir(path.join(stylesDir, 'sections'))).filter((name) => name.endsWith('.css'))
    expect(hrefs.filter((href) => href.includes('/styles/sections/'))).toHaveLength(sectionCss.length)
    for (const href of hrefs) expect(existsSync(fileURLToPath(href))).toBe(true)
    expect(output).toMatch(/^<!doctype html>\n<html lang="zh-CN" class="edition-print">/)
    expect(output).toContain('<title>“一带一路”绿色发展国际联盟通讯 · 2021年第1期</title>')
  })

  it('uses the font stylesheets it is given', async () => {
    const { layout } = await openLayout()
    const { output } = layout.render('print', handMadeIssue(), { fontCss: ['file:///fonts/a.css'] })
    expect(output).toContain('<link rel="stylesheet" href="file:///fonts/a.css">')
    expect(output).not.toContain('@fontsource')
  })

  it('sets the page size from the paper option and adds bleed', async () => {
    const { layout } = await openLayout()
    const a4 = layout.render('print', handMadeIssue()).output
    expect(a4).toContain(':root { --page-width: 210mm; --page-height: 297mm; }')
    expect(a4).not.toContain('--bleed: 3mm')
    const letter = layout.render('print', handMadeIssue(), { paper: 'Letter', bleed: true }).output
    expect(letter).toContain(':root { --page-width: 215.9mm; --page-height: 279.4mm; }')
    expect(letter).toContain('<html lang="zh-CN" class="edition-print bleed">')
    expect(letter).toContain(':root { --bleed: 3mm; }')
    const custom = layout.render('print', handMadeIssue(), { paper: '170mm 240mm' }).output
    expect(custom).toContain(':root { --page-width: 170mm; --page-height: 240mm; }')
  })

  it('reports a paper size it does not know on the issue and falls back to A4', async () => {
    const { layout } = await openLayout()
    const { output, files } = layout.render('print', handMadeIssue(), { paper: 'Tabloid-ish' })
    expect(output).toContain('--page-width: 210mm')
    expect(messages(files)[0]).toMatch(/issue\.md: Unexpected paper `Tabloid-ish`/)
  })

  it('writes a table of contents whose every entry targets an h1 or h2 in the body', async () => {
    const { layout } = await openLayout()
    const { output } = layout.render('print', handMadeIssue())
    const targets = [
      ...output.matchAll(/<a class="toc-entry[^"]*" href="#([^"]+)">.*?<span class="toc-page" data-toc-target="([^"]+)"><\/span><\/a>/g)
    ]
    expect(targets.map((match) => match[1])).toEqual(['news', 'karuma', 'milestones', 'views', 'solheim', 'contact'])
    for (const [, href, target] of targets) {
      expect(href).toBe(target)
      expect(mainOf(output)).toMatch(new RegExp(`<h[12] class="[^"]+" id="${target}">`))
    }
  })

  it('gives each page group a named page with running headers; sections that flow on share it (issue 14)', async () => {
    const { layout } = await openLayout()
    const flowing = layout.render('print', handMadeIssue()).output
    expect(flowing.match(/style="page: section-news"/g)).toHaveLength(3)
    // contacts starts a new page (its section.json says so).
    expect(flowing).toContain('class="section section--contacts section--break-page"')
    // Two sections share the pages: the running header names the issue.
    expect(flowing).toContain(
      '@page section-news {\n  @top-left { content: "“一带一路”绿色发展国际联盟通讯"; }\n  @top-right { content: "2021年第1期"; }\n}'
    )
    const issue = handMadeIssue()
    issue.sections[1]!.break = 'page'
    const broken = layout.render('print', issue).output
    expect(broken).toContain('class="section section--milestones section--break-page" style="page: section-milestones"')
    expect(broken).toContain(
      '@page section-news {\n  @top-left { content: "“一带一路”绿色发展国际联盟通讯"; }\n  @top-right { content: "绿色丝路新闻"; }\n}'
    )
  })

  it('escapes titles for CSS so they cannot end the string or the style element', async () => {
    const { layout } = await openLayout()
    const issue = handMadeIssue()
    issue.sections[0]!.title = 'A "quoted" </style><script>x</script> title'
    issue.sections[0]!.id = '1st news'
    issue.sections[1]!.break = 'page'
    const { output } = layout.render('print', issue)
    const style = output.slice(output.indexOf('<style>'), output.indexOf('</style>'))
    expect(style).toContain('@page section-\\31 st\\20 news {')
    expect(style).toContain('@top-right { content: "A \\22 quoted\\22  \\3C /style\\3E \\3C script\\3E x\\3C /script\\3E  title"; }')
    expect(style).not.toContain('<script>')
    expect(output).toContain('style="page: section-\\31 st\\20 news"')
  })

  it('marks sections, items, entries and figures with their line in issue.md', async () => {
    const { layout } = await openLayout()
    const html = mainOf(layout.render('print', handMadeIssue()).output)
    expect(html).toContain('data-section="news" data-source-line="13" data-source-column="1"')
    expect(html).toContain('<article class="item news-item item--short" data-source-line="15" data-source-column="1">')
    expect(html).toContain('<li class="timeline-entry" id="m1" data-source-line="34" data-source-column="1">')
    expect(html).toContain('<figure class="figure viewpoint-portrait" data-source-line="20" data-source-column="1">')
  })

  it('renders the hand-made issue (all section types, images, untitled items)', async () => {
    const { layout } = await openLayout()
    const { output, files } = layout.render('print', handMadeIssue())
    expect(messages(files)).toEqual([])
    const html = mainOf(output)
    expect(html).toContain('<span class="credit-label">来源：</span>人民日报')
    expect(html).toContain('<span class="credit-label">供稿：</span>中国电建')
    expect(html).toContain('<time datetime="2021-04-22">2021年4月22日</time>')
    expect(html).toContain('<span class="timeline-year-label">2017</span>')
    expect(html).toContain('<time class="timeline-date" datetime="2019-12">12月</time>')
    expect(html).toContain('<blockquote class="viewpoint-quote"><p>这是我们时代最大的投资计划。</p></blockquote>')
    expect(html).toMatch(/<figure class="contact-qr">\s*<svg class="qr"/)
    expect(html).toContain('<dd><span lang="en">+86-10-82200535</span></dd>')
    expect(html).toContain('<p>一条没有标题的简讯。</p>')
    expect(output).toContain('<time class="masthead-date" datetime="2021-04-30">2021年4月30日</time>')
  })
})

describe('template errors name the template file, line and column', () => {
  const newsTemplate = (dir: string): string => path.join(dir, 'templates/sections/news/print.hbs')

  it('reports a syntax error at compile time', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(newsTemplate(dir), '{{#each items}}\n  <h2>{{headline}}</h2>\n{{/if}}\n')
      const { files } = await openLayout(dir)
      expect(messages(files, dir)).toEqual(["templates/sections/news/print.hbs:1:4: Cannot parse template: each doesn't match if"])
      await writeFile(newsTemplate(dir), '{{#each items}}\n  <h2>{{headline}}</h2>\n  {{fields.source bar=}}\n{{/each}}\n')
      const second = await openLayout(dir)
      expect(messages(second.files, dir)).toEqual([
        "templates/sections/news/print.hbs:3:23: Cannot parse template: Expecting 'OPEN_SEXPR', 'ID', 'STRING', 'NUMBER', 'BOOLEAN', 'UNDEFINED', 'NULL', 'DATA', got 'CLOSE'"
      ])
    } finally {
      await cleanup()
    }
  })

  it('reports a misspelled field (strict mode) with a cause in issue.md', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(newsTemplate(dir), '{{#each items}}\n  <h2>{{headline}}</h2>\n  <p>{{fields.bylin}}</p>\n{{/each}}\n')
      const { layout } = await openLayout(dir)
      const { files } = layout.render('print', handMadeIssue())
      const [message] = files.flatMap((file) => file.messages)
      expect(messages(files, dir)).toEqual([
        'templates/sections/news/print.hbs:3:8: Unexpected unknown field `bylin` in fields of item `karuma`'
      ])
      expect(message?.ruleId).toBe('template-strict')
      expect(message?.fatal).toBe(true)
      const cause = message?.cause as { file?: string; line?: number } | undefined
      expect(cause?.file).toBe(handMadeIssue().source)
      expect(cause?.line).toBe(15)
    } finally {
      await cleanup()
    }
  })

  it('denies prototype properties, and says so when a template reaches through one', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(
        newsTemplate(dir),
        '{{#each items}}\n  <h2>{{lookup this "__proto__"}}{{lookup this "constructor"}}</h2>\n  <p>{{constructor.name}}</p>\n{{/each}}\n'
      )
      const { layout } = await openLayout(dir)
      const { files } = layout.render('print', handMadeIssue())
      expect(messages(files, dir)).toEqual([
        'templates/sections/news/print.hbs:3:8: Unexpected unknown field `name` of a value that is not defined, expected a field of the context (prototype properties such as `constructor` and `__proto__` are not readable)'
      ])
    } finally {
      await cleanup()
    }
  })

  it('names the field a template reads through a value that is not there, at its first use', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(newsTemplate(dir), '{{#each items}}\n  <h2>{{headline}}</h2>\n  <p>{{constructor.constructor.name}}</p>\n{{/each}}\n')
      const { layout } = await openLayout(dir)
      const { files } = layout.render('print', handMadeIssue())
      expect(messages(files, dir)).toEqual([
        'templates/sections/news/print.hbs:3:8: Unexpected unknown field `constructor` of a value that is not defined, expected a field of the context (prototype properties such as `constructor` and `__proto__` are not readable)'
      ])
    } finally {
      await cleanup()
    }
  })

  it('reports a misspelled field inside a helper call, listing the fields there are', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(newsTemplate(dir), '{{#each items}}\n  {{#if fields.dke}}<p>{{fields.dek}}</p>{{/if}}\n{{/each}}\n')
      const { layout } = await openLayout(dir)
      const { files } = layout.render('print', handMadeIssue())
      expect(messages(files, dir)).toEqual([
        'templates/sections/news/print.hbs:2:16: Unexpected unknown field `dke` in fields of item `karuma`, expected one of `dek`, `source`, `contributor`, `byline`, `date`, `place`, or `link`'
      ])
    } finally {
      await cleanup()
    }
  })

  it('reports an unknown helper and an unknown partial', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(newsTemplate(dir), '{{#each items}}\n  <time>{{formatDat fields.date}}</time>\n{{/each}}\n')
      await writeFile(path.join(dir, 'templates/sections/milestones/print.hbs'), '<ol>\n{{> timline}}\n</ol>\n')
      const { layout } = await openLayout(dir)
      const { files } = layout.render('print', handMadeIssue())
      const found = messages(files, dir)
      expect(found[0]).toMatch(/^templates\/sections\/news\/print\.hbs:2:9: Unexpected unknown helper `formatDat`, expected one of `and`/)
      expect(found[1]).toMatch(
        /^templates\/sections\/milestones\/print\.hbs:2:5: Unexpected unknown partial `timline`, expected one of `cover`/
      )
    } finally {
      await cleanup()
    }
  })

  it('reports a helper that fails at the place of its call', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(newsTemplate(dir), '{{#each items}}\n  <time>{{formatDate headline}}</time>\n{{/each}}\n')
      const { layout } = await openLayout(dir)
      const { files } = layout.render('print', handMadeIssue())
      expect(messages(files, dir)[0]).toBe(
        'templates/sections/news/print.hbs:2:9: Cannot run helper `formatDate`: Unexpected date `绿色工程，为乌干达发展“充电”`, expected a date field or `YYYY-MM-DD`'
      )
    } finally {
      await cleanup()
    }
  })

  it('reports an error in a partial on the partial', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      await writeFile(path.join(dir, 'templates/partials/masthead.hbs'), '<div>\n  {{meta.titel}}\n</div>\n')
      const { layout } = await openLayout(dir)
      const { output, files } = layout.render('print', handMadeIssue())
      expect(output).toBe('')
      expect(messages(files, dir)).toEqual(['templates/partials/masthead.hbs:2:5: Unexpected unknown field `titel` in meta'])
    } finally {
      await cleanup()
    }
  })
})

describe('section types from files alone', () => {
  it('renders a new section type added as a folder, with its stylesheet', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      const folder = path.join(dir, 'templates/sections/quote')
      await mkdir(folder)
      await writeFile(
        path.join(folder, 'section.json'),
        JSON.stringify({
          $schema: '../../../packages/layout/section.schema.json',
          name: 'quote',
          title: { en: 'Quote', 'zh-CN': '引言' },
          fields: { who: { type: 'text', required: true, aliases: ['by', '作者'] } },
          sectionFields: {},
          editions: ['print']
        })
      )
      await writeFile(
        path.join(folder, 'print.hbs'),
        '{{#each items}}\n<blockquote class="quote" data-source-line="{{sourceLine}}">{{{body.html}}}<cite>{{fields.who}}</cite></blockquote>\n{{/each}}\n'
      )
      await writeFile(path.join(dir, 'styles/sections/quote.css'), '.quote { font-size: 14pt; }\n')

      const { types, layout, files } = await openLayout(dir)
      expect(messages(files, dir)).toEqual([])
      expect(types.has('quote')).toBe(true)
      const issue = await parseMarkdown(
        dir,
        'with-quote',
        `${frontmatter('en')}:::quote[Words]\n\n## A thought\nwho: Ada Lovelace\n\nThe engine weaves patterns.\n:::\n`,
        types
      )
      const { output, files: renderFiles } = layout.render('print', issue)
      expect(messages(renderFiles, dir)).toEqual([])
      expect(output).toContain('<blockquote class="quote" data-source-line="')
      expect(output).toContain('<p>The engine weaves patterns.</p><cite>Ada Lovelace</cite></blockquote>')
      expect(output).toContain('<h1 class="section-title" id="')
      expect(output).toContain('styles/sections/quote.css">')
    } finally {
      await cleanup()
    }
  })

  it('falls back to the article template, with a warning, when a type has none for the edition', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      const folder = path.join(dir, 'templates/sections/brief')
      await mkdir(folder)
      await writeFile(
        path.join(folder, 'section.json'),
        JSON.stringify({ name: 'brief', title: { en: 'Brief' }, fields: { source: { type: 'text' } }, editions: ['email'] })
      )
      await writeFile(path.join(folder, 'email.hbs'), '{{#each items}}{{headline}}{{/each}}')
      const { types, layout } = await openLayout(dir)
      const issue = await parseMarkdown(
        dir,
        'with-brief',
        `${frontmatter('en')}:::brief[In brief]\n\n## One line\nsource: Wire\n\nShort.\n:::\n`,
        types
      )
      const { output, files } = layout.render('print', issue)
      expect(messages(files, dir)).toEqual([
        'templates/sections/brief/section.json: Missing `print.hbs` for section type `brief`, expected one; using the `article` template instead'
      ])
      expect(output).toContain('class="section section--brief section--article"')
      expect(output).toContain('<span class="credit-label">Source: </span>Wire')
    } finally {
      await cleanup()
    }
  })
})

describe('render', () => {
  it('throws a TypeError for an unknown edition', async () => {
    const { layout } = await openLayout()
    // @ts-expect-error: testing a bad call
    expect(() => layout.render('sms', handMadeIssue())).toThrow(TypeError)
  })

  it('renders the web edition with the print section templates when a type has no web.hbs, without a warning', async () => {
    const { layout } = await openLayout()
    const { output, files } = layout.render('web', handMadeIssue())
    expect(files.flatMap((file) => file.messages)).toEqual([])
    expect(output).toMatch(/^<!doctype html>\s*<html lang="[^"]+" class="edition-web">/)
    // The print template's item markup, under the web layout's <main>.
    expect(output).toMatch(/<main id="main"[^>]*>[\s\S]*<article class="item [^"]*"[\s\S]*<\/main>/)
    expect(output).toContain('styles/web.css')
  })

  it('reports a missing layout', async () => {
    const { dir, cleanup } = await tempProject()
    try {
      const { types } = await loadSectionTypes(path.join(dir, 'templates'))
      const { layout } = await createLayout({ templatesDir: path.join(dir, 'nowhere'), stylesDir: path.join(dir, 'styles'), types })
      const { output, files } = layout.render('print', handMadeIssue())
      expect(output).toBe('')
      expect(messages(files, dir)[0]).toMatch(/^nowhere\/layouts\/print\.hbs: Missing layout `layouts\/print\.hbs`/)
    } finally {
      await cleanup()
    }
  })

  it('keeps the repository root as the reference for messages', () => {
    expect(existsSync(path.join(root, 'templates/layouts/print.hbs'))).toBe(true)
  })
})

describe('fonts', () => {
  it('names the font package folders the PDF step must allow, covering every default font stylesheet', async () => {
    const { defaultFontCss, fontRoots } = await import('../src/index.js')
    const roots = fontRoots()
    expect(roots.map((dir) => path.basename(dir)).sort()).toEqual(['noto-sans-sc', 'noto-serif', 'noto-serif-sc'])
    expect(defaultFontCss('zh-CN').some((href) => href.includes('/noto-serif/'))).toBe(false)
    expect(defaultFontCss('en').some((href) => href.includes('/noto-serif/400-italic.css'))).toBe(true)
    for (const href of defaultFontCss()) {
      expect(roots.some((dir) => fileURLToPath(href).startsWith(dir + path.sep))).toBe(true)
    }
  })
})

describe('parts and speeches (issue 14)', () => {
  const markdown =
    frontmatter('zh-CN') +
    ':::viewpoints[开幕致辞]\n发言人：林晓舟\n职务：理事长\n\n各位来宾。\n\n职务：部门代表\n\n女士们。\n:::\n\n' +
    ':::article[第一场]\n导语。\n\n# （一）交通\n本部分导语。\n\n## 公交优先\n\n正文一。\n\n# （二）建筑\n\n## 屋顶光伏\n\n正文二。\n:::\n'

  it('prints each part as an h2 between its section and its items (h3), lists parts in the contents, and heads a speech by its speaker', async () => {
    const { layout, types } = await openLayout()
    const issue = await parseMarkdown(project.dir, 'parts', markdown, types)
    const { output, files } = layout.render('print', issue)
    expect(messages(files)).toEqual([])
    const body = mainOf(output)
    // Titles carry `<wbr>` break chances between CJK words (wordBreaks); the text is what counts here.
    const headings = [...body.matchAll(/<h([1-6]) class="([^"]+)" id="([^"]+)">(.*?)<\/h\1>/g)].map(
      (match) => `h${match[1]} ${match[2]} ${match[4]!.replaceAll('<wbr>', '')}`
    )
    expect(headings).toEqual([
      'h1 section-title 开幕致辞',
      'h2 viewpoint-name 林晓舟',
      'h2 viewpoint-name 部门代表',
      'h1 section-title 第一场',
      'h2 part-title （一）交通',
      'h3 item-headline 公交优先',
      'h2 part-title （二）建筑',
      'h3 item-headline 屋顶光伏'
    ])
    expect(body.match(/林晓舟/g)).toHaveLength(1)
    expect(body).toContain('<p class="viewpoint-role">理事长</p>')
    expect(body).not.toContain('<p class="viewpoint-role">部门代表</p>')
    expect(body).toContain('<div class="part-intro"><p>本部分导语。</p></div>')
    const toc = [...output.matchAll(/<a class="toc-entry toc-entry--(\w+)" href="#([^"]+)">.*?<span class="toc-text">(.*?)<\/span>/g)].map(
      (match) => `${match[1]} ${match[3]!.replaceAll('<wbr>', '')}`
    )
    expect(toc).toEqual([
      'section 开幕致辞',
      'item 林晓舟',
      'item 部门代表',
      'section 第一场',
      'part （一）交通',
      'item 公交优先',
      'part （二）建筑',
      'item 屋顶光伏'
    ])
  })
})
