/**
 * What a section type declares about itself in `templates/sections/<type>/section.json`.
 * `@masthead/layout` loads and validates these; `@masthead/parse` receives them as an option.
 */

/** The kinds of value a field can hold. */
export type FieldType = 'text' | 'date' | 'url' | 'email' | 'image'

/** One field an item (or a section) of this type accepts. */
export interface FieldSpec {
  type: FieldType
  /** A missing required field is an error. */
  required?: boolean
  /** Other names an editor may write, e.g. `来源` for `source`. Matched case-insensitively. */
  aliases?: string[]
  /**
   * Another field this one is meaningless without, e.g. a QR code's caption (`qr`) without
   * the `web` address it encodes: the field given without it is a warning at its line.
   */
  requires?: string
  /** Shown in docs and editor tooling. */
  description?: string
}

/** A section type, as the manifest declares it. */
export interface SectionType {
  /** The directive name editors write: `:::news`. Equal to the folder name. */
  name: string
  /** Default section title per language, used when the directive has no label. */
  title: Record<string, string>
  description?: string
  /** True when the section holds dated entries (a timeline) rather than headed items. */
  entries?: boolean
  /** Fields an edition leaves out on purpose (`text` is the email's plain-text part); every other field reaches every edition. */
  omits?: Partial<Record<'print' | 'email' | 'text', string[]>>
  /** Fields an item of this section accepts. */
  fields: Record<string, FieldSpec>
  /**
   * Fields that name who an item is by (`["speaker", "role"]`): every item must set at
   * least one of them, and an item without a headline takes the first one set as its title.
   */
  titleFrom?: string[]
  /** Fields the section itself accepts (directive attributes or a leading field block). */
  sectionFields: Record<string, FieldSpec>
  /**
   * Where a section of this type starts in print unless the editor says otherwise:
   * `page` on a new page, `auto` (the default) flowing on after the previous section.
   */
  break?: 'page' | 'auto'
  /** Editions this type has templates for. */
  editions: Array<'print' | 'email' | 'web'>
}

/** The known section types, keyed by name. */
export type SectionTypes = ReadonlyMap<string, SectionType>
