import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

let folder: string | undefined

/** Remove the PDFs written so far (call in `afterAll`). */
export function removePopplerFiles(): void {
  if (folder !== undefined) rmSync(folder, { recursive: true, force: true })
  folder = undefined
}
let count = 0

/** Write `pdf` to a temporary file and return poppler readers for it. */
export function poppler(pdf: Uint8Array): {
  file: string
  info: (...args: string[]) => Record<string, string>
  fonts: () => Array<{ name: string; type: string; emb: string; sub: string }>
  pageText: (page: number, layout?: boolean) => string
} {
  folder ??= mkdtempSync(path.join(os.tmpdir(), 'masthead-pdf-test-'))
  const file = path.join(folder, `out-${++count}.pdf`)
  writeFileSync(file, pdf)
  const run = (tool: string, args: string[]): string => execFileSync(tool, args, { encoding: 'utf8' })
  return {
    file,
    info(...args) {
      const fields: Record<string, string> = {}
      for (const line of run('pdfinfo', [...args, file]).split('\n')) {
        const match = /^([^:]+):\s*(.*)$/.exec(line)
        if (match?.[1] !== undefined && match[2] !== undefined) fields[match[1].trim()] = match[2].trim()
      }
      return fields
    },
    fonts() {
      const lines = run('pdffonts', [file])
        .split('\n')
        .slice(2)
        .filter((line) => line.trim() !== '')
      return lines.map((line) => {
        // name, type (may contain spaces), encoding, emb, sub, uni, object id
        const match = /^(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$/.exec(line.trim())
        return { name: match?.[1] ?? line, type: match?.[2] ?? '', emb: match?.[4] ?? '', sub: match?.[5] ?? '' }
      })
    },
    pageText(page, layout = false) {
      return run('pdftotext', [...(layout ? ['-layout'] : []), '-f', String(page), '-l', String(page), file, '-'])
    }
  }
}
