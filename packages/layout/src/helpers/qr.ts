import Handlebars from 'handlebars'
import QRCode from 'qrcode'
import { splitArgs } from './helper-options.js'

const escapeXml = (value: string): string =>
  value.replace(/[&<>"]/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[char] ?? char)

/**
 * The SVG markup of a QR code for `text`: one path on a `viewBox` of modules with a quiet
 * zone of `margin` modules, scaled by CSS. Vector, so it prints sharp at any size.
 */
export function qrSvg(text: string, margin = 2, title = text): string {
  const code = QRCode.create(text, { errorCorrectionLevel: 'M' })
  const size = code.modules.size
  const full = size + margin * 2
  let d = ''
  for (let y = 0; y < size; y++) {
    let x = 0
    while (x < size) {
      if (!code.modules.get(y, x)) {
        x++
        continue
      }
      const start = x
      while (x < size && code.modules.get(y, x)) x++
      d += `M${start + margin} ${y + margin}h${x - start}v1h${start - x}z`
    }
  }
  return (
    `<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}" ` +
    `shape-rendering="crispEdges" role="img" aria-label="${escapeXml(title)}">` +
    `<rect width="${full}" height="${full}" fill="#fff"/><path fill="#000" d="${d}"/></svg>`
  )
}

/** `{{qr fields.web}}`: an inline SVG QR code of a URL; nothing for an empty value. */
export function qr(...args: unknown[]): Handlebars.SafeString {
  const { params, options } = splitArgs(args)
  const text = String(params[0] ?? '')
  if (text === '') return new Handlebars.SafeString('')
  const margin = options.hash['margin'] === undefined ? 2 : Number(options.hash['margin'])
  return new Handlebars.SafeString(qrSvg(text, margin))
}
