import { readFile, readdir, stat } from 'node:fs/promises'
import path from 'node:path'
import type { SectionType } from '@masthead/core'
import { VFile, addError, list, pointAt, warn } from '@masthead/core'
import * as v from 'valibot'
import { parseDocument } from 'yaml'
import { locateJson, schemaProblems } from '@masthead/core'
import { sectionSchema, toSectionType } from './section-schema.js'

const SOURCE = 'masthead:layout'

/** What {@link loadSectionTypes} found. */
export interface LoadedSectionTypes {
  /** The valid section types, keyed by name (folder name), in folder order. */
  types: Map<string, SectionType>
  /** One file per manifest (and for the folder itself when it is unusable), with messages. */
  files: VFile[]
}

async function exists(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile()
  } catch {
    return false
  }
}

async function listFolders(dir: string): Promise<string[] | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true })
    return entries
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name)
      .sort()
  } catch {
    return undefined
  }
}

/**
 * Read and validate one manifest; messages go on `file`.
 *
 * @returns The section type, or `undefined` when the manifest is unusable.
 */
async function loadManifest(file: VFile, folder: string, name: string): Promise<SectionType | undefined> {
  const text = String(file.value)
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true })
  for (const error of doc.errors) {
    addError(file, `Unexpected invalid JSON in \`section.json\`: ${error.message.split('\n')[0] ?? ''}`, {
      ruleId: 'manifest-syntax',
      source: SOURCE,
      place: { start: pointAt(text, error.pos[0]), end: pointAt(text, error.pos[1]) }
    })
  }
  if (doc.errors.length > 0) return undefined

  const result = v.safeParse(sectionSchema, doc.toJS())
  if (!result.success) {
    for (const problem of schemaProblems(result.issues)) {
      const where = problem.label ? ` at \`${problem.label}\`` : ''
      const reason = problem.unexpectedKey
        ? `Unexpected key \`${String(problem.path.at(-1))}\` in \`section.json\``
        : `Unexpected value${where} in \`section.json\`: ${problem.message}`
      addError(file, reason, {
        ruleId: 'manifest-invalid',
        source: SOURCE,
        place: locateJson(doc, text, problem.path, problem.unexpectedKey)
      })
    }
    return undefined
  }

  const manifest = result.output
  if (manifest.name !== name) {
    addError(file, `Unexpected name \`${manifest.name}\`, expected \`${name}\` (the folder name)`, {
      ruleId: 'manifest-name',
      source: SOURCE,
      place: locateJson(doc, text, ['name']),
      expected: [name],
      actual: manifest.name
    })
    return undefined
  }

  for (const [index, field] of (manifest.titleFrom ?? []).entries()) {
    if (manifest.fields?.[field]) continue
    addError(
      file,
      `Unexpected \`titleFrom\` field \`${field}\`, expected one of the item fields ${list(Object.keys(manifest.fields ?? {}))}`,
      {
        ruleId: 'manifest-title-from',
        source: SOURCE,
        place: locateJson(doc, text, ['titleFrom', index])
      }
    )
    return undefined
  }

  let complete = true
  for (const [edition, names] of Object.entries(manifest.omits ?? {})) {
    for (const [index, omitted] of names.entries()) {
      if (omitted in (manifest.fields ?? {}) || omitted in (manifest.sectionFields ?? {})) continue
      complete = false
      addError(file, `Unexpected field \`${omitted}\` in \`omits.${edition}\`, expected one of the fields the manifest declares`, {
        ruleId: 'manifest-invalid',
        source: SOURCE,
        place: locateJson(doc, text, ['omits', edition, index])
      })
    }
  }
  for (const [index, edition] of manifest.editions.entries()) {
    if (!(await exists(path.join(folder, `${edition}.hbs`)))) {
      complete = false
      addError(file, `Missing \`${edition}.hbs\` next to \`section.json\`, expected a template for each edition in \`editions\``, {
        ruleId: 'missing-section-template',
        source: SOURCE,
        place: locateJson(doc, text, ['editions', index])
      })
    }
  }
  return complete ? toSectionType(manifest) : undefined
}

/**
 * Discover the section types in `templatesDir/sections/*`: read each `section.json`,
 * validate it against {@link sectionSchema} (messages point into the JSON), and check that
 * the folder is named after the type and holds a template for every edition it declares.
 *
 * @param templatesDir The `templates/` folder.
 * @returns The valid types, and a VFile per manifest carrying its messages.
 */
export async function loadSectionTypes(templatesDir: string): Promise<LoadedSectionTypes> {
  if (typeof templatesDir !== 'string' || templatesDir === '') {
    throw new TypeError('Expected `templatesDir`, the path of the `templates/` folder, as a string')
  }
  const sectionsDir = path.resolve(templatesDir, 'sections')
  const types = new Map<string, SectionType>()
  const files: VFile[] = []
  const folders = await listFolders(sectionsDir)
  if (!folders) {
    const file = new VFile({ path: sectionsDir })
    addError(file, 'Missing folder `sections/` in the templates folder, expected one folder per section type', {
      ruleId: 'missing-sections',
      source: SOURCE
    })
    return { types, files: [file] }
  }

  for (const name of folders) {
    const folder = path.join(sectionsDir, name)
    const manifestPath = path.join(folder, 'section.json')
    if (!(await exists(manifestPath))) {
      const file = new VFile({ path: folder })
      warn(file, 'Unexpected folder without `section.json`, expected a section type manifest; the folder is ignored', {
        ruleId: 'missing-manifest',
        source: SOURCE
      })
      files.push(file)
      continue
    }
    const file = new VFile({ path: manifestPath, value: await readFile(manifestPath, 'utf8') })
    files.push(file)
    const type = await loadManifest(file, folder, name)
    if (type) types.set(name, type)
  }

  if (!types.has('article') && folders.length > 0) {
    const file = new VFile({ path: sectionsDir })
    warn(
      file,
      `Missing section type \`article\`, expected it as the fallback for types without a template; found ${list([...types.keys()])}`,
      {
        ruleId: 'missing-fallback',
        source: SOURCE
      }
    )
    files.push(file)
  }
  return { types, files }
}
