import { execFile, spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { Browser, Page } from 'puppeteer-core'
import puppeteer from 'puppeteer-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_CHROMIUM, TEST_CHROMIUM_ARGS } from '../../../scripts/test-browser.mjs'

const run = promisify(execFile)
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const bin = path.resolve(root, 'packages/cli/bin/masthead.js')
const SLUG = '2021-green-silk-road'
const HEADLINE = '## 习近平出席“领导人气候峰会”并发表重要讲话'

let work: string
let project: string
let source: string
let original: string
let template: string
let originalTemplate: string
let child: ChildProcess
let stderr = ''
let url: string
let browser: Browser
let page: Page

/** Start `masthead dev` as a child process; resolves with the address it prints. */
function startDev(): Promise<string> {
  // The dev server's Chromium puts its profile under TMPDIR: `pgrep -f` finds it by that.
  child = spawn(process.execPath, [bin, 'dev', SLUG, '--port', '0'], {
    cwd: project,
    env: { ...process.env, TMPDIR: path.join(work, 'tmp'), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /Preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)
      if (match) resolve(match[1]!)
    })
    child.once('exit', (code) => reject(new Error(`masthead dev exited with ${code}:\n${stderr}`)))
  })
}

/** The text of the document in a frame stack's current iframe. */
function frameText(stack: string): Promise<string> {
  return page.evaluate((id) => {
    const frame = document.querySelector<HTMLIFrameElement>(`#${id} iframe:not(.incoming)`)
    return frame?.contentDocument?.body?.innerText ?? ''
  }, stack)
}

/** Wait until every HTML view shows `text`. */
async function waitForText(text: string, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (wanted) => {
      const read = (id: string) =>
        document.querySelector<HTMLIFrameElement>(`#${id} iframe:not(.incoming)`)?.contentDocument?.body?.innerText ?? ''
      return (
        read('email-600').includes(wanted) &&
        read('email-375').includes(wanted) &&
        read('print-html-frame').includes(wanted) &&
        (document.getElementById('plain-text')?.textContent ?? '').includes(wanted)
      )
    },
    { timeout, polling: 50 },
    text
  )
}

/** Wait until the PDF of the latest round is in the page. */
async function waitForPdf(timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const state = (window as unknown as { masthead: { state?: { views: Record<string, number>; busy: { pdf: boolean } } } }).masthead
        .state
      const frame = document.querySelector<HTMLIFrameElement>('#pdf-frame iframe:not(.incoming)')
      return (
        state !== undefined &&
        !state.busy.pdf &&
        state.views['print.pdf']! >= state.views['print.html']! &&
        frame?.src.includes(`v=${state.views['print.pdf']}`)
      )
    },
    { timeout, polling: 100 }
  )
}

/** A raw request, path as written (no URL normalisation on the way). */
function request(method: string, pathname: string): Promise<{ status: number; allow: string | undefined; body: string }> {
  const { port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: pathname }, (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk.toString()))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, allow: res.headers.allow, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

async function chromiumsOf(dir: string): Promise<string> {
  try {
    const { stdout } = await run('pgrep', ['-f', dir])
    return stdout.trim()
  } catch {
    return '' // pgrep exits 1 when nothing matches
  }
}

function lineOf(text: string, needle: string): number {
  return text.slice(0, text.indexOf(needle)).split('\n').length
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'masthead-dev-test-'))
  project = path.join(work, 'project')
  await mkdir(path.join(work, 'tmp'), { recursive: true })
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  await cp(path.join(root, 'issues', SLUG), path.join(project, 'issues', SLUG), { recursive: true })
  source = path.join(project, 'issues', SLUG, 'issue.md')
  original = await readFile(source, 'utf8')
  template = path.join(project, 'templates/sections/news/print.hbs')
  originalTemplate = await readFile(template, 'utf8')
  url = await startDev()
  browser = await puppeteer.launch({
    executablePath: TEST_CHROMIUM,
    headless: true,
    args: TEST_CHROMIUM_ARGS,
    userDataDir: path.join(work, 'browser')
  })
  page = await browser.newPage()
  await page.setViewport({ width: 1600, height: 1000 })
  await page.goto(url, { waitUntil: 'load' })
  // Marks this document: a reload would lose it.
  await page.evaluate(() => Object.assign(window, { notReloaded: true }))
}, 120_000)

afterAll(async () => {
  await browser?.close()
  if (child && child.exitCode === null) {
    child.kill('SIGKILL')
  }
  await rm(work, { recursive: true, force: true })
})

describe('masthead dev', { tags: ['slow'], timeout: 120_000 }, () => {
  it('serves the preview: the PDF, the print HTML, the email at 600 and 375 px, the plain text and the web edition at 1280 and 320 px', async () => {
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/)
    await waitForText('领导人气候峰会', 60_000)
    await waitForPdf()
    const pdf = await fetch(new URL('print.pdf', url))
    expect(pdf.headers.get('content-type')).toBe('application/pdf')
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString()
    ).toBe('%PDF-')
    await page.click('[role=tab][data-view=email]')
    const widths = await page.evaluate(() =>
      ['email-600', 'email-375'].map((id) => document.querySelector<HTMLIFrameElement>(`#${id} iframe`)!.contentWindow!.innerWidth)
    )
    expect(widths).toEqual([600, 375])
    // The web edition: its tab shows it at 1280 and 320 px, with its images.
    await page.click('[role=tab][data-view=web]')
    await page.waitForFunction(
      () =>
        ['web-wide', 'web-320'].every((id) =>
          document.querySelector<HTMLIFrameElement>(`#${id} iframe:not(.incoming)`)?.contentDocument?.querySelector('main')
        ),
      { timeout: 60_000 }
    )
    const web = await page.evaluate(() =>
      ['web-wide', 'web-320'].map((id) => {
        const frame = document.querySelector<HTMLIFrameElement>(`#${id} iframe:not(.incoming)`)!
        const images = Array.from(frame.contentDocument!.images)
        return {
          width: frame.contentWindow!.innerWidth,
          h1: frame.contentDocument!.querySelector('h1')?.textContent,
          images: images.length,
          src: images[0]?.getAttribute('src')
        }
      })
    )
    expect(web.map((view) => view.width)).toEqual([1280, 320])
    expect(web[0]!.h1).toContain('绿色发展国际联盟通讯')
    expect(web[0]!.images).toBeGreaterThan(0)
    const image = await fetch(new URL(`web/${web[0]!.src}`, url))
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/webp'])
    await page.click('[role=tab][data-view=split]')
    // The print HTML loads its styles and images through the server.
    const styled = await page.evaluate(() => {
      const doc = document.querySelector<HTMLIFrameElement>('#print-html-frame iframe')!.contentDocument!
      return { sheets: doc.styleSheets.length, images: Array.from(doc.images).every((image) => image.complete && image.naturalWidth > 0) }
    })
    expect(styled.sheets).toBeGreaterThan(3)
    expect(styled.images).toBe(true)
  })

  it('refuses paths outside what it serves, and anything but GET and HEAD', async () => {
    expect((await request('GET', '/../package.json')).status).toBe(403)
    expect((await request('GET', '/files/issue/../../../package.json')).status).toBe(403)
    expect((await request('GET', '/files/issue/%2e%2e/%2e%2e/package.json')).status).toBe(403)
    expect((await request('GET', '/files/issue/..%2f..%2fpackage.json')).status).toBe(403)
    expect((await request('GET', '/package.json')).status).toBe(404)
    expect((await request('GET', '/files/issue/issue.md')).status).toBe(200)
    expect((await request('HEAD', '/print.html')).status).toBe(200)
    const post = await request('POST', '/')
    expect(post.status).toBe(405)
    expect(post.allow).toBe('GET, HEAD')
    expect((await request('PUT', '/files/issue/issue.md')).status).toBe(405)
    expect(await readFile(source, 'utf8')).toBe(original)
  })

  it('shows an edit of the issue in every view without a reload, patching the HTML views in place, keeping the scroll position', async () => {
    await page.evaluate(() => {
      document.querySelector<HTMLIFrameElement>('#email-600 iframe:not(.incoming)')!.contentWindow!.scrollTo(0, 600)
      // Marks on the documents on screen: a patched view keeps its document, a reloaded one would not.
      for (const id of ['email-600', 'email-375', 'print-html-frame']) {
        ;(document.querySelector<HTMLIFrameElement>(`#${id} iframe:not(.incoming)`)!.contentWindow as unknown as { kept?: boolean }).kept =
          true
      }
    })
    await writeFile(source, original.replace(HEADLINE, HEADLINE.replace('## ', '## 编辑一 ')))
    await waitForText('编辑一')
    await waitForPdf()
    const after = await page.evaluate(() => ({
      reloaded: !(window as unknown as { notReloaded?: boolean }).notReloaded,
      scroll: document.querySelector<HTMLIFrameElement>('#email-600 iframe:not(.incoming)')!.contentWindow!.scrollY,
      kept: ['email-600', 'email-375', 'print-html-frame'].map(
        (id) =>
          (document.querySelector<HTMLIFrameElement>(`#${id} iframe:not(.incoming)`)!.contentWindow as unknown as { kept?: boolean })
            .kept === true
      )
    }))
    expect(after.reloaded).toBe(false)
    expect(after.kept).toEqual([true, true, true])
    expect(after.scroll).toBe(600)
  })

  it('shows a broken source in an overlay at issue.md:line:column, over the last good views, and clears it on the next good save', async () => {
    const broken = original.replace(':::news[绿色丝路新闻]', ':::newz[绿色丝路新闻]')
    const line = lineOf(broken, ':::newz')
    await writeFile(source, broken)
    await page.waitForSelector('#overlay:not([hidden])', { timeout: 30_000 })
    const overlay = await page.$eval('#overlay', (element) => element.textContent ?? '')
    expect(overlay).toContain(`issues/${SLUG}/issue.md:${line}:1`)
    expect(overlay).toContain('newz')
    const marked = await page.$eval('#overlay .code-frame .marked', (element) => element.textContent ?? '')
    expect(marked).toContain(`${line} │ :::newz[绿色丝路新闻]`)
    // The last good build stays underneath.
    expect(await frameText('email-600')).toContain('编辑一')

    await writeFile(source, original.replace(HEADLINE, HEADLINE.replace('## ', '## 编辑二 ')))
    await waitForText('编辑二')
    await page.waitForSelector('#overlay', { hidden: true, timeout: 30_000 })
    await waitForPdf()
  })

  it('shows a template edit, and a broken template in the overlay with the template file and line', async () => {
    await writeFile(
      template,
      originalTemplate.replace('<div class="item-body', '<p class="e2e-mark">版式标记</p>\n  <div class="item-body')
    )
    await page.waitForFunction(
      () =>
        document
          .querySelector<HTMLIFrameElement>('#print-html-frame iframe:not(.incoming)')
          ?.contentDocument?.querySelector('.e2e-mark') !== null,
      { timeout: 30_000, polling: 50 }
    )
    const lines = originalTemplate.split('\n')
    const at = lines.findIndex((text) => text.includes('{{> item-meta}}'))
    lines.splice(at, 0, '  {{> no-such-partial}}')
    await writeFile(template, lines.join('\n'))
    await page.waitForSelector('#overlay:not([hidden])', { timeout: 30_000 })
    const overlay = await page.$eval('#overlay', (element) => element.textContent ?? '')
    expect(overlay).toMatch(new RegExp(`templates/sections/news/print\\.hbs:${at + 1}:\\d+`))
    expect(await page.$eval('#overlay .code-frame .marked', (element) => element.textContent ?? '')).toContain('{{> no-such-partial}}')

    await writeFile(template, originalTemplate)
    await page.waitForSelector('#overlay', { hidden: true, timeout: 30_000 })
    await page.waitForFunction(
      () =>
        document
          .querySelector<HTMLIFrameElement>('#print-html-frame iframe:not(.incoming)')
          ?.contentDocument?.querySelector('.e2e-mark') === null,
      { timeout: 30_000, polling: 50 }
    )
    await waitForPdf()
    if (process.env.MASTHEAD_SCREENSHOT) {
      // For the README: the sample as it is, at the top.
      await writeFile(source, original)
      await page.waitForFunction(() => !document.getElementById('plain-text')?.textContent?.includes('编辑二'), { timeout: 30_000 })
      await waitForPdf()
      await page.evaluate(() =>
        document.querySelector<HTMLIFrameElement>('#email-600 iframe:not(.incoming)')!.contentWindow!.scrollTo(0, 0)
      )
      await new Promise((resolve) => setTimeout(resolve, 4000))
      await page.screenshot({ path: process.env.MASTHEAD_SCREENSHOT as `${string}.png` })
    }
  })

  it('shows a style edit in the print HTML and in the PDF (no stale stylesheet from the warm page)', async () => {
    const stylesheet = path.join(project, 'styles/print.css')
    const css = await readFile(stylesheet, 'utf8')
    const round = await page.evaluate(() => (window as unknown as { masthead: { state: { round: number } } }).masthead.state.round)
    await writeFile(stylesheet, css + '\n.cover::before { content: "STYLEMARK"; }\n')
    await page.waitForFunction(
      () => {
        const doc = document.querySelector<HTMLIFrameElement>('#print-html-frame iframe:not(.incoming)')?.contentDocument
        const cover = doc?.querySelector('.cover')
        return cover ? getComputedStyle(cover, '::before').content.includes('STYLEMARK') : false
      },
      { timeout: 30_000, polling: 50 }
    )
    await page.waitForFunction(
      (before) => (window as unknown as { masthead: { state: { round: number } } }).masthead.state.round > before,
      { timeout: 30_000 },
      round
    )
    await waitForPdf()
    const pdf = path.join(work, 'style.pdf')
    await writeFile(pdf, Buffer.from(await (await fetch(new URL('print.pdf', url))).arrayBuffer()))
    const { stdout } = await run('pdftotext', ['-l', '1', pdf, '-'])
    expect(stdout).toContain('STYLEMARK')
    await writeFile(stylesheet, css)
    await waitForPdf()
  })

  it('stops on SIGTERM, closing the server and its Chromium', async () => {
    expect(await chromiumsOf(path.join(work, 'tmp'))).not.toBe('')
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(await chromiumsOf(path.join(work, 'tmp'))).toBe('')
    await expect(fetch(url)).rejects.toThrow()
    expect(stderr).not.toMatch(/Cannot build/)
  })
})
