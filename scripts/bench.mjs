#!/usr/bin/env node
// `npm run bench`: the numbers that matter to editors and designers, measured on this machine.
//
//  1. Cold `masthead build` (a new process: launch Chromium, parse, lay out, print, email)
//     of each sample issue and of both together, median of several runs, next to Chromium's
//     own `--print-to-pdf` of the same print.html (the floor), as a ratio; and next to that
//     floor with the `--disable-features` Masthead starts Chromium with (the tuned floor),
//     so that what Chromium's flags save is not counted as Masthead's own speed.
//  2. @masthead/pdf alone on the sample's print.html: cold, warm re-render, and the floor.
//  3. @masthead/email alone: the email build of the sample issue.
//  4. The live preview (when scripts/bench-dev.mjs exists): file write → updated HTML views,
//     and → refreshed PDF.
//  5. Scale (scripts/bench-scale.mjs): 500 items and 200 images built cold; time and peak memory.
//  6. Press-ready and archival files (scripts/bench-press.mjs): builds with and without them,
//     and the conversions alone.
// Timings belong here, not in tests. Needs the packages built (`npx turbo run build`).
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { browserArgs, findChromium } from '@masthead/pdf'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.env.BENCH_RUNS ?? 5)
const sample = '2021-green-silk-road'
const cli = path.join(root, 'packages/cli/bin/masthead.js')

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const ms = (value) => `${Math.round(value)} ms`

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], ...options })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`${command} ${args.join(' ')} exited ${code}\n${stderr}`))
    )
  })
}

/** The features Masthead switches off at Chromium's start (browser-args.ts). */
const tuning = browserArgs.filter((arg) => arg.startsWith('--disable-features='))

async function floor(htmlFile, extra = []) {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'masthead-bench-floor-'))
  try {
    return await run(findChromium(), [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${profile}`,
      '--no-pdf-header-footer',
      ...extra,
      `--print-to-pdf=${path.join(profile, 'out.pdf')}`,
      `file://${htmlFile}`
    ])
  } finally {
    await rm(profile, { recursive: true, force: true })
  }
}

console.log(`Masthead benchmarks — ${os.cpus().length} cores, Node ${process.version}, ${runs} runs each (median)\n`)

// 1. Cold builds against the floor, rounds interleaved so machine load hits both alike.
const htmlFile = path.join(root, 'dist', sample, 'print.html')
await run(process.execPath, [cli, 'build', '--quiet', sample])
const cold = { sample: [], both: [], pdfOnly: [], floor: [], tuned: [] }
for (let index = 0; index < runs; index++) {
  cold.floor.push(await floor(htmlFile))
  cold.tuned.push(await floor(htmlFile, tuning))
  // --force: a build whose inputs did not change is otherwise skipped.
  cold.pdfOnly.push(await run(process.execPath, [cli, 'build', '--quiet', '--force', '--pdf', sample]))
  cold.sample.push(await run(process.execPath, [cli, 'build', '--quiet', '--force', sample]))
  cold.both.push(await run(process.execPath, [cli, 'build', '--quiet', '--force']))
}
const floorMs = median(cold.floor)
const tunedMs = median(cold.tuned)
const ratios = (value) => `${(value / floorMs).toFixed(2)}× the floor, ${(value / tunedMs).toFixed(2)}× the tuned floor`
console.log('Cold `masthead build` (new process each time)')
console.log(`  ${sample}, PDF only:          ${ms(median(cold.pdfOnly))}   ${ratios(median(cold.pdfOnly))}`)
console.log(`  ${sample}, every edition:     ${ms(median(cold.sample))}   ${ratios(median(cold.sample))}`)
console.log(`  both sample issues, every edition: ${ms(median(cold.both))}`)
console.log(`  floor: chromium --print-to-pdf of the same print.html: ${ms(floorMs)}`)
console.log(`  tuned floor: the same with ${tuning.join(' ')}: ${ms(tunedMs)}\n`)

// 2–4. Each package's own bench.
const benches = [
  [
    'PDF renderer (@masthead/pdf)',
    'packages/pdf/bench/pdf-bench.mjs',
    [
      htmlFile,
      '--runs',
      String(runs),
      '--allow',
      path.join(root, 'templates'),
      '--allow',
      path.join(root, 'styles'),
      '--allow',
      path.join(root, 'issues', sample)
    ]
  ],
  ['Email edition (@masthead/email)', 'packages/email/bench/email-bench.mjs', [sample, '--runs', String(Math.max(runs, 10))]],
  ['Live preview (masthead dev)', 'scripts/bench-dev.mjs', []],
  ['Scale: a generated issue of 500 items and 200 images, every edition, cold (budget 1.5 GB)', 'scripts/bench-scale.mjs', []],
  ['Press-ready (PDF/X-4) and archival (PDF/A-2b) files', 'scripts/bench-press.mjs', []]
]
for (const [title, script, args] of benches) {
  if (!existsSync(path.join(root, script))) continue
  console.log(title)
  const result = spawnSync(process.execPath, [path.join(root, script), ...args], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exitCode = 1
  console.log('')
}
