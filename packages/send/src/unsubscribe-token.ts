import { createHmac, timingSafeEqual } from 'node:crypto'

/** The environment variable that holds the unsubscribe secret. */
export const UNSUBSCRIBE_SECRET_ENV = 'MASTHEAD_UNSUBSCRIBE_SECRET'

/**
 * The recipient's unsubscribe token: HMAC-SHA256 of the lowercased address with the secret,
 * base64url. The unsubscribe endpoint recomputes it, so no list of tokens is kept anywhere
 * and a token cannot be forged for another address.
 *
 * @param address The recipient's address.
 * @param secret The secret (`MASTHEAD_UNSUBSCRIBE_SECRET`).
 */
export function unsubscribeToken(address: string, secret: string): string {
  if (secret.length < 16)
    throw new TypeError(
      `Unexpected unsubscribe secret of ${secret.length} characters, expected at least 16 (set ${UNSUBSCRIBE_SECRET_ENV})`
    )
  return createHmac('sha256', secret).update(address.trim().toLowerCase()).digest('base64url')
}

/**
 * Check a token from an unsubscribe request (in constant time).
 *
 * @param address The address the request names.
 * @param token The token it carries.
 * @param secret The same secret the send used.
 */
export function verifyUnsubscribeToken(address: string, token: string, secret: string): boolean {
  const expected = Buffer.from(unsubscribeToken(address, secret))
  const actual = Buffer.from(token)
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * The recipient's unsubscribe URL from the configured template. `{{ email }}` and
 * `{{ token }}` in the template are replaced (URL-encoded); a template without `{{ token }}`
 * gets `email=…&token=…` added to its query.
 *
 * @param template E.g. `https://example.org/unsubscribe?u={{ email }}&t={{ token }}`.
 */
export function unsubscribeUrl(template: string, address: string, token: string): string {
  const values: Record<string, string> = { email: address, token }
  if (!/\{\{\s*token\s*\}\}/.test(template)) {
    const url = new URL(template)
    url.searchParams.set('email', address)
    url.searchParams.set('token', token)
    return url.href
  }
  return template.replace(/\{\{\s*(email|token)\s*\}\}/g, (_, key: string) => encodeURIComponent(values[key] ?? ''))
}
