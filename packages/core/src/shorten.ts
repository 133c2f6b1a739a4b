/**
 * The longest value a message quotes whole, in characters. Longer values (a `data:` URL,
 * a pasted blob) are shortened to their start and end, so one bad value cannot bury a
 * report under megabytes of text.
 */
export const MAX_QUOTED_LENGTH = 200

/** The longest message, in characters, after its values are shortened. */
export const MAX_MESSAGE_LENGTH = 1000

/** Move `index` off the second half of a surrogate pair, so no character is cut in two. */
function boundary(text: string, index: number): number {
  const code = text.charCodeAt(index)
  return code >= 0xdc00 && code <= 0xdfff ? index - 1 : index
}

/**
 * Shorten `value` to about `max` characters: its start, `…(N more characters)…`, and its end.
 * A value of at most `max` characters is returned as it is.
 *
 * @param value The text to quote.
 * @param max The longest value kept whole (default {@link MAX_QUOTED_LENGTH}).
 */
export function shorten(value: string, max = MAX_QUOTED_LENGTH): string {
  if (value.length <= max) return value
  const headEnd = boundary(value, Math.ceil(max * 0.75))
  const tailStart = boundary(value, value.length - Math.floor(max * 0.2))
  return `${value.slice(0, headEnd)}…(${(tailStart - headEnd).toLocaleString('en')} more characters)…${value.slice(tailStart)}`
}

/**
 * Shorten what a message quotes: every backticked value, and every run without spaces, longer
 * than {@link MAX_QUOTED_LENGTH}; then the whole message to {@link MAX_MESSAGE_LENGTH}. Every
 * message made with `addError`, `warn` or `info` goes through it.
 *
 * @param reason The message text.
 */
export function shortenMessage(reason: string): string {
  if (reason.length <= MAX_QUOTED_LENGTH) return reason
  const short = reason
    .replace(new RegExp(`\`([^\`]{${MAX_QUOTED_LENGTH + 1},})\``, 'g'), (_, value: string) => '`' + shorten(value) + '`')
    .replace(new RegExp(`[^\\s\`]{${MAX_QUOTED_LENGTH + 1},}`, 'g'), (value) => shorten(value))
  return shorten(short, MAX_MESSAGE_LENGTH)
}
