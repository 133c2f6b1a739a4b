import { describe, expect, it } from 'vitest'
import { contentType, isPageAsset } from '../src/dev/serve-file.js'

describe('contentType', () => {
  it.each([
    ['print.html', 'text/html; charset=utf-8'],
    ['styles/print.css', 'text/css; charset=utf-8'],
    ['client/app.js', 'text/javascript; charset=utf-8'],
    ['issue.json', 'application/json; charset=utf-8'],
    ['email.txt', 'text/plain; charset=utf-8'],
    ['issue.md', 'text/plain; charset=utf-8'],
    ['print.hbs', 'text/plain; charset=utf-8'],
    ['logo.svg', 'image/svg+xml'],
    ['PHOTO.JPG', 'image/jpeg'],
    ['map.webp', 'image/webp'],
    ['scan.tif', 'image/tiff'],
    ['favicon.ico', 'image/vnd.microsoft.icon'],
    ['noto-serif-sc-0.woff2', 'font/woff2'],
    ['print.pdf', 'application/pdf'],
    ['README', 'application/octet-stream']
  ])('%s is served as %s', (file, type) => {
    expect(contentType(file)).toBe(type)
  })

  it('tells page assets (images, fonts, stylesheets) from documents', () => {
    expect(['a.png', 'a.woff2', 'a.css'].map(isPageAsset)).toEqual([true, true, true])
    expect(['a.html', 'a.pdf', 'a.md'].map(isPageAsset)).toEqual([false, false, false])
  })
})
