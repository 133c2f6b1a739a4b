import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const packagesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const packages = (await readdir(packagesDir)).sort()

/** The names `src/index.ts` exports (`export { a, b as c } from …`, `export type { … } from …`). */
function exportedNames(index: string): string[] {
  const names = [...index.matchAll(/export\s+(?:type\s+)?\{([^}]*)\}/g)].flatMap((match) =>
    (match[1] ?? '')
      .split(',')
      .map(
        (item) =>
          item
            .trim()
            .split(/\s+as\s+/)
            .at(-1) ?? ''
      )
      .filter(Boolean)
  )
  const declared = [...index.matchAll(/export\s+(?:async\s+)?(?:function|const|class|interface|type)\s+([\w$]+)/g)].map(
    (match) => match[1] ?? ''
  )
  return [...names, ...declared].sort()
}

/** The names the README's API section lists: each line `` - `name…` ``. */
function listedNames(readme: string): string[] | undefined {
  const api = /<!-- api:start -->([\s\S]*?)<!-- api:end -->/.exec(readme)?.[1]
  if (api === undefined) return undefined
  return [...api.matchAll(/^- `(?:class )?([\w$]+)/gm)].map((match) => match[1] ?? '').sort()
}

describe('package READMEs', () => {
  it.each(packages)(
    '@masthead/%s lists every export in its API section, and nothing else (`node scripts/readme-api.mjs --write`)',
    async (pkg) => {
      const index = await readFile(path.join(packagesDir, pkg, 'src/index.ts'), 'utf8')
      const readme = await readFile(path.join(packagesDir, pkg, 'README.md'), 'utf8')
      const exported = exportedNames(index)
      expect(exported.length).toBeGreaterThan(0)
      const listed = listedNames(readme)
      expect(listed, 'README.md has no <!-- api:start --> … <!-- api:end --> section').toBeDefined()
      expect({
        notListed: exported.filter((name) => !listed?.includes(name)),
        notExported: listed?.filter((name) => !exported.includes(name))
      }).toEqual({ notListed: [], notExported: [] })
    }
  )
})
