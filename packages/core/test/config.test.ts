import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { loadConfig, report } from '../src/index.js'

const made: string[] = []
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })))
})

/** Load `text` as the masthead.config.json of a fresh folder; the report as the CLI prints it. */
async function load(text: string) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'masthead-config-'))
  made.push(root)
  await writeFile(path.join(root, 'masthead.config.json'), text)
  const { config, file } = await loadConfig(root)
  return { config, report: report([file], { cwd: root }) }
}

describe('network.allow', () => {
  it('takes exact origins, with a port or an IP address', async () => {
    const { config, report } = await load(
      JSON.stringify({
        network: { allow: ['https://cdn.example.org', 'http://127.0.0.1:8080', 'http://[::1]:9000', 'https://xn--bcher-kva.example'] }
      })
    )
    expect(report).toBe('')
    expect(config?.network?.allow).toHaveLength(4)
  })

  it.each([
    ['http://*', 'a wildcard (`*`) would let the print document reach many hosts'],
    ['https://*.example.org', 'a wildcard (`*`) would let the print document reach many hosts'],
    ['https://.example.org', 'a leading dot or an empty label is a pattern for many hosts'],
    ['http://0.0.0.0:8080', 'not the unspecified address'],
    ['https://user:pw@cdn.example.org', 'without a user name or password'],
    ['https://cdn.example.org/fonts', 'scheme and host, no path']
  ])('refuses %s at its place', async (entry, why) => {
    const { config, report } = await load(`{\n  "network": {\n    "allow": ["https://ok.example.org", ${JSON.stringify(entry)}]\n  }\n}\n`)
    expect(config).toBeUndefined()
    const lines = report.split('\n')
    expect(lines).toHaveLength(4)
    expect(
      lines[1]?.startsWith(
        `  masthead.config.json:3:41  error    Unexpected \`network.allow.1\` value ${JSON.stringify(entry)}, expected `
      ),
      lines[1]
    ).toBe(true)
    expect(lines[1]?.endsWith('  config-invalid  masthead:config'), lines[1]).toBe(true)
    expect(lines[1]).toContain(why)
  })
})

describe('keys every object inherits', () => {
  it('refuses __proto__, constructor, prototype and toString at their keys, at any depth', async () => {
    const { config, report } = await load(
      '{\n  "__proto__": { "polluted": true },\n  "constructor": 1,\n  "email": { "utm": { "prototype": "x" } },\n  "print": { "toString": 2 }\n}\n'
    )
    expect(config).toBeUndefined()
    const line = (place: string, key: string) =>
      `  masthead.config.json:${place}  error    Unexpected key \`${key}\` in the config, expected a key the config defines; \`__proto__\`, \`constructor\`, \`prototype\` and other names every object inherits are never config keys  config-invalid  masthead:config`
    expect(report).toBe(
      [
        'masthead.config.json',
        line('2:3', '__proto__'),
        line('3:3', 'constructor'),
        line('4:23', 'email.utm.prototype'),
        line('5:14', 'print.toString'),
        '',
        '4 errors'
      ].join('\n')
    )
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})
