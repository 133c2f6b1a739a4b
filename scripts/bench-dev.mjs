#!/usr/bin/env node
// How fast `masthead dev` feels: the time from writing issue.md to the updated HTML views
// (print HTML, email HTML and text) and to the refreshed PDF, over several edits of the
// sample issue, in a copy of it (the real one is never touched).
//
//   node scripts/bench-dev.mjs [--edits 7] [--no-browser] [--json] [--slug 2021-green-silk-road]
//
// It starts the built CLI (packages/cli/bin/masthead.js; run `npm run build` first) as a
// child process and follows the preview's event stream; with a browser (the default) it
// also opens the preview in headless Chromium and times the views in the page.
import { spawn } from 'node:child_process'
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const { values: args } = parseArgs({
  options: {
    edits: { type: 'string', default: '7' },
    slug: { type: 'string', default: '2021-green-silk-road' },
    browser: { type: 'boolean', default: true },
    'no-browser': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false }
  }
})
const edits = Number(args.edits)
// Time from the last refreshed PDF to the next save: an editor who saves, looks and types on
// (autosave waits 1 s in VS Code). The preview page's PDF viewer keeps a core busy for a
// while after each refresh; BENCH_PAUSE=500 shows saves in quick succession.
const pause = Number(process.env.BENCH_PAUSE ?? 1000)
const useBrowser = args.browser && !args['no-browser']
const log = (text) => {
  if (!args.json) process.stderr.write(text + '\n')
}

const work = await mkdtemp(path.join(os.tmpdir(), 'masthead-bench-dev-'))
const project = path.join(work, 'project')
await mkdir(path.join(work, 'tmp'))
await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
await cp(path.join(root, 'issues', args.slug), path.join(project, 'issues', args.slug), { recursive: true })
const source = path.join(project, 'issues', args.slug, 'issue.md')
const original = await readFile(source, 'utf8')
const heading = /^## (.+)$/m.exec(original)
if (!heading) throw new Error(`No \`## \` heading in ${args.slug}/issue.md to edit`)

let child
let browser
try {
  child = spawn(process.execPath, [path.join(root, 'packages/cli/bin/masthead.js'), 'dev', args.slug, '--port', '0'], {
    cwd: project,
    env: { ...process.env, TMPDIR: path.join(work, 'tmp'), NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (chunk) => {
    stderr += chunk
    if (process.env.MASTHEAD_TRACE) process.stderr.write(chunk)
  })
  const url = await new Promise((resolve, reject) => {
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /Preview: (http:\S+)/.exec(out)
      if (match) resolve(match[1])
    })
    child.once('exit', (code) => reject(new Error(`masthead dev exited with ${code}\n${stderr}`)))
  })

  // Follow the event stream; each state is stamped with its arrival time.
  let state
  const waiters = new Set()
  await new Promise((resolve, reject) => {
    http
      .get(new URL('events', url), (response) => {
        let buffer = ''
        response.setEncoding('utf8')
        response.on('data', (chunk) => {
          buffer += chunk
          let end
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end)
            buffer = buffer.slice(end + 2)
            const data = /^data: (.*)$/m.exec(event)
            if (!/^event: state$/m.test(event) || !data) continue
            state = JSON.parse(data[1])
            const at = performance.now()
            for (const waiter of waiters) {
              if (waiter.test(state)) {
                waiters.delete(waiter)
                waiter.resolve(at)
              }
            }
          }
        })
        resolve()
      })
      .on('error', reject)
  })
  const when = (test, timeout = 60_000) =>
    new Promise((resolve, reject) => {
      if (state && test(state)) return resolve(performance.now())
      const waiter = { test, resolve }
      waiters.add(waiter)
      setTimeout(() => {
        if (waiters.delete(waiter)) reject(new Error(`Timed out waiting for the preview\n${stderr}`))
      }, timeout)
    })
  await when((s) => s.views['print.pdf'] > 0 && !s.busy.html && !s.busy.pdf, 120_000)

  let page
  if (useBrowser) {
    const { default: puppeteer } = await import('puppeteer-core')
    browser = await puppeteer.launch({
      executablePath: process.env.MASTHEAD_CHROMIUM ?? '/usr/bin/chromium',
      headless: true,
      userDataDir: path.join(work, 'browser'),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    })
    page = await browser.newPage()
    await page.setViewport({ width: 1600, height: 1000 })
    await page.goto(url, { waitUntil: 'load' })
    await page.waitForFunction(() => window.masthead?.state?.views['email.html'] > 0, { timeout: 30_000 })
  }

  // The preview side by side with the print edition as HTML: the galley and the email at
  // 600 px on screen (the email at 375 px and the plain text are hidden; the page brings
  // hidden views up to date when it is idle, and at once when they are shown).
  if (page) {
    await page.click('[data-print="html"]')
    await page.click('[data-email="600"]')
  }
  const views = page
    ? await page.evaluate(() =>
        ['email-600', 'email-375', 'print-html-frame', 'plain-text'].filter((id) => document.getElementById(id)?.checkVisibility())
      )
    : []
  // A view is updated once the page logged it (after layout and a paint); its text is
  // checked afterwards. (Polling the frames' innerText on every frame instead would lay out
  // the whole galley 60 times a second, on the same two cores.)
  // The time is the page's own (when the last of them was logged), on the same clock as
  // the write: epoch milliseconds from each side's performance.timeOrigin.
  const shown = async (marker, round) => {
    const handle = await page.waitForFunction(
      (wanted, after) => {
        const times = wanted.map((what) => window.masthead.log.find((entry) => entry.what === what && entry.version > after)?.at)
        return times.every((at) => at !== undefined) ? performance.timeOrigin + Math.max(...times) : false
      },
      { timeout: 30_000, polling: 'raf' },
      views,
      round
    )
    const at = (await handle.jsonValue()) - performance.timeOrigin
    const missing = await page.evaluate(
      (wanted, ids) =>
        ids.filter(
          (id) =>
            !(
              id === 'plain-text'
                ? document.getElementById(id)?.textContent
                : document.querySelector(`#${id} iframe:not(.incoming)`)?.contentDocument?.body?.innerText
            )?.includes(wanted)
        ),
      marker,
      views
    )
    if (missing.length > 0) throw new Error(`The page logged the update, but ${missing.join(', ')} does not show ${marker}`)
    return at
  }

  const samples = { printHtml: [], html: [], page: [], pdf: [] }
  for (let i = 0; i <= edits; i++) {
    await new Promise((resolve) => setTimeout(resolve, pause))
    await when((s) => !s.busy.html && !s.busy.pdf)
    const round = state.round
    const marker = `BENCH${i}`
    const print = when((s) => s.views['print.html'] > round)
    const html = when((s) => s.views['print.html'] > round && s.views['email.html'] > round && s.views['email.txt'] > round)
    const pdf = when((s) => s.views['print.pdf'] > round)
    const start = performance.now()
    const inPage = page ? shown(marker, round) : undefined
    if (process.env.MASTHEAD_TRACE)
      process.stderr.write(`[bench ${(performance.timeOrigin + performance.now()).toFixed(1)}] write ${marker}\n`)
    await writeFile(source, original.replace(heading[0], `## ${marker} ${heading[1]}`))
    const times = {
      printHtml: (await print) - start,
      html: (await html) - start,
      page: inPage ? (await inPage) - start : undefined,
      pdf: (await pdf) - start
    }
    if (process.env.MASTHEAD_TRACE && page) {
      const pageStart = await page.evaluate(() => performance.timeOrigin)
      const entries = await page.evaluate((round) => window.masthead.log.filter((entry) => entry.version > round), round)
      process.stderr.write(
        entries.map((entry) => `[page ${(pageStart + entry.at).toFixed(1)}] ${entry.what} ${entry.version}`).join('\n') + '\n'
      )
    }
    if (state.errors > 0) throw new Error(`The edit did not build: ${state.problems[0]?.message}`)
    if (i === 0) continue // warm-up
    for (const [key, value] of Object.entries(times)) if (value !== undefined) samples[key].push(value)
    log(
      `  edit ${i} (server: html ${state.timings.html}, email ${state.timings.email}, pdf ${state.timings.pdf} ms from the watcher event)`
    )
    log(
      `  edit ${i}: print HTML ${Math.round(times.printHtml)} ms, all HTML ${Math.round(times.html)} ms${times.page === undefined ? '' : `, in the page ${Math.round(times.page)} ms`}, PDF ${Math.round(times.pdf)} ms`
    )
  }

  const median = (values) => {
    const sorted = [...values].sort((a, b) => a - b)
    const middle = Math.floor(sorted.length / 2)
    return Math.round(sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2)
  }
  const summary = Object.fromEntries(
    Object.entries(samples)
      .filter(([, values]) => values.length > 0)
      .map(([key, values]) => [key, { median: median(values), min: Math.round(Math.min(...values)), max: Math.round(Math.max(...values)) }])
  )
  if (args.json) {
    process.stdout.write(JSON.stringify({ slug: args.slug, edits, ...summary }) + '\n')
  } else {
    const row = (label, key) =>
      summary[key]
        ? `  ${label.padEnd(44)} ${String(summary[key].median).padStart(5)} ms   (${summary[key].min}–${summary[key].max})\n`
        : ''
    process.stdout.write(
      `masthead dev, ${args.slug}: median of ${edits} edits of issue.md (min–max)\n` +
        row('file write → print HTML ready', 'printHtml') +
        row('file write → HTML views ready (print, email, text)', 'html') +
        row(`file write → HTML views on screen updated (${views.join(', ')})`, 'page') +
        row('file write → PDF refreshed', 'pdf') +
        `  (one edit every ${pause} ms after the last PDF: BENCH_PAUSE sets it)\n`
    )
  }
} finally {
  await browser?.close()
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  await rm(work, { recursive: true, force: true })
}
