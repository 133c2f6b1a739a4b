import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findRoot, writeOutputs } from '../src/index.js'

const made: string[] = []
const tmp = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'masthead-render-'))
  made.push(dir)
  return dir
}
afterEach(async () => {
  await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('writeOutputs', () => {
  it('writes every output and leaves no temporary file', async () => {
    const dir = path.join(await tmp(), 'dist/issue')
    const written = await writeOutputs(dir, new Map<string, string | Uint8Array>([['a.txt', 'A'], ['b.bin', new Uint8Array([1, 2, 3])]]))
    expect(written.map((file) => path.basename(file))).toEqual(['a.txt', 'b.bin'])
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'b.bin'])
    expect(await readFile(path.join(dir, 'b.bin'))).toEqual(Buffer.from([1, 2, 3]))
  })

  it('leaves the previous outputs byte for byte when a write fails', async () => {
    const dir = await tmp()
    await writeFile(path.join(dir, 'a.txt'), 'old A')
    await writeFile(path.join(dir, 'blocker'), 'a file where a folder is needed')
    const outputs = new Map<string, string>([['a.txt', 'new A'], ['blocker/b.txt', 'B']])
    await expect(writeOutputs(dir, outputs)).rejects.toThrow(/EEXIST|ENOTDIR/)
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('old A')
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'blocker'])
  })
})

describe('findRoot', () => {
  it('finds the folder with issues/ and templates/ from below it', async () => {
    const root = await tmp()
    await mkdir(path.join(root, 'issues/x'), { recursive: true })
    await mkdir(path.join(root, 'templates'))
    expect(findRoot(path.join(root, 'issues/x'))).toBe(root)
  })

  it('prefers a masthead.config.json', async () => {
    const root = await tmp()
    await writeFile(path.join(root, 'masthead.config.json'), '{}')
    await mkdir(path.join(root, 'a/b'), { recursive: true })
    expect(findRoot(path.join(root, 'a/b'))).toBe(root)
  })

  it('returns undefined outside a project', () => {
    expect(findRoot(path.parse(os.tmpdir()).root)).toBeUndefined()
  })
})
