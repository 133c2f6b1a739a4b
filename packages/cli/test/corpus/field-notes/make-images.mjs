#!/usr/bin/env node
// Regenerates the figures of the image-heavy corpus issue: flat illustrations (a sky, a
// horizon, a few shapes) with a label naming what the real photograph would show, in
// portrait and landscape.
//
//   node packages/cli/test/corpus/field-notes/make-images.mjs
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const here = path.dirname(fileURLToPath(import.meta.url))

const figures = [
  ['estuary-dawn.jpg', 1800, 1100, 'Estuary at dawn', '#f3d9b1', '#6d8fa6'],
  ['heron.jpg', 1000, 1400, 'Grey heron', '#dfe7e2', '#54705f'],
  ['saltmarsh.jpg', 1800, 1000, 'Saltmarsh creeks', '#e9e3c9', '#7c8c4f'],
  ['oystercatchers.jpg', 1600, 1067, 'Oystercatchers', '#d5dde6', '#3c4a5c'],
  ['warden.jpg', 1000, 1300, 'The warden', '#e6ddd3', '#8a6b52'],
  ['seawall.jpg', 2000, 1000, 'Old sea wall', '#d9dcd6', '#6a6f66'],
  ['samphire.jpg', 1100, 1400, 'Samphire', '#e4ecd8', '#5e8a3c'],
  ['mudflat-tracks.jpg', 1800, 1200, 'Tracks on the mudflat', '#e2d8c8', '#7a6650'],
  ['boardwalk.jpg', 1000, 1400, 'Boardwalk', '#dde3df', '#6b5a45'],
  ['flood-gate.jpg', 1800, 1100, 'Flood gate', '#d6dbe0', '#4d5a66'],
  ['volunteers.jpg', 1800, 1200, 'Volunteers planting', '#e5e9d6', '#5b7a44'],
  ['dusk-geese.jpg', 2000, 1100, 'Geese at dusk', '#e9c9a8', '#4a4e6b']
]

function svg(width, height, label, sky, ground) {
  const horizon = Math.round(height * 0.62)
  const size = Math.round(Math.min(width, height) / 14)
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#ffffff"/><stop offset="1" stop-color="${sky}"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#s)"/>
<path d="M0 ${horizon} Q ${width * 0.3} ${horizon - height * 0.08} ${width * 0.55} ${horizon} T ${width} ${horizon - height * 0.03} V ${height} H 0 Z" fill="${ground}"/>
<circle cx="${width * 0.75}" cy="${height * 0.28}" r="${Math.min(width, height) * 0.08}" fill="#ffffff" fill-opacity="0.7"/>
<text x="${width / 2}" y="${height - size * 1.2}" font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif" font-size="${size}" fill="#ffffff" text-anchor="middle">${label} (${width} × ${height})</text>
</svg>`
}

await mkdir(path.join(here, 'images'), { recursive: true })
for (const [file, width, height, label, sky, ground] of figures) {
  const info = await sharp(Buffer.from(svg(width, height, label, sky, ground))).jpeg({ quality: 70, mozjpeg: true }).toFile(path.join(here, 'images', file))
  console.log(`${file}  ${info.width}×${info.height}  ${Math.round(info.size / 1024)} KB`)
}
