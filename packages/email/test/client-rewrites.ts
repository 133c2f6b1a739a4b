/**
 * How some mail clients rewrite a message before showing it, enough to test the email as
 * they would show it (the real-clients matrix, real-clients.test.ts).
 */
import * as cheerio from 'cheerio'

/** Clients without `<style>` support (Gmail's app for non-Google accounts, old Outlook.com, many webmails): every `<style>` and stylesheet link dropped; inline styles stay. */
export function withoutStyles(html: string): string {
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: false } })
  $('style, link[rel="stylesheet"]').remove()
  return $.html()
}

/**
 * Gmail's rewrite: `<style>` in the head is kept, a `<style>` in the body is dropped, and
 * every class name gets a prefix (`m_-123…headline`), in the markup and in the head's
 * selectors alike.
 */
export function gmailLike(html: string, prefix = 'm_-4242_'): string {
  const $ = cheerio.load(html, { xml: { xmlMode: false, decodeEntities: false } })
  $('body style').remove()
  $('[class]').each((_, element) => {
    element.attribs['class'] = element.attribs['class']!.split(/\s+/)
      .filter(Boolean)
      .map((name) => prefix + name)
      .join(' ')
  })
  $('head style').each((_, element) => {
    const style = $(element)
    style.text(
      style
        .text()
        .replace(/\.(-?[A-Za-z_][\w-]*)/g, (match, name: string, offset: number, css: string) =>
          /\d$/.test(css.slice(0, offset)) ? match : `.${prefix}${name}`
        )
    )
  })
  return $.html()
}
