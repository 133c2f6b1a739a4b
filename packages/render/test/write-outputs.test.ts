import { spawnSync } from 'node:child_process'
import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { findRoot, writeOutputs } from '../src/index.js'
import { lockFolder } from '../src/lock-folder.js'

/** The pid of a process that has exited. */
const deadPid = (): number =>
  Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout)

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
    const written = await writeOutputs(
      dir,
      new Map<string, string | Uint8Array>([
        ['a.txt', 'A'],
        ['b.bin', new Uint8Array([1, 2, 3])]
      ])
    )
    expect(written.map((file) => path.basename(file))).toEqual(['a.txt', 'b.bin'])
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'b.bin'])
    expect(await readFile(path.join(dir, 'b.bin'))).toEqual(Buffer.from([1, 2, 3]))
  })

  it('leaves the previous outputs byte for byte when a write fails', async () => {
    const dir = await tmp()
    await writeFile(path.join(dir, 'a.txt'), 'old A')
    await writeFile(path.join(dir, 'blocker'), 'a file where a folder is needed')
    const outputs = new Map<string, string>([
      ['a.txt', 'new A'],
      ['blocker/b.txt', 'B']
    ])
    await expect(writeOutputs(dir, outputs)).rejects.toThrow(/EEXIST|ENOTDIR/)
    expect(await readFile(path.join(dir, 'a.txt'), 'utf8')).toBe('old A')
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'blocker'])
  })
})

describe('two builds of the same issue at once', () => {
  it("never interleave: the folder ends up with one build's whole set", async () => {
    const dir = await tmp()
    const names = Array.from({ length: 40 }, (_, index) => `file-${index}.txt`)
    // The second build lists its files the other way round, so unguarded renames would cross.
    const build = (label: string, order: string[]) => new Map(order.map((name) => [name, `${label} ${name} `.repeat(2000)]))
    for (let round = 0; round < 5; round++) {
      await Promise.all([writeOutputs(dir, build('A', names)), writeOutputs(dir, build('B', [...names].reverse()))])
      const labels = new Set(await Promise.all(names.map(async (name) => (await readFile(path.join(dir, name), 'utf8')).split(' ')[0])))
      expect(labels.size).toBe(1)
      expect((await readdir(dir)).sort()).toEqual([...names].sort())
    }
  })

  it('takes over the lock and removes the temporary files of a build that was killed', async () => {
    const dir = await tmp()
    const dead = deadPid()
    await writeFile(path.join(dir, '.masthead.lock'), String(dead))
    await writeFile(path.join(dir, `.print.pdf.tmp-${dead}-m0-abc123`), 'half a PDF')
    await writeOutputs(dir, new Map([['print.pdf', 'whole']]))
    expect(await readdir(dir)).toEqual(['print.pdf'])
  })

  it.each([
    ['garbage', 'pid: abc', '"pid: abc"'],
    ['an empty file', '', 'nothing'],
    ['a huge blob', 'x'.repeat(100_000), `"${'x'.repeat(64)}…"`]
  ])('replaces a lock file holding %s at once, and says so', async (_, held, shown) => {
    const dir = await tmp()
    await writeFile(path.join(dir, '.masthead.lock'), held)
    const notices: string[] = []
    await writeOutputs(dir, new Map([['print.pdf', 'whole']]), { onNotice: (reason) => notices.push(reason) })
    expect(await readdir(dir)).toEqual(['print.pdf'])
    expect(notices).toEqual([
      `Unexpected \`.masthead.lock\` holding ${shown}, expected the process id of a running build; it was no build's lock (a crash or another program left it) and was replaced`
    ])
  })

  it('waits for a live holder, and says who holds the lock when it waited too long', async () => {
    const dir = await tmp()
    const release = await lockFolder(dir)
    await expect(lockFolder(dir, 100)).rejects.toThrowError(
      `Another build (pid ${process.pid}) has held \`${path.join(dir, '.masthead.lock')}\` for more than 100 ms; delete that file if no build is running`
    )
    const waiting = lockFolder(dir, 5000)
    await release()
    await (
      await waiting
    )()
    expect(await readdir(dir)).toEqual([])
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
