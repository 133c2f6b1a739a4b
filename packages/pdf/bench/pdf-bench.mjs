#!/usr/bin/env node
// Benchmark @masthead/pdf against Chromium's own --print-to-pdf on one HTML file.
//
//   node packages/pdf/bench/pdf-bench.mjs path/to/print.html [--runs 5] [--allow dir]… [--no-preflight] [--json]
//
// Prints the median of: a cold build (launch + render + close), a warm re-render
// (browser kept open), and the floor: `chromium --headless --no-sandbox --disable-gpu
// --no-pdf-header-footer --print-to-pdf=out.pdf file.html` (plus a throwaway
// --user-data-dir so runs do not share a profile), run in the same process, rounds
// interleaved so that load on the machine hits all alike. Also the tuned floor: the same
// command with the `--disable-features` that launchBrowser passes (browser-args.ts), so
// that what those flags save shows apart from the renderer's own speed. Needs the built dist.
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { browserArgs, findChromium, fontRoots, launchBrowser } from '../dist/index.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '5' },
    allow: { type: 'string', multiple: true, default: [] },
    'no-preflight': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false }
  }
})
const file = positionals[0]
if (!file) {
  console.error('Usage: pdf-bench.mjs <file.html> [--runs 5] [--allow dir]… [--no-preflight] [--json]')
  process.exit(2)
}
const htmlPath = path.resolve(file)
const html = await readFile(htmlPath, 'utf8')
const runs = Math.max(1, Number(values.runs) || 5)
const chromium = findChromium()
const baseDir = path.dirname(htmlPath)
const allowedRoots = [...fontRoots(), ...values.allow.map((dir) => path.resolve(dir)), process.cwd()]
const input = {
  html,
  baseDir,
  allowedRoots,
  preflight: !values['no-preflight'],
  metadata: { title: path.basename(baseDir), author: 'Masthead bench', subject: 'bench', keywords: ['bench'], lang: 'zh-CN' }
}
const scratch = await mkdtemp(path.join(os.tmpdir(), 'masthead-bench-'))

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function cold() {
  const start = performance.now()
  const browser = await launchBrowser({ executablePath: chromium })
  try {
    const result = await browser.renderPdf(input)
    return { ms: performance.now() - start, result }
  } finally {
    await browser.close()
  }
}

const tuning = browserArgs.filter((arg) => arg.startsWith('--disable-features='))

function floor(index, extra = []) {
  const out = path.join(scratch, `floor-${index}-${extra.length}.pdf`)
  const profile = path.join(scratch, `profile-${index}-${extra.length}`)
  const args = [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--no-pdf-header-footer',
    ...extra,
    `--print-to-pdf=${out}`,
    `--user-data-dir=${profile}`,
    htmlPath
  ]
  const start = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(chromium, args, { stdio: 'ignore' })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0 ? resolve(performance.now() - start) : reject(new Error(`chromium --print-to-pdf exited with ${code}`))
    )
  })
}

const coldMs = []
const floorMs = []
const tunedMs = []
let last
for (let index = 0; index < runs; index++) {
  const run = await cold()
  coldMs.push(run.ms)
  last = run.result
  floorMs.push(await floor(index))
  tunedMs.push(await floor(index, tuning))
}

const warmMs = []
const browser = await launchBrowser({ executablePath: chromium })
try {
  await browser.renderPdf(input)
  for (let index = 0; index < runs; index++) {
    const start = performance.now()
    await browser.renderPdf(input)
    warmMs.push(performance.now() - start)
  }
} finally {
  await browser.close()
  await rm(scratch, { recursive: true, force: true })
}

const report = {
  file: htmlPath,
  runs,
  chromium,
  pages: last.pageCount,
  passes: last.timings.print.length,
  diagnostics: last.diagnostics.length,
  coldMs: Math.round(median(coldMs)),
  warmMs: Math.round(median(warmMs)),
  floorMs: Math.round(median(floorMs)),
  tunedFloorMs: Math.round(median(tunedMs)),
  coldRatio: Number((median(coldMs) / median(floorMs)).toFixed(2)),
  coldTunedRatio: Number((median(coldMs) / median(tunedMs)).toFixed(2)),
  warmRatio: Number((median(warmMs) / median(floorMs)).toFixed(2)),
  lastColdSteps: last.timings
}
if (values.json) {
  console.log(JSON.stringify(report, null, 2))
} else {
  const pad = (text) => text.padEnd(44)
  console.log(
    `${path.relative(process.cwd(), htmlPath)}: ${report.pages} pages, ${report.passes} print pass(es), ${report.diagnostics} diagnostic(s); median of ${runs}`
  )
  console.log(
    `${pad('cold build (launch + render + close)')}${report.coldMs} ms  ${report.coldRatio}× floor, ${report.coldTunedRatio}× tuned floor`
  )
  console.log(`${pad('warm re-render (browser kept)')}${report.warmMs} ms  ${report.warmRatio}× floor`)
  console.log(`${pad('floor: chromium --headless --print-to-pdf')}${report.floorMs} ms`)
  console.log(`${pad('tuned floor (with our --disable-features)')}${report.tunedFloorMs} ms  ${tuning.join(' ')}`)
}
