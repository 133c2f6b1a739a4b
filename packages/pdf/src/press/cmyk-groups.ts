import { PDFArray, PDFDict, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFDocument, type PDFObject } from 'pdf-lib'

const RGB_SPACES = new Set(['/DeviceRGB', '/CalRGB'])

/** Whether a colour space is an RGB one: `DeviceRGB`, `CalRGB`, or an ICC profile with three components. */
function isRgb(doc: PDFDocument, space: PDFObject | undefined): boolean {
  const value = space instanceof PDFRef ? doc.context.lookup(space) : space
  if (value instanceof PDFName) return RGB_SPACES.has(value.asString())
  if (!(value instanceof PDFArray) || value.size() === 0) return false
  const family = value.get(0)
  if (family instanceof PDFName && family.asString() === '/CalRGB') return true
  if (family instanceof PDFName && family.asString() === '/ICCBased') {
    const profile = value.lookup(1)
    return profile instanceof PDFStream && String(profile.dict.get(PDFName.of('N'))) === '3'
  }
  return false
}

/**
 * Give every transparency group that blends in RGB the CMYK blending space instead: a
 * page's, a form XObject's, a soft mask's. Ghostscript converts the colours but leaves a
 * group's `/CS` as Chromium wrote it (`/DeviceRGB` on the form that draws a CSS background
 * image under a translucent layer), and PDF/X-4 allows no RGB in a file whose output
 * intent is CMYK.
 *
 * @param doc The converted document, changed in place.
 * @returns How many groups were changed.
 */
export function cmykGroups(doc: PDFDocument): number {
  let changed = 0
  const fix = (group: PDFObject | undefined): void => {
    const dict = group instanceof PDFRef ? doc.context.lookup(group) : group
    if (!(dict instanceof PDFDict) || dict.get(PDFName.of('S')) !== PDFName.of('Transparency')) return
    if (!isRgb(doc, dict.get(PDFName.of('CS')))) return
    dict.set(PDFName.of('CS'), PDFName.of('DeviceCMYK'))
    changed++
  }
  for (const [, object] of doc.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream || object instanceof PDFStream) fix(object.dict.get(PDFName.of('Group')))
    else if (object instanceof PDFDict) {
      fix(object.get(PDFName.of('Group')))
      // A group dictionary of its own (`/Type /Group`), referenced from elsewhere.
      if (object.get(PDFName.of('Type')) === PDFName.of('Group')) fix(object)
    }
  }
  return changed
}
