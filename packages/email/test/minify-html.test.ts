import { describe, expect, it } from 'vitest'
import { minifyHtml } from '../src/email-transforms.js'

describe('minifyHtml', () => {
  it('minifies each <style> with cssnano’s lite preset: comments, white space and empty rules only', async () => {
    const html = `<html><head><style type="text/css">
  /* phones */
  @media only screen and (max-width: 480px) {
    .headline { font-size: 19px !important ; }
  }
  .empty { }
  .quote::before { content: "}  {" ; color: #aabbcc; font-family: Georgia, serif }
</style></head><body><p>x</p></body></html>`
    const out = await minifyHtml(html)
    expect(out).toContain(
      '<style type="text/css">@media only screen and (max-width: 480px){.headline{font-size:19px!important}}.quote::before{content:"}  {";color:#aabbcc;font-family:Georgia,serif}</style>'
    )
  })

  it('minifies the <style> inside Outlook’s conditional comments and keeps the comments', async () => {
    const html = '<head><!--[if mso]>\n<style>\n  .a  { width : 600px ; }\n</style>\n<![endif]--></head>'
    expect(await minifyHtml(html)).toBe('<head><!--[if mso]>\n<style>.a{width:600px}</style>\n<![endif]--></head>')
  })
})
