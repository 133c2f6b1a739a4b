#!/usr/bin/env node
// The press-ready and archival files' cost (part of `npm run bench`): for each sample issue,
// a cold `masthead build --pdf --bleed` with neither, with --press-ready, with --archival;
// then the conversions alone on the built print.pdf (pressReady: Ghostscript + pdf-lib;
// archival: pdf-lib). Median of BENCH_RUNS (default 3) runs. Needs the packages built.
import { spawn } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { archival, pressReady } from '@masthead/pdf'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.env.BENCH_RUNS ?? 3)
const cli = path.join(root, 'packages/cli/bin/masthead.js')
const samples = ['2021-green-silk-road', '2025-06-harbour-notes']

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}
const ms = (value) => `${Math.round(value)} ms`.padStart(8)

function build(args) {
  return new Promise((resolve, reject) => {
    const start = performance.now()
    const child = spawn(process.execPath, [cli, 'build', '--quiet', '--force', '--pdf', '--bleed', ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let err = ''
    child.stderr.on('data', (chunk) => (err += chunk))
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - start) : reject(new Error(`masthead build ${args.join(' ')} exited ${code}: ${err}`))
    )
  })
}

for (const sample of samples) {
  const times = { plain: [], press: [], archival: [], convert: [], finish: [], archive: [] }
  for (let index = 0; index < runs; index++) {
    times.plain.push(await build([sample]))
    times.press.push(await build([sample, '--press-ready']))
    times.archival.push(await build([sample, '--archival']))
  }
  const pdf = new Uint8Array(await readFile(path.join(root, 'dist', sample, 'print.pdf')))
  const metadata = { title: sample, author: 'bench', subject: 'bench', keywords: [], lang: 'en' }
  for (let index = 0; index < runs; index++) {
    const press = await pressReady(pdf, metadata)
    times.convert.push(press.timings.convert)
    times.finish.push(press.timings.finish)
    const start = performance.now()
    await archival(pdf, metadata, { bleed: true })
    times.archive.push(performance.now() - start)
  }
  const pages = (pdf.length / 1024).toFixed(0)
  console.log(`  ${sample} (print.pdf ${pages} KB), cold \`masthead build --pdf --bleed\`:`)
  console.log(`    plain ${ms(median(times.plain))}   --press-ready ${ms(median(times.press))}   --archival ${ms(median(times.archival))}`)
  console.log(
    `    pressReady alone: Ghostscript ${ms(median(times.convert))} + pdf-lib finish ${ms(median(times.finish))};  archival alone: ${ms(median(times.archive))}`
  )
}
