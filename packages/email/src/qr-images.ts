import { createHash } from 'node:crypto'
import type { Issue } from '@masthead/core'
import { sectionItems } from '@masthead/core'
import QRCode from 'qrcode'
import type { AssetOptions } from './email-config.js'
import type { EmailAsset } from './embed-images.js'

/** How wide a QR code is shown, in CSS pixels (stored at about twice that). */
export const QR_DISPLAY_WIDTH = 96

/**
 * A QR code of each item's `web` address, as the print edition draws one (contacts), as
 * a PNG: mail clients drop inline SVG. Black on white with a quiet zone, so it scans in
 * dark mode too. Returned by item id, as a CID attachment or a file to upload (`assets`).
 *
 * @param issue The issue.
 * @param options CID or URL mode, as for the other images.
 */
export async function qrImages(issue: Issue, options: AssetOptions): Promise<Map<string, EmailAsset>> {
  const images = new Map<string, EmailAsset>()
  for (const item of issue.sections.flatMap(sectionItems)) {
    const web = item.fields['web']
    if (typeof web !== 'string' || web.trim() === '') continue
    const modules = QRCode.create(web, { errorCorrectionLevel: 'M' }).modules.size + 4
    const scale = Math.max(1, Math.floor((QR_DISPLAY_WIDTH * 2) / modules))
    const content = await QRCode.toBuffer(web, {
      type: 'png',
      errorCorrectionLevel: 'M',
      margin: 2,
      scale,
      color: { dark: '#000000', light: '#ffffff' }
    })
    const hash = createHash('sha1').update(content).digest('hex').slice(0, 10)
    const filename = `qr-${item.id}.png`
    const cid = `${hash}.${filename}@masthead`
    images.set(item.id, {
      filename: options.mode === 'cid' ? filename : `${hash}-${filename}`,
      href: options.mode === 'cid' ? `cid:${cid}` : new URL(`${hash}-${filename}`, options.baseUrl.replace(/\/?$/, '/')).href,
      ...(options.mode === 'cid' ? { cid } : {}),
      contentType: 'image/png',
      content,
      source: web,
      width: modules * scale,
      height: modules * scale
    })
  }
  return images
}
