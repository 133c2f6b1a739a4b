import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const require = createRequire(import.meta.url)
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures')

const fontUrl = (file: string): string => pathToFileURL(require.resolve(file)).href

/**
 * Read `fixtures/<name>/input.html` and fill its placeholders: `{{serif400}}`
 * and `{{serif700}}` become the installed @fontsource stylesheets, `{{remote}}`
 * the given URL.
 *
 * @param name The fixture folder.
 * @param remote What `{{remote}}` becomes.
 */
export function fixtureHtml(name: string, remote = 'http://127.0.0.1:9/none.png'): { html: string; baseDir: string } {
  const baseDir = path.join(fixtures, name)
  const html = readFileSync(path.join(baseDir, 'input.html'), 'utf8')
    .replaceAll('{{serif400}}', fontUrl('@fontsource/noto-serif-sc/400.css'))
    .replaceAll('{{serif700}}', fontUrl('@fontsource/noto-serif-sc/700.css'))
    .replaceAll('{{remote}}', remote)
  return { html, baseDir }
}
