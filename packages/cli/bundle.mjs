// Bundle the `masthead` command with esbuild (after `tsc`): one ESM bundle, split into
// chunks so each command still loads only what it needs. Node's ESM loader resolves,
// reads and links each of the ~1 500 small modules Masthead's dependencies are made of
// (unified, micromark, puppeteer-core, mjml …) one by one: about 0.9 s before a build can
// start, 0.3 s from the bundle. Tests and other packages use the unbundled `dist/`.
import { rmSync } from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'

// Chunk names carry content hashes: start empty, or old chunks pile up.
rmSync(path.join(import.meta.dirname, 'dist/bundle'), { recursive: true, force: true })

await build({
  absWorkingDir: import.meta.dirname,
  entryPoints: {
    masthead: 'dist/main.js',
    // Started by `masthead dev` as `new URL('./preview-worker.js', import.meta.url)`.
    'preview-worker': 'dist/dev/preview-worker.js'
  },
  outdir: 'dist/bundle',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // sharp loads a native addon; typescript is only asked for by cosmiconfig (through
  // htmlnano) for a TypeScript config file, which Masthead never has.
  external: ['sharp', 'typescript'],
  // CommonJS dependencies call `require` for Node built-ins: give each chunk one.
  banner: {
    js: "import { createRequire as __mastheadCreateRequire } from 'node:module'; const require = __mastheadCreateRequire(import.meta.url);"
  },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning'
})
