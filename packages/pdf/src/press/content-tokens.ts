/** One token of a PDF content stream: an operand or an operator, with where it sits. */
export interface ContentToken {
  kind: 'operand' | 'operator'
  text: string
  start: number
  end: number
}

const WHITE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20])
const DELIM = new Set([...'()<>[]{}/%'].map((c) => c.charCodeAt(0)))

/**
 * Split a content stream (as Latin-1 text) into operands and operators. Strings, hex
 * strings, names, arrays and dictionaries are operands (an array or dictionary is one
 * operand); comments are skipped; an inline image's data (`ID` … `EI`) is passed over.
 *
 * @param text The decoded content stream, one character per byte.
 */
export function* contentTokens(text: string): Generator<ContentToken> {
  let i = 0
  const n = text.length
  const skipString = (at: number): number => {
    let depth = 0
    for (let j = at; j < n; j++) {
      const c = text[j]
      if (c === '\\') j++
      else if (c === '(') depth++
      else if (c === ')' && --depth === 0) return j + 1
    }
    return n
  }
  const skipComposite = (at: number): number => {
    // Arrays and dictionaries, with strings inside them.
    let depth = 0
    for (let j = at; j < n; j++) {
      const c = text[j]
      if (c === '(') {
        j = skipString(j) - 1
      } else if (c === '[' || (c === '<' && text[j + 1] === '<')) {
        depth++
        if (c === '<') j++
      } else if (c === ']' || (c === '>' && text[j + 1] === '>')) {
        depth--
        if (c === '>') j++
        if (depth === 0) return j + 1
      } else if (c === '<') {
        j = text.indexOf('>', j)
        if (j < 0) return n
      }
    }
    return n
  }
  while (i < n) {
    const code = text.charCodeAt(i)
    if (WHITE.has(code)) {
      i++
      continue
    }
    const c = text[i]
    if (c === '%') {
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++
      continue
    }
    const start = i
    if (c === '(') {
      i = skipString(i)
    } else if (c === '[' || (c === '<' && text[i + 1] === '<')) {
      i = skipComposite(i)
    } else if (c === '<') {
      const close = text.indexOf('>', i)
      i = close < 0 ? n : close + 1
    } else if (c === '/') {
      i++
      while (i < n && !WHITE.has(text.charCodeAt(i)) && !DELIM.has(text.charCodeAt(i))) i++
    } else {
      while (i < n && !WHITE.has(text.charCodeAt(i)) && !DELIM.has(text.charCodeAt(i))) i++
      if (i === start) i++
    }
    const token = text.slice(start, i)
    const isOperand =
      c === '(' ||
      c === '[' ||
      c === '<' ||
      c === '/' ||
      /^[+-]?(\d+\.?\d*|\.\d+)$/.test(token) ||
      token === 'true' ||
      token === 'false' ||
      token === 'null'
    yield { kind: isOperand ? 'operand' : 'operator', text: token, start, end: i }
    if (token === 'ID') {
      // Inline image data runs to whitespace + `EI` + whitespace.
      const match = /\sEI(?=[\s]|$)/g
      match.lastIndex = i + 1
      const found = match.exec(text)
      const stop = found ? found.index + 1 : n
      yield { kind: 'operand', text: '', start: i, end: stop }
      i = stop
    }
  }
}
