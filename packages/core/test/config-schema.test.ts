import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { toJsonSchema } from '@valibot/to-json-schema'
import { Ajv } from 'ajv'
import * as v from 'valibot'
import { describe, expect, it } from 'vitest'
import { configSchema, defineConfig, loadConfig } from '../src/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const repo = path.resolve(here, '../../..')

/** The JSON Schema as generated from `configSchema`; `check` actions (paper, origins) have no JSON Schema form. */
function generated() {
  return toJsonSchema(configSchema, { target: 'draft-07', ignoreActions: ['check'] })
}

/** Every ```json block of the README and docs/ that is a config (its keys are config keys). */
async function documentedConfigs(): Promise<Array<{ where: string; config: unknown }>> {
  const top = new Set(Object.keys(configSchema.entries))
  const files = [
    'README.md',
    ...(await readdir(path.join(repo, 'docs'))).filter((name) => name.endsWith('.md')).map((name) => `docs/${name}`)
  ]
  const found = []
  for (const name of files) {
    const text = await readFile(path.join(repo, name), 'utf8')
    for (const match of text.matchAll(/```json\n([\s\S]*?)```/g)) {
      let config: unknown
      try {
        config = JSON.parse(match[1] ?? '')
      } catch {
        continue
      }
      if (typeof config !== 'object' || config === null || !Object.keys(config).every((key) => top.has(key))) continue
      found.push({ where: `${name}:${text.slice(0, match.index).split('\n').length + 1}`, config })
    }
  }
  return found
}

describe('config.schema.json', () => {
  it('is generated from configSchema (update with `npx vitest run -u`)', async () => {
    await expect(JSON.stringify(generated(), null, 2) + '\n').toMatchFileSnapshot('../config.schema.json')
  })

  it('describes every key, at every depth', () => {
    const missing: string[] = []
    const walk = (schema: Record<string, unknown>, at: string) => {
      const properties = (schema['properties'] ?? {}) as Record<string, Record<string, unknown>>
      for (const [name, property] of Object.entries(properties)) {
        const where = at ? `${at}.${name}` : name
        if (typeof property['description'] !== 'string') missing.push(where)
        walk(property, where)
        for (const branch of (property['anyOf'] ?? []) as Array<Record<string, unknown>>) walk(branch, where)
      }
    }
    walk(generated() as Record<string, unknown>, '')
    expect(missing).toEqual([])
  })

  it('accepts every config the README and docs/ show, as valibot does, and refuses a misspelt key', async () => {
    const checked = await readFile(path.join(here, '../config.schema.json'), 'utf8')
    const validate = new Ajv({ strict: true, validateFormats: false }).compile(JSON.parse(checked) as object)
    const samples = await documentedConfigs()
    expect(samples.map((sample) => sample.where)).toEqual(
      expect.arrayContaining([
        'README.md:103',
        'docs/printing.md:26',
        'docs/publishing.md:23',
        'docs/security.md:125',
        'docs/sending.md:14'
      ])
    )
    for (const { where, config } of samples) {
      expect(validate(config) ? [] : validate.errors, where).toEqual([])
      expect(v.safeParse(configSchema, config).success, where).toBe(true)
    }
    expect(validate({ print: { papr: 'A4' } })).toBe(false)
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/print',
      keyword: 'additionalProperties',
      params: { additionalProperty: 'papr' }
    })
    expect(validate({ send: { concurrency: 0 } })).toBe(false)
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/send/concurrency', keyword: 'minimum' })
  })
})

describe('defineConfig', () => {
  it('returns the config it is given', () => {
    const config = { print: { paper: 'A5' } }
    expect(defineConfig(config)).toBe(config)
  })

  it('types the config: a misspelt key or a wrong value does not compile', () => {
    // @ts-expect-error `papr` is not a print option
    defineConfig({ print: { papr: 'A5' } })
    // @ts-expect-error `bleed` is a boolean
    defineConfig({ print: { bleed: 'yes' } })
    expect(true).toBe(true)
  })

  it('loads from a masthead.config.mjs that imports it from @masthead/core', async () => {
    const { config, file } = await loadConfig(path.join(here, 'fixtures/define-config'))
    expect(file.messages.map(String)).toEqual([])
    expect(config).toEqual({ print: { paper: 'A5', bleed: true }, site: { url: 'https://news.example.org/' } })
  })
})
