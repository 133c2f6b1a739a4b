import type { CheerioAPI } from 'cheerio'

/** Elements that run code or embed other documents: no mail client should get them. */
const ACTIVE_ELEMENTS = ['script', 'iframe', 'frame', 'object', 'embed', 'applet', 'form', 'base']

/** URL schemes that run code when followed. */
const ACTIVE_URL = /^\s*(javascript|vbscript)\s*:|^\s*(data)\s*:\s*text\/html/i

/**
 * Find what in the email HTML could run code: `<script>` and other active elements,
 * `on…=` event handler attributes, and `javascript:`/`vbscript:` URLs. Sources are
 * sanitized before they get here, so whatever this finds came from the email templates.
 *
 * @returns One description per finding, such as `` `onclick` attribute on `<a>` ``.
 */
export function findActiveContent($: CheerioAPI): string[] {
  const found: string[] = []
  $('*').each((_, element) => {
    if (!('tagName' in element)) return
    const name = element.tagName.toLowerCase()
    if (ACTIVE_ELEMENTS.includes(name)) found.push(`\`<${name}>\` element`)
    for (const [attribute, value] of Object.entries(element.attribs)) {
      if (/^on/i.test(attribute)) found.push(`\`${attribute}\` attribute on \`<${name}>\``)
      else if (['href', 'src', 'action', 'formaction', 'background', 'xlink:href'].includes(attribute.toLowerCase())) {
        // Entities are not decoded by the parser here: `javascript&#58;` is `javascript:` to a client.
        const active = ACTIVE_URL.exec(value.replace(/&#(x0*3a|0*58);?|&colon;/gi, ':'))
        if (active) found.push(`\`${active[1] ?? active[2]}:\` URL in \`${attribute}\` on \`<${name}>\``)
      }
    }
  })
  return [...new Set(found)]
}
