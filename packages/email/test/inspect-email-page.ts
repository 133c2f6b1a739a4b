/**
 * What a reader would miss on a rendered email, measured in the page (handed to
 * `page.evaluate`, so it is self-contained): horizontal scroll, text that is not visible
 * (no box, outside the viewport, transparent, too small to read), and text whose contrast
 * with its background is under 4.5:1 (WCAG 2 relative luminance; the background is the
 * nearest ancestor's background colour or `bgcolor`).
 */
export interface EmailPageReport {
  scrollWidth: number
  clientWidth: number
  invisible: string[]
  lowContrast: string[]
}

export function inspectEmailPage(): EmailPageReport {
  type Rgba = [number, number, number, number]
  const parse = (value: string): Rgba => {
    const parts = /rgba?\(([^)]+)\)/
      .exec(value)?.[1]
      ?.split(/[,\s/]+/)
      .filter(Boolean)
      .map(Number) ?? [0, 0, 0, 0]
    return [parts[0] ?? 0, parts[1] ?? 0, parts[2] ?? 0, parts[3] ?? 1]
  }
  const luminance = ([r, g, b]: Rgba) => {
    const channel = (c: number) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)
  }
  const probe = document.createElement('i')
  const background = (element: Element | null): Rgba => {
    for (let node = element; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor)
      if (colour[3] > 0) return colour
      const attribute = node.getAttribute('bgcolor')
      if (attribute) {
        probe.style.color = attribute
        document.body.append(probe)
        const value = parse(getComputedStyle(probe).color)
        probe.remove()
        return value
      }
    }
    return [255, 255, 255, 1]
  }
  // Hidden on purpose: the preheader and the dark logo (inline display:none / mso-hide), a
  // QR code on a phone (`qr-cell`, which cannot scan its own screen; the link stays).
  const hiddenOnPurpose = (element: Element) =>
    Boolean(element.closest('[style*="display:none"], [style*="mso-hide:all"], [class*="qr-cell"]'))
  const width = document.documentElement.clientWidth
  const invisible: string[] = []
  const lowContrast: string[] = []
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const element = node.parentElement
    const text = node.textContent?.replace(/[\s\u034f\u200c\u00a0]+/g, '') ?? ''
    if (!element || text === '') continue
    const range = document.createRange()
    range.selectNodeContents(node)
    const rect = range.getBoundingClientRect()
    const style = getComputedStyle(element)
    const name = `«${text.slice(0, 24)}» (${element.tagName.toLowerCase()}.${element.className})`
    const colour = parse(style.color)
    if (
      rect.width === 0 ||
      rect.height === 0 ||
      style.visibility === 'hidden' ||
      Number(style.opacity) === 0 ||
      colour[3] === 0 ||
      parseFloat(style.fontSize) < 9
    ) {
      if (!hiddenOnPurpose(element)) invisible.push(`${name}: not shown`)
      continue
    }
    if (rect.left < -1 || rect.right > width + 1)
      invisible.push(`${name}: outside the ${width} px viewport (${Math.round(rect.left)}–${Math.round(rect.right)})`)
    const [l1, l2] = [luminance(colour), luminance(background(element))]
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05)
    if (ratio < 4.5) lowContrast.push(`${ratio.toFixed(2)}:1 ${style.color} on ${background(element).join(',')} ${name}`)
  }
  return { scrollWidth: document.documentElement.scrollWidth, clientWidth: width, invisible, lowContrast }
}
