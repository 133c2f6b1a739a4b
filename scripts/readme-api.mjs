#!/usr/bin/env node
// Writes the "API" section of each package's README from its src/index.ts: every export
// with its signature and the first sentence of its doc comment, in the manner of unified's
// readmes. `node scripts/readme-api.mjs` prints the sections; `--write` replaces the part of
// each README between `<!-- api:start -->` and `<!-- api:end -->` (added at the end when
// missing). packages/core/test/package-readmes.test.ts fails when an export is not listed.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const START = '<!-- api:start -->'
const END = '<!-- api:end -->'

/** The first sentence of a doc comment, on one line. */
function summary(symbol, checker) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\s+/g, ' ').trim()
  if (!text) return ''
  let depth = 0
  let code = false
  for (let at = 0; at < text.length; at++) {
    const char = text[at]
    if (char === '`') code = !code
    if (code) continue
    if (char === '(' || char === '[') depth++
    else if (char === ')' || char === ']') depth = Math.max(0, depth - 1)
    else if (depth === 0 && (char === '.' || char === ':') && /\s|$/.test(text[at + 1] ?? '')) return text.slice(0, at) + '.'
  }
  return text
}

/** `(a: A, b?: B): R` as written in the source, for a function-like declaration. */
function signatureText(node) {
  const params = node.parameters.map((param) => {
    const optional = param.questionToken || param.initializer ? '?' : ''
    const type = param.type ? ': ' + param.type.getText() : ''
    return `${param.dotDotDotToken ? '...' : ''}${param.name.getText()}${optional}${type}`.replace(/\s+/g, ' ')
  })
  return `(${params.join(', ')})${node.type ? ': ' + node.type.getText().replace(/\s+/g, ' ') : ''}`
}

/** One export as a Markdown list line. */
function describe(name, symbol, checker) {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
  const declaration = target.declarations?.[0]
  const about = summary(target, checker).replace(/\{@link ([^}]+)\}/g, '`$1`')
  const tail = about ? ` — ${about}` : ''
  if (!declaration) return { kind: 'value', line: `- \`${name}\`${tail}` }
  if (ts.isFunctionDeclaration(declaration)) return { kind: 'value', line: `- \`${name}${signatureText(declaration)}\`${tail}` }
  if (ts.isClassDeclaration(declaration)) return { kind: 'value', line: `- \`class ${name}\`${tail}` }
  if (ts.isVariableDeclaration(declaration)) {
    const init = declaration.initializer
    if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)))
      return { kind: 'value', line: `- \`${name}${signatureText(init)}\`${tail}` }
    const type = checker.getTypeOfSymbolAtLocation(target, declaration)
    let text = declaration.type ? declaration.type.getText() : checker.typeToString(type, undefined, ts.TypeFormatFlags.NoTruncation)
    if (text.includes('`') || text.length > 60) text = checker.typeToString(checker.getBaseTypeOfLiteralType(type))
    if (text.length > 60) text = 'object'
    return { kind: 'value', line: `- \`${name}: ${text.replace(/\s+/g, ' ')}\`${tail}` }
  }
  if (ts.isExportSpecifier(declaration) || ts.isExportAssignment(declaration)) return { kind: 'value', line: `- \`${name}\`${tail}` }
  return { kind: 'type', line: `- \`${name}\`${tail}` }
}

/** The API sections of `packages`, by package name (one TypeScript program for all). */
export function apiSections(packages) {
  const indexOf = (pkg) => path.join(root, 'packages', pkg, 'src', 'index.ts')
  const program = ts.createProgram(packages.map(indexOf), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
    skipLibCheck: true
  })
  const checker = program.getTypeChecker()
  const sections = new Map()
  for (const pkg of packages) {
    const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(indexOf(pkg)))
    const values = []
    const types = []
    for (const symbol of moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : []) {
      const { kind, line } = describe(symbol.name, symbol, checker)
      ;(kind === 'value' ? values : types).push(line)
    }
    const sort = (lines) => lines.sort((x, y) => x.toLowerCase().localeCompare(y.toLowerCase()))
    sections.set(
      pkg,
      [
        START,
        '## API',
        '',
        `Every export of \`@masthead/${pkg}\` (from \`src/index.ts\`; regenerate this list with \`node scripts/readme-api.mjs --write\`). Other names in this README are internal: modules of \`src/\`, not exports.`,
        '',
        ...(values.length ? ['### Functions and values', '', ...sort(values), ''] : []),
        ...(types.length ? ['### Types', '', ...sort(types), ''] : []),
        END
      ].join('\n')
    )
  }
  return sections
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const write = process.argv.includes('--write')
  const only = process.argv.slice(2).filter((arg) => !arg.startsWith('--'))
  const packages = readdirSync(path.join(root, 'packages'))
    .sort()
    .filter((pkg) => only.length === 0 || only.includes(pkg))
  for (const [pkg, section] of apiSections(packages)) {
    if (!write) {
      process.stdout.write(section + '\n\n')
      continue
    }
    const readme = path.join(root, 'packages', pkg, 'README.md')
    const text = readFileSync(readme, 'utf8')
    const start = text.indexOf(START)
    const end = text.indexOf(END)
    const next =
      start !== -1 && end > start ? text.slice(0, start) + section + text.slice(end + END.length) : text.trimEnd() + '\n\n' + section + '\n'
    writeFileSync(readme, next)
  }
}
