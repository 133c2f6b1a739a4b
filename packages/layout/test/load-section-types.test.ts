import { mkdir, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadSectionTypes } from '../src/index.js'
import { messages, templatesDir, tempProject } from './support.js'

describe('loadSectionTypes', () => {
  it('loads the five section types of the repository without messages', async () => {
    const { types, files } = await loadSectionTypes(templatesDir)
    expect(messages(files)).toEqual([])
    expect([...types.keys()]).toEqual(['article', 'contacts', 'milestones', 'news', 'viewpoints'])
    expect(types.get('news')?.fields['source']?.aliases).toContain('来源')
    expect(types.get('milestones')?.entries).toBe(true)
    expect(types.get('viewpoints')?.titleFrom).toEqual(['speaker', 'role'])
  })

  describe('in a project of its own', () => {
    let dir = ''
    let cleanup = async (): Promise<void> => {}
    beforeEach(async () => {
      ;({ dir, cleanup } = await tempProject())
    })
    afterEach(() => cleanup())

    const write = async (name: string, manifest: string, templates: string[] = ['print.hbs']): Promise<void> => {
      const folder = path.join(dir, 'templates/sections', name)
      await mkdir(folder, { recursive: true })
      await writeFile(path.join(folder, 'section.json'), manifest)
      for (const template of templates) await writeFile(path.join(folder, template), '{{#each items}}{{headline}}{{/each}}')
    }

    it('points at the key or value at fault in section.json', async () => {
      await write(
        'quote',
        '{\n  "name": "quote",\n  "title": { "en": "Quote" },\n  "colour": "red",\n  "fields": { "who": { "type": "person" } },\n  "editions": ["print"]\n}\n'
      )
      const { types, files } = await loadSectionTypes(path.join(dir, 'templates'))
      expect(types.has('quote')).toBe(false)
      expect(messages(files, dir)).toEqual([
        'templates/sections/quote/section.json:5:32: Unexpected value at `fields.who.type` in `section.json`: Invalid type: Expected ("text" | "date" | "url" | "email" | "image") but received "person"',
        'templates/sections/quote/section.json:4:3: Unexpected key `colour` in `section.json`'
      ])
    })

    it('requires the name to be the folder name', async () => {
      await write('quote', '{\n  "name": "quotes",\n  "title": { "en": "Quote" },\n  "editions": ["print"]\n}\n')
      const { types, files } = await loadSectionTypes(path.join(dir, 'templates'))
      expect(types.has('quote')).toBe(false)
      expect(messages(files, dir)).toEqual([
        'templates/sections/quote/section.json:2:11: Unexpected name `quotes`, expected `quote` (the folder name)'
      ])
    })

    it('reads `omits`, and names an omitted field the manifest does not declare (issue 13)', async () => {
      await write(
        'quote',
        '{\n  "name": "quote",\n  "title": { "en": "Quote" },\n  "fields": { "who": { "type": "text" } },\n  "omits": { "text": ["who"] },\n  "editions": ["print"]\n}\n'
      )
      await write(
        'aside',
        '{\n  "name": "aside",\n  "title": { "en": "Aside" },\n  "fields": { "who": { "type": "text" } },\n  "omits": { "email": ["whom"] },\n  "editions": ["print"]\n}\n'
      )
      const { types, files } = await loadSectionTypes(path.join(dir, 'templates'))
      expect(types.get('quote')?.omits).toEqual({ text: ['who'] })
      expect(types.has('aside')).toBe(false)
      expect(messages(files, dir).filter((line) => line.includes('aside'))).toEqual([
        'templates/sections/aside/section.json:5:24: Unexpected field `whom` in `omits.email`, expected one of the fields the manifest declares'
      ])
    })

    it('requires a template for every edition the manifest declares', async () => {
      await write('quote', '{\n  "name": "quote",\n  "title": { "en": "Quote" },\n  "editions": ["print", "email"]\n}\n')
      const { types, files } = await loadSectionTypes(path.join(dir, 'templates'))
      expect(types.has('quote')).toBe(false)
      expect(messages(files, dir)).toEqual([
        'templates/sections/quote/section.json:4:25: Missing `email.hbs` next to `section.json`, expected a template for each edition in `editions`'
      ])
    })

    it('reports broken JSON with its position', async () => {
      await write('quote', '{\n  "name": "quote",\n  "title": { "en": "Quote" }\n  "editions": ["print"]\n}\n')
      const { files } = await loadSectionTypes(path.join(dir, 'templates'))
      const [message] = messages(files, dir)
      expect(message).toMatch(/^templates\/sections\/quote\/section\.json:\d+:\d+: Unexpected invalid JSON/)
    })

    it('warns about a folder without a manifest and a missing fallback type', async () => {
      await mkdir(path.join(dir, 'templates/sections/drafts'))
      await rm(path.join(dir, 'templates/sections/article'), { recursive: true })
      const { types, files } = await loadSectionTypes(path.join(dir, 'templates'))
      expect(types.size).toBe(4)
      expect(messages(files, dir)).toEqual([
        'templates/sections/drafts: Unexpected folder without `section.json`, expected a section type manifest; the folder is ignored',
        'templates/sections: Missing section type `article`, expected it as the fallback for types without a template; found `contacts`, `milestones`, `news`, or `viewpoints`'
      ])
    })
  })
})
