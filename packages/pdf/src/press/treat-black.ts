import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, decodePDFRawStream, type PDFDocument, type PDFObject } from 'pdf-lib'
import { contentTokens } from './content-tokens.js'

/** Type at least this large (points, as printed) in black is set in rich black. */
export const RICH_BLACK_MIN_PT = 18
/** The rich black for large type: C60 M40 Y40 K100, 240 % of ink, within FOGRA39's 330 %. */
export const RICH_BLACK = [0.6, 0.4, 0.4, 1] as const

type Matrix = [number, number, number, number, number, number]
const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0]
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[1] * n[2],
  m[0] * n[1] + m[1] * n[3],
  m[2] * n[0] + m[3] * n[2],
  m[2] * n[1] + m[3] * n[3],
  m[4] * n[0] + m[5] * n[2] + n[4],
  m[4] * n[1] + m[5] * n[3] + n[5]
]
const scaleOf = (m: Matrix): number => Math.sqrt(Math.abs(m[0] * m[3] - m[1] * m[2]))

/** Whether a fill colour operator (`g` or `k`) paints black ink only, at 95 % or more. */
function isBlack(operator: string, operands: readonly number[]): boolean {
  if (operator === 'g') return operands[0]! <= 0.05
  if (operator === 'k') return operands[0] === 0 && operands[1] === 0 && operands[2] === 0 && operands[3]! >= 0.95
  return false
}

interface State {
  ctm: Matrix
  black: boolean
  /** The operator text that set the current fill colour, to restore it. */
  fill: string
}

/** What {@link treatBlack} changed, counted in text-showing operators. */
export interface BlackTreatment {
  richBlack: number
  overprinted: number
}

/**
 * Rewrite one content stream: black text shown at {@link RICH_BLACK_MIN_PT} or more gets
 * {@link RICH_BLACK}; smaller black text overprints when asked (through the ExtGStates
 * named `MHop` and `MHko`).
 */
export function treatContent(text: string, overprint: boolean, counts: BlackTreatment, base: Matrix = IDENTITY): string {
  const edits: Array<[number, string]> = []
  const stack: State[] = []
  let state: State = { ctm: base, black: true, fill: '0 g' }
  let tm: Matrix = IDENTITY
  let fontSize = 0
  let operands: string[] = []
  let operandStart = -1
  for (const token of contentTokens(text)) {
    if (token.kind === 'operand') {
      if (operandStart < 0) operandStart = token.start
      operands.push(token.text)
      continue
    }
    const op = token.text
    const numbers = operands.map(Number)
    const from = operandStart < 0 ? token.start : operandStart
    switch (op) {
      case 'q':
        stack.push({ ...state })
        break
      case 'Q':
        state = stack.pop() ?? state
        break
      case 'cm':
        if (numbers.length === 6) state.ctm = multiply(numbers as Matrix, state.ctm)
        break
      case 'BT':
        tm = IDENTITY
        break
      case 'Tm':
        if (numbers.length === 6) tm = numbers as Matrix
        break
      case 'Tf':
        fontSize = numbers[1] ?? 0
        break
      case 'g':
      case 'k':
      case 'rg':
      case 'sc':
      case 'scn':
      case 'cs':
        state.black = isBlack(op, numbers)
        state.fill = text.slice(from, token.end)
        break
      case 'Tj':
      case 'TJ':
      case "'":
      case '"':
        if (state.black) {
          const size = Math.abs(fontSize) * scaleOf(multiply(tm, state.ctm))
          if (size >= RICH_BLACK_MIN_PT) {
            // A space first: the operator before may end right at the operand (`T*[(x)] TJ`).
            edits.push([from, ` ${RICH_BLACK.join(' ')} k `], [token.end, ` ${state.fill}`])
            counts.richBlack++
          } else if (overprint) {
            edits.push([from, ' /MHop gs '], [token.end, ' /MHko gs'])
            counts.overprinted++
          }
        }
        break
    }
    operands = []
    operandStart = -1
  }
  if (edits.length === 0) return text
  let out = ''
  let at = 0
  for (const [position, insert] of edits.sort((a, b) => a[0] - b[0])) {
    out += text.slice(at, position) + insert
    at = position
  }
  return out + text.slice(at)
}

const latin1 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('latin1')
const toBytes = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'latin1'))

function decode(doc: PDFDocument, object: PDFObject | undefined): string {
  const stream = object instanceof PDFRef ? doc.context.lookup(object) : object
  if (stream instanceof PDFRawStream) return latin1(decodePDFRawStream(stream).decode())
  if (stream instanceof PDFStream) return latin1(stream.getContents())
  return ''
}

function addStates(doc: PDFDocument, resources: PDFDict): void {
  const states = resources.lookupMaybe(PDFName.of('ExtGState'), PDFDict) ?? doc.context.obj({})
  states.set(PDFName.of('MHop'), doc.context.obj({ Type: 'ExtGState', OP: true, op: true, OPM: 1 }))
  states.set(PDFName.of('MHko'), doc.context.obj({ Type: 'ExtGState', OP: false, op: false }))
  resources.set(PDFName.of('ExtGState'), states)
}

/**
 * Give black its press treatment on every page and in the form XObjects pages draw: rich
 * black for large type, and overprinting black text when `overprint` is set. Colours are
 * read as Ghostscript writes them after the CMYK conversion (`g`, `k`).
 *
 * @param doc The converted document, changed in place.
 * @param options `overprint`: small black text overprints.
 */
export function treatBlack(doc: PDFDocument, options: { overprint: boolean }): BlackTreatment {
  const counts: BlackTreatment = { richBlack: 0, overprinted: 0 }
  const seenForms = new Set<PDFRef>()
  const treatForms = (resources: PDFDict | undefined): void => {
    const xobjects = resources?.lookupMaybe(PDFName.of('XObject'), PDFDict)
    if (!xobjects) return
    for (const [, value] of xobjects.entries()) {
      if (!(value instanceof PDFRef) || seenForms.has(value)) continue
      seenForms.add(value)
      const form = doc.context.lookup(value)
      if (!(form instanceof PDFRawStream) || form.dict.get(PDFName.of('Subtype')) !== PDFName.of('Form')) continue
      const formResources = form.dict.lookupMaybe(PDFName.of('Resources'), PDFDict)
      const matrix = form.dict.lookupMaybe(PDFName.of('Matrix'), PDFArray)
      const base = (matrix ? matrix.asArray().map((n) => Number(n.toString())) : IDENTITY) as Matrix
      const before = latin1(decodePDFRawStream(form).decode())
      const after = treatContent(before, options.overprint, counts, base)
      if (after !== before) {
        const dict = form.dict.clone(doc.context)
        dict.delete(PDFName.of('Filter'))
        dict.delete(PDFName.of('DecodeParms'))
        dict.delete(PDFName.of('Length'))
        const replacement = doc.context.flateStream(
          toBytes(after),
          Object.fromEntries([...dict.entries()].map(([k, v]) => [k.asString().slice(1), v]))
        )
        doc.context.assign(value, replacement)
        if (formResources && options.overprint) addStates(doc, formResources)
      }
      treatForms(formResources)
    }
  }
  for (const page of doc.getPages()) {
    const node = page.node
    const contents = node.get(PDFName.of('Contents'))
    const resolved = contents instanceof PDFRef ? doc.context.lookup(contents) : contents
    const parts = resolved instanceof PDFArray ? resolved.asArray() : [contents]
    const before = parts.map((part) => decode(doc, part)).join('\n')
    const after = treatContent(before, options.overprint, counts)
    if (after !== before) {
      node.set(PDFName.of('Contents'), doc.context.register(doc.context.flateStream(toBytes(after))))
    }
    const resources = node.Resources()
    if (resources && options.overprint && after !== before) addStates(doc, resources)
    treatForms(resources)
  }
  return counts
}
