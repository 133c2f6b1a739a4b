#!/usr/bin/env node
// Scale: a generated issue with 500 items and 200 images, built cold with the real CLI
// (every edition), its wall time and peak memory. The memory is the sum over the CLI and
// every process under it (Chromium and its helpers) of their proportional set size (PSS:
// private pages, plus each shared page divided among the processes sharing it, from
// /proc/<pid>/smaps_rollup), sampled every 100 ms; the summed RSS, which counts shared pages
// once per process, is shown too as an upper bound. The budget is 1.5 GB; the build must
// finish, or fail with a clear message, within it.
//
//   node scripts/bench-scale.mjs [--items 500] [--images 200] [--only pdf|email] [--keep] [--json]
//
// Needs the packages built (`npx turbo run build`). The project is a temporary copy of
// templates/ and styles/ with the generated issue; the photos are copies of the sample
// issues' (2400×1350 and 1600×1067 JPEGs), each under its own name so nothing is shared.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { copyFile, cp, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'packages/cli/bin/masthead.js')
const { values: args } = parseArgs({
  options: {
    items: { type: 'string', default: '500' },
    images: { type: 'string', default: '200' },
    keep: { type: 'boolean', default: false },
    only: { type: 'string' },
    json: { type: 'boolean', default: false }
  }
})
const ITEMS = Number(args.items)
const IMAGES = Number(args.images)
const BUDGET_MB = 1536
const SLUG = 'scale'

const photos = [
  path.join(root, 'issues/2025-06-harbour-notes/images/shore-power.jpg'),
  path.join(root, 'issues/2021-green-silk-road/images/karuma-aerial.jpg')
]

const words =
  'harbour ferry quay tide dredger cooperative market berth cable pontoon slipway season survey fairway silt trap river mouth lease member family trader boat net catch weather storm pier crane'.split(
    ' '
  )
const sentence = (seed, length) => {
  const picked = Array.from({ length }, (_, index) => words[(seed * 7 + index * 13) % words.length])
  return picked.join(' ').replace(/^./, (first) => first.toUpperCase()) + '.'
}

/** issue.md: sections of 50 news items; every item has a source and two paragraphs; images spread evenly. */
function issueSource() {
  const every = IMAGES > 0 ? ITEMS / IMAGES : Infinity
  let image = 0
  const lines = [
    '---',
    'title: Harbour Notes at scale',
    'issue: 500',
    'date: 2025-06-01',
    'lang: en',
    'publisher: Northsea Harbour Cooperative',
    '---',
    ''
  ]
  for (let item = 0; item < ITEMS; item++) {
    if (item % 50 === 0) {
      if (item > 0) lines.push(':::', '')
      lines.push(`:::news[Harbour news, part ${item / 50 + 1}]`, '')
    }
    lines.push(
      `## Item ${item + 1}: ${sentence(item, 6).slice(0, -1)}`,
      `source: Harbour office, desk ${item % 17}`,
      '',
      sentence(item, 40),
      '',
      sentence(item + 1, 30),
      ''
    )
    if (image < IMAGES && item >= Math.round(image * every)) {
      lines.push(
        `![Photo ${image + 1} of the harbour](images/photo-${String(image + 1).padStart(3, '0')}.jpg "Photo ${image + 1}: the harbour in the morning")`,
        ''
      )
      image++
    }
  }
  lines.push(':::', '')
  return lines.join('\n')
}

/** Pids of `pid` and every process below it. */
function tree(pid) {
  const children = new Map()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (!children.has(ppid)) children.set(ppid, [])
      children.get(ppid).push(Number(entry))
    } catch {
      // gone
    }
  }
  const all = [pid]
  for (let index = 0; index < all.length; index++) all.push(...(children.get(all[index]) ?? []))
  return all
}

const kb = (status, field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0)

/** Run the CLI, sampling the memory of its process tree. */
function measure(cwd, argv) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [cli, ...argv], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' }
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    let peakTree = 0
    let peakRss = 0
    let peakNode = 0
    let peakChromium = 0
    const sample = () => {
      let total = 0
      let rssTotal = 0
      let chromium = 0
      for (const pid of tree(child.pid)) {
        try {
          const pss = kb(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'), 'Pss')
          const status = readFileSync(`/proc/${pid}/status`, 'utf8')
          total += pss
          rssTotal += kb(status, 'VmRSS')
          if (pid === child.pid) peakNode = Math.max(peakNode, kb(status, 'VmHWM'))
          else chromium += pss
        } catch {
          // gone
        }
      }
      peakTree = Math.max(peakTree, total)
      peakRss = Math.max(peakRss, rssTotal)
      peakChromium = Math.max(peakChromium, chromium)
    }
    const timer = setInterval(sample, 100)
    child.on('error', reject)
    child.on('close', (code) => {
      clearInterval(timer)
      resolve({
        code,
        ms: performance.now() - started,
        peakTreeMb: peakTree / 1024,
        peakRssMb: peakRss / 1024,
        peakNodeMb: peakNode / 1024,
        peakChromiumMb: peakChromium / 1024,
        stderr
      })
    })
  })
}

const project = await mkdtemp(path.join(os.tmpdir(), 'masthead-bench-scale-'))
try {
  await cp(path.join(root, 'templates'), path.join(project, 'templates'), { recursive: true })
  await cp(path.join(root, 'styles'), path.join(project, 'styles'), { recursive: true })
  const issueDir = path.join(project, 'issues', SLUG)
  await mkdir(path.join(issueDir, 'images'), { recursive: true })
  for (let index = 0; index < IMAGES; index++) {
    await copyFile(photos[index % photos.length], path.join(issueDir, 'images', `photo-${String(index + 1).padStart(3, '0')}.jpg`))
  }
  await writeFile(path.join(issueDir, 'issue.md'), issueSource())
  // A 500-item email is far past Gmail's 102 KB: raise the limit so every edition is built
  // and measured (with the default limit the build stops with the `email-size` error).
  await writeFile(path.join(project, 'masthead.config.json'), JSON.stringify({ email: { maxBytes: 64 * 1024 * 1024 } }, null, 2))

  const result = await measure(project, ['build', ...(args.only ? [`--${args.only}`] : []), SLUG])
  const outputs = existsSync(path.join(project, 'dist', SLUG)) ? await readdir(path.join(project, 'dist', SLUG)) : []
  const sizes = Object.fromEntries(
    await Promise.all(outputs.map(async (file) => [file, (await stat(path.join(project, 'dist', SLUG, file))).size]))
  )
  const pages = sizes['print.pdf']
    ? /Pages:\s+(\d+)/.exec(
        await new Promise((resolve) => {
          const info = spawn('pdfinfo', [path.join(project, 'dist', SLUG, 'print.pdf')])
          let out = ''
          info.stdout.on('data', (chunk) => (out += chunk))
          info.on('close', () => resolve(out))
          info.on('error', () => resolve(''))
        })
      )?.[1]
    : undefined
  const withinBudget = result.peakTreeMb <= BUDGET_MB
  const summary = {
    items: ITEMS,
    images: IMAGES,
    exitCode: result.code,
    seconds: Math.round(result.ms / 100) / 10,
    peakMemoryMb: Math.round(result.peakTreeMb),
    peakSummedRssMb: Math.round(result.peakRssMb),
    peakNodeMb: Math.round(result.peakNodeMb),
    peakChromiumMb: Math.round(result.peakChromiumMb),
    budgetMb: BUDGET_MB,
    withinBudget,
    pages: pages === undefined ? null : Number(pages),
    outputs: sizes
  }
  if (args.json) console.log(JSON.stringify(summary, null, 2))
  else {
    console.log(`  ${ITEMS} items, ${IMAGES} images: exit ${result.code} in ${summary.seconds} s${pages ? `, ${pages} pages` : ''}`)
    console.log(
      `  peak memory (CLI + Chromium, summed PSS): ${summary.peakMemoryMb} MB of ${BUDGET_MB} MB ${withinBudget ? '✓' : '✗ over budget'}`
    )
    console.log(
      `    the CLI's own peak RSS: ${summary.peakNodeMb} MB; Chromium's processes together (PSS): ${summary.peakChromiumMb} MB; summed RSS (shared pages counted per process): ${summary.peakSummedRssMb} MB`
    )
    console.log(
      `  outputs: ${
        Object.entries(sizes)
          .map(([file, size]) => `${file} ${(size / 1024 / 1024).toFixed(1)} MB`)
          .join(', ') || 'none'
      }`
    )
  }
  if (result.code !== 0) {
    // Not built: the message must say why, as file:line:column.
    console.log(
      result.stderr
        .split('\n')
        .filter((line) => / error /.test(line))
        .slice(0, 5)
        .join('\n')
    )
  }
  if (!withinBudget || (result.code !== 0 && !/ error /.test(result.stderr))) process.exitCode = 1
} finally {
  if (args.keep) console.log(`  project kept in ${project}`)
  else await rm(project, { recursive: true, force: true })
}
