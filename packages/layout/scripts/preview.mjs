// Render the print HTML of an issue for looking at it in Chromium (a designer's tool; the
// build does this through @masthead/render). Needs `npm run build` in core, parse and layout.
//   node packages/layout/scripts/preview.mjs issues/2021-green-silk-road /tmp/print.html [--bleed] [--paper=Letter]
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { report } from '@masthead/core'
import { parseIssue } from '@masthead/parse'
import { createLayout, loadSectionTypes } from '../dist/index.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')
const [issueDir, out = '/tmp/masthead-print.html', ...flags] = process.argv.slice(2)
if (!issueDir) throw new TypeError('Expected an issue folder: node preview.mjs issues/<issue> [out.html]')
const options = {}
for (const flag of flags) {
  if (flag === '--bleed') options.bleed = true
  else if (flag.startsWith('--paper=')) options.paper = flag.slice(8)
}
const templatesDir = path.join(root, 'templates')
const { types, files: typeFiles } = await loadSectionTypes(templatesDir)
const { layout, files: templateFiles } = await createLayout({ templatesDir, stylesDir: path.join(root, 'styles'), types })
const { issue, file } = await parseIssue(path.resolve(issueDir), { sections: types })
const files = [...typeFiles, ...templateFiles, file]
if (issue) {
  const result = layout.render('print', issue, options)
  files.push(...result.files)
  await writeFile(out, result.output)
  console.log(`wrote ${out}`)
}
const text = report(files)
if (text) console.error(text)
