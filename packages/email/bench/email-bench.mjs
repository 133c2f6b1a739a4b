#!/usr/bin/env node
// Benchmark the email build of a sample issue.
//
//   node packages/email/bench/email-bench.mjs [slug] [--runs 10] [--mode full|digest] [--json]
//
// The issue is parsed and the templates compiled once (that is parse's and layout's cost);
// each run is what `buildEmail` does: fill the templates, compile MJML, embed and resize
// the images with sharp, tag links, minify, write the text edition and the .eml. The first
// build (which imports mjml, ≈0.7 s) is reported apart as `first`. Needs the built dist of
// @masthead/email, @masthead/layout and @masthead/parse.
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createLayout, loadSectionTypes } from '@masthead/layout'
import { parseIssue } from '@masthead/parse'
import { buildEmail, loadEmailStyles } from '../dist/index.js'

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    runs: { type: 'string', default: '10' },
    mode: { type: 'string' },
    json: { type: 'boolean', default: false }
  }
})
const root = path.resolve(fileURLToPath(import.meta.url), '../../../..')
const slug = positionals[0] ?? '2021-green-silk-road'
const runs = Math.max(1, Number(values.runs) || 10)

const { types } = await loadSectionTypes(path.join(root, 'templates'))
const { layout } = await createLayout({ templatesDir: path.join(root, 'templates'), stylesDir: path.join(root, 'styles'), types })
const { issue, file } = await parseIssue(path.join(root, 'issues', slug), { sections: types, cwd: root })
if (!issue) {
  console.error(`Cannot parse \`${slug}\`: ${file.messages.map(String).join('\n')}`)
  process.exit(1)
}
const styles = await loadEmailStyles(path.join(root, 'styles'))
const config = { styles, unsubscribeUrl: '*|UNSUB|*', ...(values.mode ? { mode: values.mode } : {}) }
const build = () =>
  buildEmail({
    issue,
    render: (prepared) => layout.render('email', prepared),
    renderText: (prepared) => layout.render('text', prepared),
    config
  })

const median = (list) => {
  const sorted = [...list].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

let start = performance.now()
let email = await build()
const first = performance.now() - start
const times = []
for (let index = 0; index < runs; index++) {
  start = performance.now()
  email = await build()
  times.push(performance.now() - start)
}
const result = {
  slug,
  mode: email.mode,
  runs,
  medianMs: Math.round(median(times)),
  firstMs: Math.round(first),
  htmlBytes: email.size.html,
  textBytes: email.size.text,
  emlBytes: email.size.eml,
  images: email.assets.length
}
if (values.json) console.log(JSON.stringify(result))
else {
  console.log(
    `email  ${slug} (${result.mode})  median ${result.medianMs} ms over ${runs} runs  (first ${result.firstMs} ms, with the mjml import)  ` +
      `html ${(result.htmlBytes / 1024).toFixed(1)} KB  text ${(result.textBytes / 1024).toFixed(1)} KB  .eml ${(result.emlBytes / 1024).toFixed(1)} KB  ${result.images} images`
  )
}
