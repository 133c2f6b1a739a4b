#!/usr/bin/env node
// Rebuilding an archive: 20 issues (copies of the English sample, each with its own date
// and number) built with the real CLI, every edition and the site:
//
//   1. cold: an empty dist/;
//   2. again, nothing changed: every issue is skipped by its input hash;
//   3. after one issue's text changed: that issue is built, the other 19 are skipped;
//   4. that one issue alone (`masthead build <issue> --force`), the yardstick for 3.
//
// The target is 3 ≤ 1.3 × 4: skipping the unchanged issues costs little next to building
// the one that changed. Each step is a fresh process (as an editor runs it); steps 3 and 4
// run `--runs` times (default 3) and their medians are compared.
//
//   node scripts/bench-archive.mjs [--issues 20] [--runs 3] [--keep] [--json]
//
// Needs the packages built (`npx turbo run build`).
import { spawn } from 'node:child_process'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const cli = path.join(root, 'packages/cli/bin/masthead.js')
const { values: args } = parseArgs({
  options: {
    issues: { type: 'string', default: '20' },
    runs: { type: 'string', default: '3' },
    keep: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false }
  }
})
const COUNT = Number(args.issues)
const RUNS = Number(args.runs)
const SAMPLE = '2025-06-harbour-notes'

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Run the CLI in `cwd`; resolves with the wall time in ms, rejects on a non-zero exit. */
function masthead(cwd, args) {
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const child = spawn(process.execPath, [cli, ...args], {
      cwd,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' }
    })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      code === 0 ? resolve(performance.now() - started) : reject(new Error(`masthead ${args.join(' ')} exited ${code}:\n${stderr}`))
    )
  })
}

const project = await mkdtemp(path.join(os.tmpdir(), 'masthead-bench-archive-'))
try {
  for (const folder of ['templates', 'styles']) await cp(path.join(root, folder), path.join(project, folder), { recursive: true })
  await writeFile(path.join(project, 'masthead.config.json'), JSON.stringify({ site: { url: 'https://news.example.org/' } }))
  const source = await readFile(path.join(root, 'issues', SAMPLE, 'issue.md'), 'utf8')
  const slugs = []
  for (let n = 1; n <= COUNT; n++) {
    const year = 2024 + Math.floor((n - 1) / 12)
    const month = String(((n - 1) % 12) + 1).padStart(2, '0')
    const slug = `${year}-${month}-harbour-notes`
    slugs.push(slug)
    const dir = path.join(project, 'issues', slug)
    await cp(path.join(root, 'issues', SAMPLE), dir, { recursive: true })
    await writeFile(
      path.join(dir, 'issue.md'),
      source
        .replace(/^issue: .*$/m, `issue: No. ${n}`)
        .replace(/^date: .*$/m, `date: ${year}-${month}-01`)
        .replace(/^url: .*\n/m, '')
    )
  }
  const changed = slugs[Math.floor(COUNT / 2)]
  const edit = async (run) => {
    const file = path.join(project, 'issues', changed, 'issue.md')
    await writeFile(
      file,
      (await readFile(file, 'utf8')).replace(
        /Three things that (have )?changed[^.]*\./,
        `Three things that changed on the waterfront (edit ${run}).`
      )
    )
  }

  const cold = await masthead(project, ['build', '-q'])
  const unchanged = await masthead(project, ['build', '-q'])
  const afterEdit = []
  const alone = []
  for (let run = 1; run <= RUNS; run++) {
    await edit(run)
    afterEdit.push(await masthead(project, ['build', '-q']))
    alone.push(await masthead(project, ['build', '-q', '--force', changed]))
  }
  const result = {
    issues: COUNT,
    coldMs: Math.round(cold),
    unchangedMs: Math.round(unchanged),
    oneChangedMs: Math.round(median(afterEdit)),
    oneAloneMs: Math.round(median(alone)),
    ratio: Number((median(afterEdit) / median(alone)).toFixed(2)),
    target: 1.3,
    runs: { oneChanged: afterEdit.map(Math.round), oneAlone: alone.map(Math.round) }
  }
  if (args.json) console.log(JSON.stringify(result, null, 2))
  else {
    console.log(`archive of ${COUNT} issues, every edition and the site (median of ${RUNS} for the last two)`)
    console.log(`  cold                          ${result.coldMs} ms`)
    console.log(`  again, nothing changed        ${result.unchangedMs} ms`)
    console.log(`  after one issue changed       ${result.oneChangedMs} ms`)
    console.log(`  that issue alone (--force)    ${result.oneAloneMs} ms`)
    console.log(`  ratio                         ${result.ratio} (target ≤ ${result.target})`)
  }
} finally {
  if (args.keep) console.error(`kept ${project}`)
  else await rm(project, { recursive: true, force: true })
}
