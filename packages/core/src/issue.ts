/**
 * The Issue model: what `@masthead/parse` produces from `issues/<issue>/issue.md`
 * and what the layout, pdf and email packages consume.
 *
 * Everything here is plain JSON (it is written as `dist/<issue>/issue.json`).
 */

import type { Point, Position } from 'unist'

/** A place (`Point`, 1-based line and column) and a range (`Position`) in a source file, as unist defines them. */
export type { Point, Position }

/** Languages the editions are localized for. */
export type Lang = 'zh-CN' | 'en'

/** A calendar date as an editor wrote it, with its precision kept. */
export interface DateValue {
  /** `2021-04-22`, `2021-04` or `2021`. */
  iso: string
  year: number
  /** 1–12, absent when only the year is known. */
  month?: number
  /** 1–31, absent when only the year or month is known. */
  day?: number
}

/** An image that lives in the issue folder. */
export interface ImageRef {
  /**
   * The path relative to the issue folder as a URL path: decoded once it names `path`'s
   * link in the folder (the source's `a%2520b.png` is the file `a%20b.png`, so `src` is
   * `a%2520b.png` again; `photo 1.jpg` stays as it is).
   */
  src: string
  /** Absolute path on disk (inside the issue folder). */
  path: string
  /** Intrinsic size in pixels, read from the file. */
  width: number
  height: number
  /** MIME type, e.g. `image/jpeg`. */
  type: string
  alt: string
  caption?: string
  position?: Position
}

/** A link found in an item body or given as a field. */
export interface LinkRef {
  url: string
  text: string
}

/** A value of an item or section field, after validation against the section manifest. */
export type FieldValue = string | DateValue | ImageRef

/** Rendered Markdown: an HTML fragment and its plain-text twin (paragraphs split by blank lines). */
export interface Content {
  html: string
  text: string
}

/** One item of a section: a news story, a viewpoint, a contact card… */
export interface Item {
  /** Stable anchor id, unique in the issue (`s2-i3` or as the editor set it). */
  id: string
  /** The item heading; absent for an untitled item (one opened by a thematic break). */
  headline?: string
  /**
   * The item's title as the contents, bookmarks and editions show it: the headline, or for
   * an untitled item of a type whose manifest sets `titleFrom`, the first of those fields
   * that is set (a speech titled by its speaker). Absent when the item has neither.
   */
  title?: string
  /** Fields from the item's field lines (`source: …`, `来源：…`), keyed by canonical name. */
  fields: Record<string, FieldValue>
  body: Content
  /** Every image in the item, body figures and image fields alike. */
  images: ImageRef[]
  links: LinkRef[]
  position: Position
}

/** A dated entry of a timeline (`milestones`). */
export interface Entry {
  id: string
  date: DateValue
  place?: string
  event: string
  /** Further text of the entry, rendered. */
  note?: Content
  position: Position
}

/**
 * A part of a section (a sub-section), opened by a `#` heading inside the section: a
 * session's parts (一)(二)(三). It has its own title, introduction and items, and is listed
 * in the contents and the bookmarks one level below its section.
 */
export interface Part {
  /** Stable anchor id, unique in the issue (`<section id>-p1` or as the editor set it). */
  id: string
  title: string
  /** Text between the part's heading and its first item. */
  intro: Content
  items: Item[]
  position: Position
}

/** A section of the issue, of a type defined by `templates/sections/<type>/`. */
export interface Section {
  id: string
  type: string
  /** The section title as printed (the directive label, or the type's default title). */
  title: string
  /** Section-level fields (directive attributes and a leading field block). */
  fields: Record<string, FieldValue>
  /** Text before the first item. */
  intro: Content
  /** The items before the first part (all of them when the section has no parts). */
  items: Item[]
  /** The section's parts, in order; empty when it has none. Their items are not in `items`. */
  parts: Part[]
  /** Dated entries, for section types whose manifest sets `"entries": true`. */
  entries: Entry[]
  /**
   * Where the section starts in print, as the editor asked in the source
   * (`:::news[Title]{break=page}`): `page` on a new page, `auto` flowing on after the
   * previous section. Absent when the editor did not say; the type's default applies.
   */
  break?: SectionBreak
  position: Position
}

/** Where a section starts in print: on a new page, or flowing on after the previous one. */
export type SectionBreak = 'page' | 'auto'

/** Edition options an editor may set in frontmatter. */
export interface EditionOptions {
  print: {
    /** `A4`, `A4 landscape`, `Letter`, or `<width> <height>` in CSS units (e.g. `170mm 240mm`): see `parsePaper`. */
    size: string
    bleed: boolean
    /** Also write a PDF/X file for the print shop (`print-press.pdf`). */
    pressReady?: boolean
    /** Also write a PDF/A-2b file for the archive (`print-archival.pdf`). */
    archival?: boolean
  }
  email: {
    mode: 'full' | 'digest'
    preheader?: string
  }
}

/** Issue metadata from the YAML frontmatter. */
export interface IssueMeta {
  /** The newsletter's name. */
  title: string
  /** Number or volume as printed (`2021年第1期`, `No. 12`); absent for a special issue without one. */
  issue?: string
  date: DateValue
  lang: Lang
  publisher: string
  subject?: string
  keywords: string[]
  /** Base URL of the web edition, used for "view in browser" and "read more" links. */
  url?: string
  editions: EditionOptions
}

/** A whole newsletter issue. */
export interface Issue {
  /** The issue folder's name under `issues/` (`2021-green-silk-road`). */
  slug: string
  /** Absolute path of the issue folder. */
  dir: string
  /** Absolute path of `issue.md`. */
  source: string
  meta: IssueMeta
  sections: Section[]
}
