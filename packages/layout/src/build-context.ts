import { pathToFileURL } from 'node:url'
import type {
  Content,
  DateValue,
  Entry,
  FieldSpec,
  FieldValue,
  ImageRef,
  Issue,
  IssueMeta,
  Item,
  LinkRef,
  Part,
  Position,
  Section,
  SectionBreak,
  SectionTypes
} from '@masthead/core'
import type { PageGeometry } from './page-geometry.js'
import { dropMergeTags } from './drop-merge-tags.js'
import { strictContext } from './strict-context.js'

/** An image as templates see it: `src` as written, `url` absolute, `caption` always a string. */
export interface ImageContext {
  src: string
  url: string
  alt: string
  caption: string
  width: number
  height: number
  type: string
  sourceLine: number | ''
  sourceColumn: number | ''
}

/** A field value as templates see it: every declared field is present, `''` when unset. */
export type FieldContext = string | DateValue | ImageContext

/** Where an object of the context came from, so a template error can point at issue.md. */
export interface Origin {
  /** How messages name it: ``item `s1-i2` ``. */
  label: string
  position: Position | undefined
}

/** An item as templates see it. */
export interface ItemContext {
  id: string
  /** The `##` headline as written, `''` for an untitled item. */
  headline: string
  /** The headline, or for an untitled item the field its type titles it by (`titleFrom`); `''` when neither. */
  title: string
  /** The heading level of its title: 2, or 3 for an item inside a part. */
  level: number
  fields: Record<string, FieldContext>
  body: Content
  images: ImageContext[]
  links: LinkRef[]
  /** 1-based position in its section. */
  number: number
  sourceLine: number
  sourceColumn: number
}

/** A timeline entry as templates see it. */
export interface EntryContext {
  id: string
  date: DateValue
  place: string
  event: string
  note: Content
  number: number
  sourceLine: number
  sourceColumn: number
}

/** A part of a section (`#` heading) as templates see it. */
export interface PartContext {
  id: string
  title: string
  intro: Content
  items: ItemContext[]
  /** 1-based position among its section's parts. */
  number: number
  sourceLine: number
  sourceColumn: number
}

/** A section as templates see it. */
export interface SectionContext {
  id: string
  type: string
  /** The section type whose template renders it (`article` when its own is missing). */
  template: string
  title: string
  fields: Record<string, FieldContext>
  intro: Content
  /** The items before the first part; when the section template runs for a part, that part's items. */
  items: ItemContext[]
  parts: PartContext[]
  /** `''`, or the part whose items `items` holds while the section template runs for it. */
  part: PartContext | ''
  entries: EntryContext[]
  number: number
  sourceLine: number
  sourceColumn: number
  /**
   * Where the section starts in print: `page` on a new page, `auto` flowing on after the
   * previous section. The editor's `{break=…}`, else the type's `break`, else `auto`.
   */
  break: SectionBreak
  /** Who set `break`: `editor` (`{break=…}` in the source) or `design` (the type's `section.json`, or the default). */
  breakBy: 'editor' | 'design'
  /** True for the first section and each section that starts a new page (it opens a page group). */
  startsPage: boolean
  /**
   * The id of the first section of the section's page group. The print layout names the
   * section's page after it (`page: section-{{cssIdent pageGroup}}`): sections that flow
   * on share the page name of the one they follow, since a change of page name forces a
   * page break.
   */
  pageGroup: string
  /**
   * The running header for the pages of the section's page group: the section's title when
   * it is alone in its group, otherwise the issue number, or the date for an issue without
   * one (the header cannot change mid-group).
   */
  runningTitle: string
  /** The section's own template output, filled in before the layout runs. */
  html: string
}

/** The issue's metadata with every optional key present. */
export interface MetaContext {
  title: string
  /** `''` for an issue without a number (a special issue). */
  issue: string
  date: DateValue
  lang: string
  publisher: string
  subject: string
  keywords: string[]
  url: string
}

/** What a layout template (`layouts/<edition>.hbs`) receives as its context. */
export interface TemplateContext {
  /** The Issue model as the parser produced it (optional keys may be absent). */
  issue: Issue
  meta: MetaContext
  lang: string
  edition: 'print' | 'email' | 'web' | 'text'
  sections: SectionContext[]
  /** Page size and bleed (print). */
  page: PageGeometry
  /** Stylesheets to link, as URLs: fonts first, then `print.css`, then one per section type. */
  stylesheets: { fonts: string[]; main: string; sections: string[] }
}

/**
 * The place of an item, entry, part or section: its 1-based `number` among its siblings,
 * and where it starts in issue.md.
 */
function numbered(index: number, position: Position): { number: number; sourceLine: number; sourceColumn: number } {
  return { number: index + 1, sourceLine: position.start.line, sourceColumn: position.start.column }
}

/** Turns the Issue model into the template context and remembers where each part came from. */
export class ContextBuilder {
  readonly origins = new Map<string, Origin>()

  private readonly types: SectionTypes
  private readonly edition: 'print' | 'email' | 'web'

  constructor(types: SectionTypes, edition: 'print' | 'email' | 'web' = 'print') {
    this.types = types
    this.edition = edition
  }

  /** Rendered Markdown for this edition: print and web leave out paragraphs with merge tags (only an email fills them in). */
  private content(content: Content): Content {
    return this.edition === 'email' ? content : dropMergeTags(content)
  }

  /**
   * Mark `object` so that a strict-mode error names it and points at `position`, and make
   * reading a key it lacks an error.
   */
  private tag<T extends object>(object: T, label: string, position: Position | undefined): T {
    this.origins.set(label, { label, position })
    Object.defineProperty(object, Symbol.toPrimitive, { value: () => label, enumerable: false })
    return strictContext(object, label)
  }

  image(image: ImageRef): ImageContext {
    return {
      src: image.src,
      url: pathToFileURL(image.path).href,
      alt: image.alt,
      caption: image.caption ?? '',
      width: image.width,
      height: image.height,
      type: image.type,
      sourceLine: image.position?.start.line ?? '',
      sourceColumn: image.position?.start.column ?? ''
    }
  }

  private fields(
    values: Record<string, FieldValue>,
    specs: Record<string, FieldSpec> | undefined,
    label: string,
    position: Position | undefined
  ): Record<string, FieldContext> {
    const fields: Record<string, FieldContext> = {}
    for (const name of Object.keys(specs ?? {})) fields[name] = ''
    for (const [name, value] of Object.entries(values)) {
      fields[name] = typeof value === 'object' && 'path' in value ? this.image(value) : value
    }
    return this.tag(fields, `fields of ${label}`, position)
  }

  /** Fields declared by the section's type and, when it borrows another type's template, by that type. */
  private specs(section: Section, template: string, key: 'fields' | 'sectionFields'): Record<string, FieldSpec> {
    return { ...this.types.get(template)?.[key], ...this.types.get(section.type)?.[key] }
  }

  item(item: Item, section: Section, index: number, template = section.type, level = 2): ItemContext {
    const label = `item \`${item.id}\``
    return this.tag(
      {
        id: item.id,
        headline: item.headline ?? '',
        title: item.headline ?? item.title ?? '',
        level,
        fields: this.fields(item.fields, this.specs(section, template, 'fields'), label, item.position),
        body: this.content(item.body),
        images: item.images.map((image) => this.image(image)),
        links: item.links,
        ...numbered(index, item.position)
      },
      label,
      item.position
    )
  }

  entry(entry: Entry, index: number): EntryContext {
    return this.tag(
      {
        id: entry.id,
        date: entry.date,
        place: entry.place ?? '',
        event: entry.event,
        note: entry.note ?? { html: '', text: '' },
        ...numbered(index, entry.position)
      },
      `entry \`${entry.id}\``,
      entry.position
    )
  }

  part(part: Part, section: Section, index: number, template: string): PartContext {
    const label = `part \`${part.id}\``
    return this.tag(
      {
        id: part.id,
        title: part.title,
        intro: this.content(part.intro),
        items: part.items.map((item, itemIndex) => this.item(item, section, itemIndex, template, 3)),
        ...numbered(index, part.position)
      },
      label,
      part.position
    )
  }

  /**
   * The section as its template sees it while it renders one part: the part's items in
   * `items`, no introduction (the part banner shows the part's), and `part` set.
   */
  partRun(section: SectionContext, part: PartContext): SectionContext {
    return this.tag(
      { ...section, intro: { html: '', text: '' }, items: part.items, part },
      `section \`${section.id}\``,
      this.origins.get(`section \`${section.id}\``)?.position
    )
  }

  section(section: Section, index: number, template: string): SectionContext {
    const label = `section \`${section.id}\``
    return this.tag(
      {
        id: section.id,
        type: section.type,
        template,
        title: section.title,
        fields: this.fields(section.fields, this.specs(section, template, 'sectionFields'), label, section.position),
        intro: this.content(section.intro),
        items: section.items.map((item, itemIndex) => this.item(item, section, itemIndex, template)),
        parts: section.parts.map((part, partIndex) => this.part(part, section, partIndex, template)),
        part: '',
        entries: section.entries.map((entry, entryIndex) => this.entry(entry, entryIndex)),
        ...numbered(index, section.position),
        break: section.break ?? this.types.get(section.type)?.break ?? 'auto',
        breakBy: section.break === undefined ? 'design' : 'editor',
        startsPage: false,
        pageGroup: section.id,
        runningTitle: '',
        html: ''
      },
      label,
      section.position
    )
  }

  meta(meta: IssueMeta): MetaContext {
    return this.tag(
      {
        title: meta.title,
        issue: meta.issue ?? '',
        date: meta.date,
        lang: meta.lang,
        publisher: meta.publisher,
        subject: meta.subject ?? '',
        keywords: meta.keywords,
        url: meta.url ?? ''
      },
      'meta',
      undefined
    )
  }

  /** Tag the root context (after it is complete). */
  root(context: TemplateContext): TemplateContext {
    return this.tag(context, 'the template context', undefined)
  }
}
