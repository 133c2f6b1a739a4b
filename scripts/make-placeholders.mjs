#!/usr/bin/env node
// Regenerates the placeholder images of the sample issues.
//
//   node scripts/make-placeholders.mjs
//
// Each placeholder is a flat, muted JPEG with a frame, a diagonal cross and large
// "PLACEHOLDER" lettering, plus what the real picture will show and its pixel size,
// so that nobody mistakes it for final artwork. The lettering is Latin only: a CJK
// font cannot be assumed on every machine that runs this script.
import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import sharp from 'sharp'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** @type {{file: string, width: number, height: number, lines: string[], background: string}[]} */
const placeholders = [
  {
    file: 'issues/2021-green-silk-road/images/karuma-aerial.jpg',
    width: 2400,
    height: 1350,
    lines: ['Karuma hydropower station, Uganda', 'aerial view (landscape 16:9)'],
    background: '#c9d3cc'
  },
  {
    file: 'issues/2021-green-silk-road/images/solheim.jpg',
    width: 900,
    height: 1200,
    lines: ['Portrait', 'Erik Solheim', '(portrait 3:4)'],
    background: '#d3cfc6'
  },
  {
    file: 'issues/2021-green-silk-road/images/liu-zhenya.jpg',
    width: 900,
    height: 1200,
    lines: ['Portrait', 'Liu Zhenya', '(portrait 3:4)'],
    background: '#d3cfc6'
  },
  {
    file: 'issues/2025-06-harbour-notes/images/shore-power.jpg',
    width: 2400,
    height: 1350,
    lines: ['Ferry Havbris at berth 2, North Quay,', 'connected to the shore-power cabinet (16:9)'],
    background: '#c8d0d8'
  },
  {
    file: 'issues/2025-06-harbour-notes/images/marit-olsen.jpg',
    width: 900,
    height: 1200,
    lines: ['Portrait', 'Marit Olsen', '(portrait 3:4)'],
    background: '#d3cfc6'
  }
]

const escape = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

function svg({ width, height, lines, background }) {
  const ink = '#5f625f'
  const unit = Math.min(width, height)
  const inset = Math.round(unit * 0.03)
  const stroke = Math.max(4, Math.round(unit * 0.006))
  const big = Math.round(Math.min(width / 9, height / 6))
  const small = Math.round(big * 0.34)
  const lineGap = Math.round(small * 1.35)
  const text = [...lines, `${width} × ${height} px`]
  // Centre the block: the big word, a gap, then the description lines.
  const blockHeight = big + small * 0.6 + lineGap * text.length
  let y = Math.round((height - blockHeight) / 2 + big * 0.8)
  const panelWidth = Math.round(Math.min(width - 4 * inset, big * 7.6))
  const panelHeight = Math.round(blockHeight + big * 0.6)
  const panelX = Math.round((width - panelWidth) / 2)
  const panelY = Math.round((height - panelHeight) / 2)
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="${background}"/>`,
    `<g stroke="${ink}" stroke-opacity="0.45" stroke-width="${stroke}" fill="none">`,
    `<rect x="${inset}" y="${inset}" width="${width - 2 * inset}" height="${height - 2 * inset}"/>`,
    `<line x1="${inset}" y1="${inset}" x2="${width - inset}" y2="${height - inset}"/>`,
    `<line x1="${width - inset}" y1="${inset}" x2="${inset}" y2="${height - inset}"/>`,
    `</g>`,
    `<rect x="${panelX}" y="${panelY}" width="${panelWidth}" height="${panelHeight}" fill="${background}" fill-opacity="0.92"/>`,
    `<g font-family="DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif" fill="${ink}" text-anchor="middle">`,
    `<text x="${width / 2}" y="${y}" font-size="${big}" font-weight="bold">PLACEHOLDER</text>`
  ]
  y += Math.round(small * 0.6 + lineGap)
  for (const line of text) {
    parts.push(`<text x="${width / 2}" y="${y}" font-size="${small}">${escape(line)}</text>`)
    y += lineGap
  }
  parts.push('</g></svg>')
  return parts.join('\n')
}

for (const placeholder of placeholders) {
  const target = path.join(root, placeholder.file)
  await mkdir(path.dirname(target), { recursive: true })
  const info = await sharp(Buffer.from(svg(placeholder)))
    .flatten({ background: placeholder.background })
    .jpeg({ quality: 80, mozjpeg: true })
    .toFile(target)
  console.log(`${placeholder.file}  ${info.width}×${info.height}  ${Math.round(info.size / 1024)} KB`)
}
