import type { Content, ImageRef, LinkRef, VFile } from '@masthead/core'
import { pointAt, warn } from '@masthead/core'
import type { Element, Root as HastRoot } from 'hast'
import { toHtml } from 'hast-util-to-html'
import { raw } from 'hast-util-raw'
import { defaultSchema, sanitize } from 'hast-util-sanitize'
import type { Schema } from 'hast-util-sanitize'
import type { Definition, Emphasis, Html, Image, Link, Nodes, Paragraph, Parents, Root, RootContent } from 'mdast'
import { defaultHandlers, toHast } from 'mdast-util-to-hast'
import type { Handlers } from 'mdast-util-to-hast'
import { toString } from 'mdast-util-to-string'
import { SKIP, visit } from 'unist-util-visit'
import type { VisitorResult } from 'unist-util-visit'
import { applyBlockSettings, takeBlockSettings } from './block-settings.js'
import type { ImageResolver } from './resolve-image.js'
import { isRelativeLink, resolveLink } from './resolve-link.js'

const SOURCE = 'masthead:parse'

/**
 * The sanitizer schema: GitHub's, plus figures and image sizes, without id clobbering, and
 * without `<picture>`/`<source srcset>` (remote sources there would load in mail clients
 * without going through the image checks).
 */
export const sanitizeSchema: Schema = {
  ...defaultSchema,
  clobberPrefix: '',
  tagNames: [...(defaultSchema.tagNames ?? []).filter((name) => name !== 'picture' && name !== 'source'), 'figure', 'figcaption'],
  attributes: {
    ...defaultSchema.attributes,
    img: [...(defaultSchema.attributes?.img ?? []), 'width', 'height', 'alt', 'title'],
    figure: ['className', 'dataSourceLine', 'dataSourceColumn']
  }
}

/**
 * Link handlers that keep a destination as the editor wrote it. mdast-util-to-hast
 * percent-encodes it as CommonMark normalizes destinations, which breaks an international
 * domain name (`bücher.example` → `b%C3%BCcher.example`) and a merge tag in a query
 * (`*|EMAIL|*` → `*%7CEMAIL%7C*`); the serializer escapes what an attribute needs.
 */
const keepDestinations: Handlers = {
  link(state, node) {
    const result = defaultHandlers.link(state, node)
    result.properties['href'] = node.url
    return result
  },
  linkReference(state, node) {
    const result = defaultHandlers.linkReference(state, node)
    const definition = state.definitionById.get(String(node.identifier).toUpperCase())
    if (definition && !Array.isArray(result) && result.type === 'element' && result.tagName === 'a')
      result.properties['href'] = definition.url
    return result
  }
}

/** Options for {@link toContent}. */
export interface ContentOptions {
  file: VFile
  resolveImage: ImageResolver
  /** Keep raw HTML (sanitized) instead of dropping it. */
  html: boolean
  /** The issue's web edition (`url` in the frontmatter): relative links resolve against it. */
  baseUrl?: string | undefined
  /** The issue's language: table cells in another script get a `lang` of their own. */
  lang: string
  /** Prefix of footnote ids, unique per item (`<item id>-`), so two items' notes never share an id. */
  notePrefix?: string
}

/** What {@link toContent} found besides the content. */
export interface ContentParts {
  content: Content
  images: ImageRef[]
  links: LinkRef[]
}

/** A link found in the Markdown: its URL, or the definition whose URL it takes. */
type FoundLink = LinkRef | { definition: Definition; text: string }

/** What the walk over the mdast tree reads and gathers. */
interface Walk {
  options: ContentOptions
  /** The whole issue.md text, to read a node back as written. */
  source: string
  /** Reference-style link definitions, by upper-cased identifier (the first one wins). */
  definitions: Map<string, Definition>
  /** Parents already warned about raw HTML (one warning each). */
  warnedHtml: Set<unknown>
  images: ImageRef[]
  found: FoundLink[]
}

/**
 * Turn a run of mdast block nodes into an HTML fragment (through mdast-util-to-hast and a
 * sanitizer) and its plain-text twin, checking every image on the way.
 */
export function toContent(nodes: readonly RootContent[], options: ContentOptions): ContentParts {
  const root: Root = { type: 'root', children: structuredClone([...nodes]) }
  const walk: Walk = {
    options,
    source: String(options.file.value),
    // Reference-style links (`[words][ref]` with `[ref]: https://…` in the same item) are links
    // too: each takes its definition's URL once that is resolved below, in document order.
    definitions: collectDefinitions(root),
    warnedHtml: new Set<unknown>(),
    images: [],
    found: []
  }
  const blockSettings = takeBlockSettings(root, options.file)
  visit(root, (node, index, parent) => walkNode(node, index, parent, walk))
  const links = keptLinks(walk.found, root)
  const tree = toHastTree(root, options)
  resolveRawImages(tree, options, walk.images, nodes)
  addCaptions(tree)
  const clean = sanitize(tree, sanitizeSchema) as HastRoot
  applyBlockSettings(clean, blockSettings, options.lang)
  if (options.notePrefix) prefixNoteLabel(clean, options.notePrefix)
  if (options.html) resolveRawLinks(clean, options, nodes)
  return {
    content: { html: toHtml(clean), text: toText(root.children) },
    images: walk.images,
    links
  }
}

/** The definitions in the tree, by upper-cased identifier; the first of a name wins. */
function collectDefinitions(root: Root): Map<string, Definition> {
  const definitions = new Map<string, Definition>()
  visit(root, 'definition', (node) => {
    if (!definitions.has(node.identifier.toUpperCase())) definitions.set(node.identifier.toUpperCase(), node)
  })
  return definitions
}

/** One step of the walk over the mdast tree: each node type to its handler. */
function walkNode(node: Nodes, index: number | undefined, parent: Parents | undefined, walk: Walk): VisitorResult {
  switch (node.type) {
    case 'textDirective':
    case 'leafDirective':
      return restoreDirective(node, index, parent, walk)
    case 'html':
      warnRawHtml(node, parent, walk)
      return undefined
    case 'emphasis':
      return keepMergeTag(node, index, parent, walk)
    case 'linkReference': {
      const definition = walk.definitions.get(node.identifier.toUpperCase())
      if (definition) walk.found.push({ definition, text: inlineText(node) })
      return undefined
    }
    case 'link':
    case 'definition':
      return resolveLinkNode(node, index, parent, walk)
    case 'image':
      return resolveImageNode(node, index, parent, walk)
    default:
      return undefined
  }
}

/** A text or leaf directive is not ours: give the editor back the text as written (`ratio a:b` is not a directive). */
function restoreDirective(node: Nodes, index: number | undefined, parent: Parents | undefined, walk: Walk): VisitorResult {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  const value = start === undefined || end === undefined ? toString(node) : walk.source.slice(start, end)
  if (parent && index !== undefined) parent.children[index] = { type: 'text', value }
  return SKIP
}

/** Raw HTML without `html: true` is left out: warn once per parent (a comment is no loss). */
function warnRawHtml(node: Html, parent: Parents | undefined, walk: Walk): void {
  if (walk.options.html || !parent || walk.warnedHtml.has(parent) || /^<!--[\s\S]*-->$/.test(node.value.trim())) return
  walk.warnedHtml.add(parent)
  warn(
    walk.options.file,
    'Unexpected raw HTML, expected Markdown; it is left out (set `html: true` in the frontmatter to keep sanitized HTML)',
    {
      ruleId: 'raw-html',
      changesContent: true,
      source: SOURCE,
      place: node.position
    }
  )
}

/** `*|UNSUB|*` is a mailing-platform merge tag, not emphasis: keep it verbatim. */
function keepMergeTag(node: Emphasis, index: number | undefined, parent: Parents | undefined, walk: Walk): VisitorResult {
  if (!parent || index === undefined) return undefined
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  const written = start === undefined || end === undefined ? '' : walk.source.slice(start, end)
  if (!/^\*\|[A-Za-z0-9_:-]+\|\*$/.test(written)) return undefined
  parent.children[index] = { type: 'text', value: written }
  return SKIP
}

/** Resolve a link's or definition's URL; one that cannot be resolved is reported and removed. */
function resolveLinkNode(node: Link | Definition, index: number | undefined, parent: Parents | undefined, walk: Walk): VisitorResult {
  const url = resolveLink(node.url, walk.options.baseUrl, walk.options.file, node.position)
  if (url === undefined) {
    // Reported: the text stays, without the link (a definition goes; its references read as written).
    if (!parent || index === undefined) return SKIP
    parent.children.splice(index, 1, ...(node.type === 'link' ? node.children : []))
    return index
  }
  // A scheme is case-insensitive, and the sanitizer knows only lower-case ones (`HTTPS:` lost its href).
  node.url = url.replace(/^[a-z][a-z0-9+.-]*:/i, (scheme) => scheme.toLowerCase())
  // The same URLs the sanitizer lets into the HTML: a `javascript:` link keeps its text only.
  if (node.type === 'link') walk.found.push({ url: node.url, text: inlineText(node) })
  return undefined
}

/** Check an image (an unusable one is removed) and make a lone image's paragraph a figure. */
function resolveImageNode(node: Image, index: number | undefined, parent: Parents | undefined, walk: Walk): VisitorResult {
  if (!parent || index === undefined) return undefined
  const image = walk.options.resolveImage(node.url, node.alt ?? '', node.title ?? undefined, node.position)
  if (!image) {
    parent.children.splice(index, 1)
    return index
  }
  walk.images.push(image)
  node.url = image.src
  // Marked as resolved, so the raw-HTML pass below leaves it be (the mark does not survive the sanitizer).
  node.data = { hProperties: { width: image.width, height: image.height, dataMastheadImage: true } }
  if (isFigure(parent)) {
    parent.data = {
      hName: 'figure',
      hProperties: {
        ...(image.height > image.width ? { className: ['figure--portrait'] } : {}),
        dataSourceLine: parent.position?.start.line,
        dataSourceColumn: parent.position?.start.column
      }
    }
  }
  return undefined
}

/** The links the edition keeps, in document order: resolved, and of a URL the sanitizer lets through. */
function keptLinks(found: readonly FoundLink[], root: Root): LinkRef[] {
  const links: LinkRef[] = []
  const left = definitionsLeft(root)
  for (const link of found) {
    const url = 'definition' in link ? link.definition.url : link.url
    // A definition that could not be resolved was removed, and its references read as written.
    if ('definition' in link && !left.has(link.definition)) continue
    if (safeUrl(url)) links.push({ url, text: link.text })
  }
  return links
}

/**
 * mdast → hast. Footnotes become the item's endnotes: a plain label (not a heading, so no
 * bookmark), in the issue's language, with ids unique in the issue. With `html: true` the
 * raw HTML is parsed into the tree.
 */
function toHastTree(root: Root, options: ContentOptions): HastRoot {
  const zh = options.lang.startsWith('zh')
  const hast = toHast(root, {
    allowDangerousHtml: options.html,
    handlers: keepDestinations,
    clobberPrefix: options.notePrefix ?? 'note-',
    footnoteLabel: zh ? '注释' : 'Notes',
    footnoteLabelTagName: 'p',
    footnoteLabelProperties: {},
    footnoteBackLabel: (index) => (zh ? `返回正文注${index + 1}` : `Back to note ${index + 1}`)
  }) as HastRoot
  return (options.html ? raw(hast) : hast) as HastRoot
}

/** mdast-util-to-hast names every endnote label `footnote-label`: make it unique per item. */
function prefixNoteLabel(tree: HastRoot, prefix: string): void {
  visit(tree, 'element', (node: Element) => {
    if (node.properties.id === 'footnote-label') node.properties.id = `${prefix}footnote-label`
    if (node.properties.ariaDescribedBy !== undefined && String(node.properties.ariaDescribedBy) === 'footnote-label') {
      node.properties.ariaDescribedBy = `${prefix}footnote-label`
    }
  })
}

/**
 * `<img>` written as raw HTML (with `html: true`) goes through the same checks as a
 * Markdown image: a remote, absolute, escaping or missing `src` is an error and the
 * element is dropped (else a tracking pixel would reach the email edition).
 */
function resolveRawImages(tree: HastRoot, options: ContentOptions, images: ImageRef[], nodes: readonly RootContent[]): void {
  // Re-parsed raw HTML has no positions: find each src in the source, in order.
  const source = String(options.file.value)
  let from = nodes[0]?.position?.start.offset ?? 0
  const placeOf = (src: string) => {
    const at = source.indexOf(src, from)
    if (at === -1) return undefined
    from = at + src.length
    const start = source.lastIndexOf('<img', at)
    return pointAt(source, start === -1 ? at : start)
  }
  visit(tree, 'element', (node: Element, index, parent) => {
    if (node.tagName !== 'img') return undefined
    if (node.properties.dataMastheadImage === true) {
      delete node.properties.dataMastheadImage
      return undefined
    }
    const src = typeof node.properties.src === 'string' ? node.properties.src : ''
    const alt = typeof node.properties.alt === 'string' ? node.properties.alt : ''
    const place = node.position ?? (src === '' ? undefined : placeOf(src))
    const image =
      src === ''
        ? undefined
        : options.resolveImage(src, alt, undefined, place && 'start' in place ? place : place ? { start: place, end: place } : undefined)
    if (!image) {
      if (parent && index !== undefined) {
        parent.children.splice(index, 1)
        return index
      }
      return undefined
    }
    images.push(image)
    node.properties = { ...node.properties, src: image.src, width: image.width, height: image.height }
    return undefined
  })
}

function isFigure(node: Nodes): node is Paragraph {
  if (node.type !== 'paragraph') return false
  const meaningful = node.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  return meaningful.length === 1 && meaningful[0]!.type === 'image'
}

/** `<figure><img title=…>` → `<figure><img><figcaption>…</figcaption></figure>`. */
function addCaptions(tree: HastRoot): void {
  visit(tree, 'element', (node: Element) => {
    if (node.tagName !== 'figure') return
    node.children = node.children.filter((child) => child.type === 'element')
    const img = node.children[0]
    if (img?.type !== 'element') return
    const title = img.properties.title
    if (typeof title === 'string' && title.trim() !== '') {
      delete img.properties.title
      node.children.push({
        type: 'element',
        tagName: 'figcaption',
        properties: {},
        children: [{ type: 'text', value: title }]
      })
    }
  })
}

/**
 * Relative `href`s of raw HTML anchors (kept with `html: true`): resolved like Markdown
 * links, or an error at the HTML block (raw HTML has no finer position).
 */
function resolveRawLinks(tree: HastRoot, options: ContentOptions, nodes: readonly RootContent[]): void {
  const place = nodes[0]?.position
  visit(tree, 'element', (node: Element) => {
    const href = node.properties.href
    if (node.tagName !== 'a' || typeof href !== 'string' || !isRelativeLink(href)) return
    const url = resolveLink(href, options.baseUrl, options.file, node.position ?? place)
    if (url === undefined) delete node.properties.href
    else node.properties.href = url
  })
}

/** The definitions still in the tree. */
function definitionsLeft(root: Root): Set<Definition> {
  const left = new Set<Definition>()
  visit(root, 'definition', (node) => {
    left.add(node)
  })
  return left
}

/** True for a URL the sanitizer keeps in an `href`: relative, or of a protocol its schema allows. */
function safeUrl(url: string): boolean {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase()
  return scheme === undefined || (sanitizeSchema.protocols?.href ?? []).includes(scheme)
}

/**
 * Text of a node, with hard line breaks kept as newlines. Raw HTML is markup, not text: it
 * is left out (the text between tags stays, as in the HTML edition).
 */
function inlineText(node: Nodes): string {
  if (node.type === 'break') return '\n'
  if (node.type === 'html') return ''
  if ('children' in node) return node.children.map((child) => inlineText(child)).join('')
  return toString(node)
}

/** Plain text of block nodes: one paragraph per block, lists as bullets, figures as their caption. */
export function toText(nodes: readonly RootContent[]): string {
  const blocks: string[] = []
  for (const node of nodes) {
    switch (node.type) {
      case 'paragraph': {
        if (isFigure(node)) {
          const image = node.children.find((child): child is Image => child.type === 'image')
          const label = image?.title ?? image?.alt ?? ''
          if (label) blocks.push(`[${label}]`)
        } else {
          blocks.push(inlineText(node).trim())
        }
        break
      }
      case 'list': {
        const start = node.start ?? 1
        blocks.push(
          node.children
            .map((item, index) => `${node.ordered ? `${start + index}.` : '•'} ${toText(item.children).replace(/\n\n/g, '\n  ')}`)
            .join('\n')
        )
        break
      }
      case 'table':
        blocks.push(node.children.map((row) => row.children.map((cell) => inlineText(cell).trim()).join(' | ')).join('\n'))
        break
      case 'thematicBreak':
      case 'html':
      case 'definition':
        break
      case 'blockquote':
        blocks.push(toText(node.children).replace(/^/gm, '> '))
        break
      case 'code':
        blocks.push(node.value)
        break
      default:
        blocks.push(inlineText(node).trim())
    }
  }
  return blocks.filter((block) => block !== '').join('\n\n')
}
