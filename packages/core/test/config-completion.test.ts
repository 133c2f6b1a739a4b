import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { TextDocument, getLanguageService } from 'vscode-json-languageservice'

// The JSON language service VS Code runs for JSON files, given config.schema.json the way
// an editor gets it from `$schema`: what an editor offers while someone types the config.
const here = path.dirname(fileURLToPath(import.meta.url))
const SCHEMA_URI = 'file:///project/node_modules/@masthead/core/config.schema.json'

async function editor(text: string) {
  const schema = JSON.parse(await readFile(path.join(here, '../config.schema.json'), 'utf8')) as object
  const service = getLanguageService({ schemaRequestService: () => Promise.resolve(JSON.stringify(schema)) })
  service.configure({ validate: true, schemas: [{ uri: SCHEMA_URI, fileMatch: ['masthead.config.json'], schema }] })
  const cursor = text.indexOf('|')
  const document = TextDocument.create('file:///project/masthead.config.json', 'json', 1, text.replace('|', ''))
  const json = service.parseJSONDocument(document)
  return { service, document, json, position: document.positionAt(cursor) }
}

describe('config.schema.json in an editor', () => {
  it('completes the keys of `print`, each with its description', async () => {
    const { service, document, json, position } = await editor('{\n  "print": { | }\n}\n')
    const list = await service.doComplete(document, position, json)
    const items = new Map(list?.items.map((item) => [item.label, item]))
    expect([...items.keys()].sort()).toEqual(['archival', 'bleed', 'overprint', 'paper', 'pressReady'])
    expect(String(items.get('paper')?.documentation)).toContain('The trimmed page')
  })

  it('offers the values of `email.mode`', async () => {
    const { service, document, json, position } = await editor('{ "email": { "mode": | } }')
    const list = await service.doComplete(document, position, json)
    expect(list?.items.map((item) => item.label).sort()).toEqual(['"digest"', '"full"'])
  })

  it('describes a key on hover', async () => {
    const { service, document, json, position } = await editor('{ "browser": { "render|Timeout": 1000 } }')
    const hover = await service.doHover(document, position, json)
    expect(JSON.stringify(hover?.contents)).toContain('How long one print may take')
  })

  it('underlines a misspelt key and a wrong value', async () => {
    const { service, document, json } = await editor('{ "print": { "papr": "A4", "bleed": "yes" } }')
    const problems = await service.doValidation(document, json)
    expect(problems.map((problem) => document.getText(problem.range)).sort()).toEqual(['"papr"', '"yes"'])
  })
})
