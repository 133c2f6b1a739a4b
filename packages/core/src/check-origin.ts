const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/i
const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/

/**
 * Why `value` is not one exact `http(s)` origin for `network.allow`, or `undefined` when it
 * is. An entry becomes both a request-policy rule and a Chromium proxy-bypass rule, where
 * `*` and a leading dot are patterns: `http://*` would let the print document reach every
 * host, past the dead proxy too. So an entry is a scheme, one host name or IP address, and
 * an optional port; nothing else.
 *
 * @param value The entry as written in the config.
 */
export function originProblem(value: string): string | undefined {
  const match = /^(https?):\/\/([^/?#\s]+)$/i.exec(value)
  if (!match) return 'expected an origin like `https://images.example.org` (scheme and host, no path)'
  const authority = match[2] ?? ''
  if (authority.includes('*'))
    return 'expected one exact origin like `https://images.example.org`, not a pattern: a wildcard (`*`) would let the print document reach many hosts (list each origin)'
  if (authority.includes('@')) return 'expected an origin without a user name or password, like `https://images.example.org`'
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'expected an origin like `https://images.example.org` (a host name, an IP address or `[IPv6]`, and an optional port)'
  }
  const host = url.hostname
  if (host === '0.0.0.0' || host === '[::]')
    return 'expected a specific host, not the unspecified address (it stands for every address of this machine)'
  const ip = IPV4.test(host) || (host.startsWith('[') && host.endsWith(']'))
  if (!ip && !host.split('.').every((label) => LABEL.test(label))) {
    return 'expected one exact origin like `https://images.example.org`: a host name of letters, digits and hyphens between dots (a leading dot or an empty label is a pattern for many hosts)'
  }
  return undefined
}
