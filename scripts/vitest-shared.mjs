// What every package's vitest.config.ts shares: tests that do not depend on the machine.
//
// - Fonts. A Chromium that a test starts (directly, or through the `masthead` command)
//   finds its system fonts through fontconfig, so what it falls back to for a character the
//   web fonts lack, and whether that fallback is embedded as TrueType or as a Type 3 font,
//   depended on the fonts each machine happened to have (a machine with Noto CJK printed
//   differently from a fresh Debian). Tests get a fontconfig of their own instead
//   (FONTCONFIG_FILE, inherited by every process a test starts): the six DejaVu fonts of
//   Debian's fonts-dejavu-core (scripts/install-system-deps.sh installs it) and nothing
//   else. The project's CJK fonts are web fonts from npm (@fontsource), loaded by the
//   stylesheets, not through fontconfig.
// - Snapshots. A missing or different snapshot fails, on every machine: vitest's default
//   outside CI writes a missing one and passes. Write or update them deliberately with
//   `npx vitest run -u`.
// - Time. `npm test` runs every package's tests at once, on machines shared with others:
//   a layout test that takes 0.3 s alone took over 5 s (vitest's default limit) there. The
//   limit only guards against a hang; packages with browser tests set their own.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The files of Debian's fonts-dejavu-core. */
const FONTS = [
  'DejaVuSans.ttf',
  'DejaVuSans-Bold.ttf',
  'DejaVuSerif.ttf',
  'DejaVuSerif-Bold.ttf',
  'DejaVuSansMono.ttf',
  'DejaVuSansMono-Bold.ttf'
]

/** Where distributions put them: Debian and Ubuntu, Fedora, Arch. */
const FOLDERS = ['/usr/share/fonts/truetype/dejavu', '/usr/share/fonts/dejavu-sans-fonts', '/usr/share/fonts/TTF']

const escapeXml = (text) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;')

/**
 * Write the tests' fontconfig file (once per content; concurrent test runs write the same
 * bytes through a rename) and return its path.
 *
 * @returns The absolute path for FONTCONFIG_FILE.
 * @throws Error naming the package to install when the DejaVu fonts are missing.
 */
export function testFontconfig() {
  const files = FONTS.map((name) => FOLDERS.map((folder) => path.join(folder, name)).find((file) => existsSync(file)))
  const missing = FONTS.filter((_, index) => files[index] === undefined)
  if (missing.length > 0) {
    throw new Error(
      `The tests need the DejaVu fonts (missing: ${missing.join(', ')}): install Debian's fonts-dejavu-core (\`bash scripts/install-system-deps.sh\` does)`
    )
  }
  const dir = path.join(root, 'node_modules/.cache/masthead-test-fonts')
  const folders = [...new Set(files.map((file) => path.dirname(file)))]
  const config = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    "<!-- Written by scripts/vitest-shared.mjs: the only fonts a test's Chromium sees. -->",
    '<fontconfig>',
    ...folders.map((folder) => `  <dir>${escapeXml(folder)}</dir>`),
    `  <cachedir>${escapeXml(path.join(dir, 'cache'))}</cachedir>`,
    '  <selectfont>',
    `    <acceptfont>${files.map((file) => `<glob>${escapeXml(file)}</glob>`).join('')}</acceptfont>`,
    '    <rejectfont><glob>*</glob></rejectfont>',
    '  </selectfont>',
    '  <alias><family>serif</family><prefer><family>DejaVu Serif</family></prefer></alias>',
    '  <alias><family>sans-serif</family><prefer><family>DejaVu Sans</family></prefer></alias>',
    '  <alias><family>monospace</family><prefer><family>DejaVu Sans Mono</family></prefer></alias>',
    '</fontconfig>',
    ''
  ].join('\n')
  const file = path.join(dir, 'fonts.conf')
  if (!existsSync(file) || readFileSync(file, 'utf8') !== config) {
    mkdirSync(dir, { recursive: true })
    const temporary = `${file}.${process.pid}.tmp`
    writeFileSync(temporary, config)
    renameSync(temporary, file)
  }
  return file
}

/**
 * The `test` options every package's vitest config starts from.
 *
 * @returns `update: 'none'`, the fontconfig in `env`, and 60 s limits against hangs.
 */
export function sharedTest() {
  return {
    update: /** @type {const} */ ('none'),
    env: { FONTCONFIG_FILE: testFontconfig() },
    testTimeout: 60_000,
    hookTimeout: 60_000
  }
}
