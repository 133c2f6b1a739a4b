import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as v from 'valibot'
import { parseDocument } from 'yaml'
import { VFile, addError, pointAt } from './diagnostics.js'
import { findInheritedKeys } from './inherited-keys.js'
import { locateJson } from './locate-json.js'
import { schemaProblems } from './schema-problems.js'
import { configSchema } from './config-schema.js'
import type { Config } from './config-schema.js'

const SOURCE = 'masthead:config'

/** The config file names, in the order they are looked for. */
export const CONFIG_FILES = ['masthead.config.json', 'masthead.config.mjs', 'masthead.config.js'] as const

/** What {@link loadConfig} returns. */
export interface LoadedConfig {
  /** The config; `{}` when there is no file, `undefined` when it has errors. */
  config: Config | undefined
  /** The config file with its messages (a file without a path when there is none). */
  file: VFile
}

/**
 * Load and validate the project's config file, if there is one. Problems are messages on
 * the config file, positioned at the offending JSON value.
 *
 * @param root The project root.
 */
export async function loadConfig(root: string): Promise<LoadedConfig> {
  const name = CONFIG_FILES.find((candidate) => existsSync(path.join(root, candidate)))
  if (!name) return { config: {}, file: new VFile({ cwd: root }) }
  const filePath = path.join(root, name)
  const file = new VFile({ path: filePath, cwd: root, value: await readFile(filePath, 'utf8') })
  const text = String(file.value)
  let data: unknown
  let doc: ReturnType<typeof parseDocument> | undefined
  if (name.endsWith('.json')) {
    doc = parseDocument(text, { prettyErrors: false })
    if (doc.errors.length > 0) {
      for (const error of doc.errors) {
        addError(file, `Unexpected JSON: ${error.message.split('\n')[0]}`, {
          ruleId: 'config-syntax',
          source: SOURCE,
          place: pointAt(text, error.pos[0])
        })
      }
      return { config: undefined, file }
    }
    data = doc.toJS()
  } else {
    try {
      const module = (await import(pathToFileURL(filePath).href + `?t=${Date.now()}`)) as { default?: unknown }
      data = module.default
    } catch (error) {
      addError(file, `Cannot load \`${name}\`: ${(error as Error).message}`, {
        ruleId: 'config-load',
        source: SOURCE,
        place: { line: 1, column: 1 }
      })
      return { config: undefined, file }
    }
  }
  const inherited = findInheritedKeys(data)
  for (const keys of inherited) {
    addError(
      file,
      `Unexpected key \`${keys.join('.')}\` in the config, expected a key the config defines; \`__proto__\`, \`constructor\`, \`prototype\` and other names every object inherits are never config keys`,
      {
        ruleId: 'config-invalid',
        source: SOURCE,
        place: (doc ? locateJson(doc, text, keys, true) : undefined) ?? { line: 1, column: 1 }
      }
    )
  }
  if (inherited.length > 0) return { config: undefined, file }
  const result = v.safeParse(configSchema, data)
  if (result.success) return { config: result.output, file }
  for (const problem of schemaProblems(result.issues)) {
    const where = doc ? locateJson(doc, text, problem.path, problem.unexpectedKey) : undefined
    const label = problem.label || '(root)'
    const reason = problem.unexpectedKey
      ? `Unexpected key \`${label}\` in the config, ${problem.message}`
      : `Unexpected \`${label}\` value ${JSON.stringify(problem.input)}, ${problem.message}`
    addError(file, reason, { ruleId: 'config-invalid', source: SOURCE, place: where ?? { line: 1, column: 1 } })
  }
  return { config: undefined, file }
}
