/** A piece of a phone field: a number with its `tel:` link, or the text between numbers. */
export interface PhoneSegment {
  text: string
  /** `tel:+861082200535`, or '' for the text between numbers. */
  href: string
}

/** A run that reads as one phone number: an optional `+`, digits, and the spaces, dots, dashes and brackets people write in them. */
const NUMBER = /\+?\(?\d[\d\s().\-‐–]{4,}\d/g

/**
 * Split a phone field into its numbers, each with a `tel:` link (RFC 3966: `+`, digits),
 * and the text around them, kept as written: `+86-10-8220 0000 / 0001 (fax)` keeps every
 * character, and a reader on a phone taps the number to call it.
 *
 * @param value The field as the editor wrote it.
 */
export function phoneLinks(value: string): PhoneSegment[] {
  const segments: PhoneSegment[] = []
  let at = 0
  for (const match of value.matchAll(NUMBER)) {
    const digits = match[0].replace(/[^\d]/g, '')
    if (digits.length < 5) continue
    if (match.index > at) segments.push({ text: value.slice(at, match.index), href: '' })
    segments.push({ text: match[0], href: `tel:${match[0].trimStart().startsWith('+') ? '+' : ''}${digits}` })
    at = match.index + match[0].length
  }
  if (at < value.length) segments.push({ text: value.slice(at), href: '' })
  return segments
}
