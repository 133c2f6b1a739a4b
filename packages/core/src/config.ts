import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import * as v from 'valibot'
import { parseDocument } from 'yaml'
import { VFile, fail, pointAt } from './diagnostics.js'
import { findInheritedKeys } from './inherited-keys.js'
import { locateJson } from './locate-json.js'
import { schemaProblems } from './schema-problems.js'
import { originProblem } from './check-origin.js'
import { PAPER_EXPECTED, parsePaper } from './page-geometry.js'

const SOURCE = 'masthead:config'

const mailbox = v.strictObject({
  name: v.optional(v.string('expected a display name')),
  address: v.pipe(v.string('expected an email address'), v.email('expected an email address, `name@example.org`'))
}, 'expected `{ "name": …, "address": … }`')

const origin = v.pipe(
  v.string('expected an origin'),
  v.check((value) => originProblem(value) === undefined, (issue) => originProblem(String(issue.input)) ?? 'expected an origin')
)

const folder = v.optional(v.string('expected a folder path'))

/** The config file's schema (`masthead.config.json`, or the default export of `masthead.config.mjs`). */
export const configSchema = v.strictObject({
  $schema: v.optional(v.string()),
  paths: v.optional(v.strictObject(
    { issues: folder, templates: folder, styles: folder, dist: folder },
    'expected `issues`, `templates`, `styles`, `dist` folder paths'
  )),
  site: v.optional(v.strictObject({
    url: v.optional(v.pipe(v.string('expected a URL'), v.regex(/^https?:\/\/[^/\s]+(\/\S*)?$/, 'expected where `dist/` is published, `https://news.example.org/`'))),
    title: v.optional(v.string('expected the archive\'s title'))
  }, 'expected `url`, `title`')),
  print: v.optional(v.strictObject({
    paper: v.optional(v.pipe(v.string(PAPER_EXPECTED), v.check((value) => parsePaper(value) !== undefined, PAPER_EXPECTED))),
    bleed: v.optional(v.boolean('expected `true` or `false`')),
    pressReady: v.optional(v.boolean('expected `true` or `false`')),
    archival: v.optional(v.boolean('expected `true` or `false`')),
    overprint: v.optional(v.boolean('expected `true` or `false`'))
  }, 'expected `paper`, `bleed`, `pressReady`, `archival`, `overprint`')),
  email: v.optional(v.strictObject({
    mode: v.optional(v.picklist(['full', 'digest'], 'expected `full` or `digest`')),
    sender: v.optional(mailbox),
    unsubscribeUrl: v.optional(v.string('expected a URL or a merge tag such as `*|UNSUB|*`')),
    viewInBrowserUrl: v.optional(v.string('expected a URL or a merge tag such as `*|ARCHIVE|*`')),
    utm: v.optional(v.union([v.literal(false), v.record(v.string(), v.string())], 'expected `false` or an object of `utm_*` parameters')),
    assets: v.optional(v.union([
      v.strictObject({ mode: v.literal('cid') }),
      v.strictObject({ mode: v.literal('url'), baseUrl: v.pipe(v.string(), v.url('expected an absolute base URL, `https://…/`')) })
    ], 'expected `{ "mode": "cid" }` or `{ "mode": "url", "baseUrl": "https://…/" }`')),
    maxBytes: v.optional(v.pipe(v.number('expected a number of bytes'), v.integer(), v.minValue(1024)))
  }, 'expected email options: `mode`, `sender`, `unsubscribeUrl`, `viewInBrowserUrl`, `utm`, `assets`, `maxBytes`')),
  browser: v.optional(v.strictObject({
    executablePath: v.optional(v.string('expected the path of a Chromium or Chrome binary')),
    launchTimeout: v.optional(v.pipe(v.number('expected milliseconds'), v.integer(), v.minValue(1000))),
    renderTimeout: v.optional(v.pipe(v.number('expected milliseconds'), v.integer(), v.minValue(1000)))
  }, 'expected `executablePath`, `launchTimeout`, `renderTimeout`')),
  network: v.optional(v.strictObject({
    allow: v.optional(v.array(origin, 'expected a list of origins'))
  }, 'expected `allow`')),
  send: v.optional(v.strictObject({
    smtp: v.optional(v.strictObject({
      host: v.optional(v.pipe(v.string('expected a host name'), v.nonEmpty('expected a host name'))),
      port: v.optional(v.pipe(v.number('expected a port number'), v.integer(), v.minValue(1), v.maxValue(65535))),
      tls: v.optional(v.picklist(['implicit', 'starttls', 'opportunistic', 'none'], 'expected `implicit` (TLS from the start, port 465), `starttls`, `opportunistic` or `none`')),
      name: v.optional(v.string('expected the host name to give in EHLO')),
      rejectUnauthorized: v.optional(v.boolean('expected `true` or `false`'))
    }, 'expected `host`, `port`, `tls`, `name`, `rejectUnauthorized` (the login comes from MASTHEAD_SMTP_USER and MASTHEAD_SMTP_PASS, never from a file)')),
    sender: v.optional(mailbox),
    envelopeFrom: v.optional(v.pipe(v.string('expected an email address'), v.email('expected an email address, `bounces@example.org`'))),
    unsubscribeUrl: v.optional(v.pipe(v.string('expected a URL'), v.regex(/^https?:\/\/\S/, 'expected an `https://…` URL, with `{{ email }}` and `{{ token }}` where they go'))),
    greeting: v.optional(v.union([
      v.literal(false),
      v.strictObject({ named: v.string(), anonymous: v.string() })
    ], 'expected `false` or `{ "named": "Dear {{ name }},", "anonymous": "Hello," }`')),
    rate: v.optional(v.pipe(v.number('expected messages per second'), v.gtValue(0, 'expected more than 0 messages per second'))),
    concurrency: v.optional(v.pipe(v.number('expected a number of connections'), v.integer(), v.minValue(1), v.maxValue(100))),
    maxAttempts: v.optional(v.pipe(v.number('expected a number of attempts'), v.integer(), v.minValue(1))),
    journal: v.optional(v.string('expected a folder path'))
  }, 'expected send options: `smtp`, `sender`, `envelopeFrom`, `unsubscribeUrl`, `greeting`, `rate`, `concurrency`, `maxAttempts`, `journal`')),
  export: v.optional(v.strictObject({
    platform: v.optional(v.picklist(['mailchimp', 'listmonk', 'generic'], 'expected `mailchimp`, `listmonk` or `generic`')),
    out: v.optional(v.string('expected a folder path'))
  }, 'expected `platform`, `out`'))
}, 'expected `paths`, `site`, `print`, `email`, `browser`, `network`, `send` or `export`')

/** A validated config. */
export type Config = v.InferOutput<typeof configSchema>

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
        fail(file, `Unexpected JSON: ${error.message.split('\n')[0]}`, { ruleId: 'config-syntax', source: SOURCE, place: pointAt(text, error.pos[0]) })
      }
      return { config: undefined, file }
    }
    data = doc.toJS()
  } else {
    try {
      const module = (await import(pathToFileURL(filePath).href + `?t=${Date.now()}`)) as { default?: unknown }
      data = module.default
    } catch (error) {
      fail(file, `Cannot load \`${name}\`: ${(error as Error).message}`, { ruleId: 'config-load', source: SOURCE, place: { line: 1, column: 1 } })
      return { config: undefined, file }
    }
  }
  const inherited = findInheritedKeys(data)
  for (const keys of inherited) {
    fail(file, `Unexpected key \`${keys.join('.')}\` in the config, expected a key the config defines; \`__proto__\`, \`constructor\`, \`prototype\` and other names every object inherits are never config keys`, {
      ruleId: 'config-invalid',
      source: SOURCE,
      place: (doc ? locateJson(doc, text, keys, true) : undefined) ?? { line: 1, column: 1 }
    })
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
    fail(file, reason, { ruleId: 'config-invalid', source: SOURCE, place: where ?? { line: 1, column: 1 } })
  }
  return { config: undefined, file }
}
