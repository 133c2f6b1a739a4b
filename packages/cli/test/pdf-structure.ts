import { execFileSync } from 'node:child_process'

/** A PDF value as qpdf's JSON v2 writes it: `/Name`, `u:text`, `b:hex`, `5 0 R`, numbers, arrays, dictionaries. */
type Value = string | number | boolean | null | Value[] | { [key: string]: Value }
interface QpdfObject {
  value?: Value
  stream?: { dict: Record<string, Value>; data?: string }
}

/** What the conformance tests read out of a PDF, through qpdf (not through the code under test). */
export interface PdfStructure {
  version: string
  trailer: Record<string, Value>
  catalog: Record<string, Value>
  info: Record<string, Value>
  /** The XMP packet, when the catalog has one. */
  xmp: string | undefined
  outputIntents: Array<{ dict: Record<string, Value>; profile: { n: Value; header: Buffer } }>
  pages: Array<Record<string, Value>>
  /** Every colour space name used as a resource, an image's, a transparency group's or an ICC stream's component count. */
  colourSpaces: Set<string>
  /** Colour operators found in page and form content streams (`rg`, `k`, `g` …). */
  colourOperators: Set<string>
  /** Every annotation dictionary. */
  annotations: Array<Record<string, Value>>
  /** The outline's top-level count (`/Count` of `/Outlines`), 0 without. */
  outlineCount: number
}

/**
 * Read a PDF's structure with qpdf (`--json=2`, streams decoded).
 *
 * @param file The PDF's path.
 */
export function readPdfStructure(file: string): PdfStructure {
  const json = JSON.parse(
    execFileSync('qpdf', ['--json=2', '--json-stream-data=inline', '--decode-level=generalized', file, '-'], {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024
    })
  ) as {
    qpdf: [{ pdfversion: string }, Record<string, QpdfObject>]
  }
  const [header, objects] = json.qpdf
  const resolve = (value: Value | undefined): Value | undefined => {
    if (typeof value === 'string' && / \d+ R$/.test(value)) {
      const object = objects[`obj:${value}`]
      return object?.value ?? (object?.stream?.dict as Value | undefined)
    }
    return value
  }
  const dict = (value: Value | undefined): Record<string, Value> => {
    const resolved = resolve(value)
    return resolved && typeof resolved === 'object' && !Array.isArray(resolved) ? resolved : {}
  }
  const stream = (ref: Value | undefined): QpdfObject['stream'] => (typeof ref === 'string' ? objects[`obj:${ref}`]?.stream : undefined)
  const trailer = dict(objects.trailer?.value)
  const catalog = dict(trailer['/Root'])
  const info = dict(trailer['/Info'])
  const xmpData = stream(catalog['/Metadata'])?.data
  const intents = resolve(catalog['/OutputIntents'])
  const outputIntents = (Array.isArray(intents) ? intents : []).map((ref) => {
    const intent = dict(ref)
    const profile = stream(intent['/DestOutputProfile'])
    return {
      dict: intent,
      profile: { n: profile?.dict['/N'] ?? null, header: Buffer.from(profile?.data ?? '', 'base64').subarray(0, 128) }
    }
  })

  const colourSpaces = new Set<string>()
  const colourOperators = new Set<string>()
  const annotations: Array<Record<string, Value>> = []
  const addSpace = (value: Value | undefined): void => {
    const space = resolve(value)
    if (typeof space === 'string') colourSpaces.add(space)
    else if (Array.isArray(space)) {
      const family = space[0]
      if (family === '/ICCBased') colourSpaces.add(`/ICCBased N=${String(stream(space[1])?.dict['/N'])}`)
      else if (typeof family === 'string') colourSpaces.add(family)
      if (family === '/Indexed' || family === '/Separation' || family === '/DeviceN') addSpace(space[family === '/Indexed' ? 1 : 2])
    }
  }
  const contentOperators = (data: string | undefined): void => {
    const text = Buffer.from(data ?? '', 'base64')
      .toString('latin1')
      .replace(/\((?:\\.|[^\\)])*\)/g, '()')
      .replace(/<[0-9A-Fa-f\s]*>/g, '<>')
    for (const match of text.matchAll(/(?:^|\s)(rg|RG|k|K|g|G|cs|CS|sc|SC|scn|SCN)(?=\s|$)/g)) colourOperators.add(match[1]!)
  }
  const seen = new Set<string>()
  const walkResources = (value: Value | undefined): void => {
    const resources = dict(value)
    for (const space of Object.values(dict(resources['/ColorSpace']))) addSpace(space)
    for (const ref of Object.values(dict(resources['/XObject']))) {
      if (typeof ref !== 'string' || seen.has(ref)) continue
      seen.add(ref)
      const xobject = stream(ref)
      if (!xobject) continue
      if (xobject.dict['/Subtype'] === '/Image') addSpace(xobject.dict['/ColorSpace'])
      if (xobject.dict['/Subtype'] === '/Form') {
        addSpace(dict(xobject.dict['/Group'])['/CS'])
        contentOperators(xobject.data)
        walkResources(xobject.dict['/Resources'])
      }
    }
    for (const ref of Object.values(dict(resources['/Pattern']))) {
      const pattern = stream(ref)?.dict ?? dict(ref)
      addSpace(dict(pattern['/Shading'])['/ColorSpace'])
      walkResources(pattern['/Resources'])
    }
    for (const shading of Object.values(dict(resources['/Shading']))) addSpace(dict(shading)['/ColorSpace'])
  }
  const pages: Array<Record<string, Value>> = []
  const walkPages = (node: Record<string, Value>): void => {
    if (node['/Type'] === '/Pages') {
      for (const kid of (resolve(node['/Kids']) as Value[]) ?? []) walkPages(dict(kid))
      return
    }
    pages.push(node)
    walkResources(node['/Resources'])
    addSpace(dict(node['/Group'])['/CS'])
    const contents = resolve(node['/Contents'])
    const refs = Array.isArray(contents) ? contents : [node['/Contents']]
    for (const ref of refs) contentOperators(stream(ref ?? undefined)?.data)
    const annots = resolve(node['/Annots'])
    for (const annot of Array.isArray(annots) ? annots : []) annotations.push(dict(annot))
  }
  walkPages(dict(catalog['/Pages']))
  const outlines = dict(catalog['/Outlines'])
  return {
    version: header.pdfversion,
    trailer,
    catalog,
    info,
    xmp: xmpData === undefined ? undefined : Buffer.from(xmpData, 'base64').toString('utf8'),
    outputIntents,
    pages,
    colourSpaces,
    colourOperators,
    annotations,
    outlineCount: typeof outlines['/Count'] === 'number' ? Math.abs(outlines['/Count']) : 0
  }
}

/** `u:text` → `text`. */
export const text = (value: Value | undefined): string | undefined =>
  typeof value === 'string' && value.startsWith('u:') ? value.slice(2) : undefined

/** A box as numbers: `[x0, y0, x1, y1]`. */
export const box = (value: Value | undefined): number[] => (Array.isArray(value) ? value.map(Number) : [])
