import type { Page } from 'puppeteer-core'

/** The print area the screen layout was fitted to, in CSS pixels. */
export interface PrintArea {
  pageWidth: number
  left: number
  right: number
  /** Width of the content area: pageWidth − left − right. */
  width: number
  /** The top and bottom page margins, in CSS pixels. */
  top: number
  bottom: number
}

/**
 * Lay the document out at the width of the printed page's content area, so
 * that preflight measures the lines and boxes as they were printed. The page
 * width comes from the PDF; the left and right margins from the document's
 * `@page` rules (unnamed, no pseudo-class; later rules win; `var()` and
 * `calc()` resolved by measuring a probe element), and so are the top and bottom ones.
 *
 * @param page The page (print media emulated).
 * @param pageWidthPt The most common page width in the PDF, in points.
 */
export async function fitViewport(page: Page, pageWidthPt: number): Promise<PrintArea> {
  const pageWidth = (pageWidthPt * 96) / 72
  const area = await page.evaluate((pageWidth) => {
    let left = ''
    let right = ''
    let top = ''
    let bottom = ''
    const split = (value: string): string[] => {
      const parts: string[] = []
      let depth = 0
      let current = ''
      for (const char of value.trim()) {
        if (char === '(') depth++
        if (char === ')') depth--
        if (/\s/.test(char) && depth === 0) {
          if (current) parts.push(current)
          current = ''
        } else current += char
      }
      if (current) parts.push(current)
      return parts
    }
    const visit = (rules: CSSRuleList): void => {
      for (const rule of rules) {
        if (rule instanceof CSSImportRule) {
          if (rule.styleSheet && matchMedia(rule.media.mediaText || 'all').matches) visit(safeRules(rule.styleSheet))
        } else if (rule instanceof CSSMediaRule || rule instanceof CSSSupportsRule || rule instanceof CSSLayerBlockRule) {
          if (!(rule instanceof CSSMediaRule) || matchMedia(rule.media.mediaText).matches) visit(rule.cssRules)
        } else if (rule instanceof CSSPageRule && rule.selectorText === '') {
          const short = split(rule.style.getPropertyValue('margin'))
          if (short.length > 0) {
            top = short[0] ?? top
            right = short[1] ?? short[0] ?? right
            bottom = short[2] ?? short[0] ?? bottom
            left = short[3] ?? short[1] ?? short[0] ?? left
          }
          top = rule.style.getPropertyValue('margin-top') || top
          bottom = rule.style.getPropertyValue('margin-bottom') || bottom
          left = rule.style.getPropertyValue('margin-left') || rule.style.getPropertyValue('margin-inline-start') || left
          right = rule.style.getPropertyValue('margin-right') || rule.style.getPropertyValue('margin-inline-end') || right
        }
      }
    }
    const safeRules = (sheet: CSSStyleSheet): CSSRuleList => {
      try {
        return sheet.cssRules
      } catch {
        return [] as unknown as CSSRuleList
      }
    }
    for (const sheet of document.styleSheets) visit(safeRules(sheet))
    const box = document.createElement('div')
    box.style.cssText = `position:absolute;visibility:hidden;left:0;top:0;width:${pageWidth}px`
    const probe = document.createElement('div')
    box.append(probe)
    document.documentElement.append(box)
    const measure = (value: string): number => {
      if (!value || value === 'auto') return 0
      probe.style.width = value
      return probe.getBoundingClientRect().width
    }
    const result = { left: measure(left), right: measure(right), top: measure(top), bottom: measure(bottom) }
    box.remove()
    return result
  }, pageWidth)
  const width = Math.max(pageWidth - area.left - area.right, 100)
  await page.setViewport({ width: Math.round(width), height: 1000 })
  return { pageWidth, left: area.left, right: area.right, width, top: area.top, bottom: area.bottom }
}
