import * as v from 'valibot'
import type { FieldSpec, SectionType } from '@masthead/core'

/** Editions a section type can have a template for. */
export const editions = ['print', 'email', 'web'] as const

const fieldName = v.pipe(v.string(), v.regex(/^[a-z][a-zA-Z0-9]*$/, 'Expected a camelCase field name such as `source` or `pullQuote`'))

/** One field an item or a section accepts (`fields.source`). */
export const fieldSpecSchema = v.strictObject({
  type: v.pipe(
    v.picklist(['text', 'date', 'url', 'email', 'image']),
    v.description('The kind of value: text, date (2021-04-22, 2021-04, 2021, 2021年4月22日), url, email or image.')
  ),
  required: v.pipe(v.exactOptional(v.boolean()), v.description('A missing required field is an error.')),
  aliases: v.pipe(
    v.exactOptional(v.array(v.pipe(v.string(), v.minLength(1)))),
    v.description('Other names editors may write, e.g. `来源` for `source`; matched case-insensitively.')
  ),
  requires: v.pipe(
    v.exactOptional(fieldName),
    v.description('Another field this one needs, e.g. `web` for a QR caption: the field without it is a warning at its line.')
  ),
  description: v.pipe(v.exactOptional(v.string()), v.description('Shown in docs and editor tooling.'))
})

const fieldsSchema = v.record(fieldName, fieldSpecSchema)

/**
 * The manifest of a section type, `templates/sections/<type>/section.json`.
 * `section.schema.json` is generated from this schema.
 */
export const sectionSchema = v.pipe(
  v.strictObject({
    $schema: v.exactOptional(v.string()),
    name: v.pipe(
      v.string(),
      v.regex(/^[a-z][a-z0-9-]*$/, 'Expected a lowercase name such as `news` or `press-releases`'),
      v.description('The directive name editors write (`:::news`); equal to the folder name.')
    ),
    title: v.pipe(
      v.record(v.string(), v.pipe(v.string(), v.minLength(1))),
      v.minEntries(1, 'Expected a default title for at least one language'),
      v.description('Default section title per language (`en`, `zh-CN`), used when the directive has no label.')
    ),
    description: v.pipe(v.exactOptional(v.string()), v.description('What the section type shows.')),
    entries: v.pipe(
      v.exactOptional(v.boolean()),
      v.description('True when the section holds dated entries (a timeline) rather than headed items.')
    ),
    fields: v.pipe(v.exactOptional(fieldsSchema), v.description('Fields an item of this section accepts.')),
    titleFrom: v.pipe(
      v.exactOptional(v.pipe(v.array(fieldName), v.minLength(1, 'Expected at least one field name'))),
      v.description(
        'Fields that name who an item is by, e.g. ["speaker", "role"]: every item must set one of them, and an item without a `##` headline takes the first one set as its title (in print, email, text, contents and bookmarks).'
      )
    ),
    sectionFields: v.pipe(
      v.exactOptional(fieldsSchema),
      v.description('Fields the section itself accepts (directive attributes or a leading field block).')
    ),
    break: v.pipe(
      v.exactOptional(v.picklist(['page', 'auto'], 'Expected `page` or `auto`')),
      v.description(
        'Where a section of this type starts in print: `page` on a new page, `auto` (the default) flowing on after the previous section. Editors override it per section with `{break=page}` or `{break=auto}`.'
      )
    ),
    editions: v.pipe(
      v.array(v.picklist(editions)),
      v.minLength(1, 'Expected at least one edition, `print`, `email` or `web`'),
      v.description('Editions this type has templates for: `<edition>.hbs` next to the manifest.')
    ),
    omits: v.pipe(
      v.exactOptional(
        v.strictObject({
          print: v.exactOptional(v.array(fieldName)),
          email: v.exactOptional(v.array(fieldName)),
          text: v.exactOptional(v.array(fieldName))
        })
      ),
      v.description(
        'Fields an edition leaves out on purpose (`print`, `email` = the HTML email, `text` = its plain-text part), e.g. `{ "text": ["portrait"] }`. Every other field must reach every edition: the integrity test fails otherwise.'
      )
    )
  }),
  v.title('Masthead section type'),
  v.description('The manifest of a section type: templates/sections/<type>/section.json.')
)

/** A manifest as written (before defaults). */
export type SectionManifest = v.InferOutput<typeof sectionSchema>

function toFieldSpecs(fields: SectionManifest['fields']): Record<string, FieldSpec> {
  const specs: Record<string, FieldSpec> = {}
  for (const [name, spec] of Object.entries(fields ?? {})) specs[name] = { ...spec }
  return specs
}

/** Turn a validated manifest into the `SectionType` the rest of Masthead uses. */
export function toSectionType(manifest: SectionManifest): SectionType {
  const type: SectionType = {
    name: manifest.name,
    title: { ...manifest.title },
    fields: toFieldSpecs(manifest.fields),
    sectionFields: toFieldSpecs(manifest.sectionFields),
    editions: [...new Set(manifest.editions)]
  }
  if (manifest.description !== undefined) type.description = manifest.description
  if (manifest.entries !== undefined) type.entries = manifest.entries
  if (manifest.break !== undefined) type.break = manifest.break
  if (manifest.omits !== undefined) type.omits = structuredClone(manifest.omits)
  if (manifest.titleFrom !== undefined) type.titleFrom = [...manifest.titleFrom]
  return type
}
