import puppeteer from 'puppeteer-core'
const b = await puppeteer.launch({ executablePath: process.argv[2] ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', ...process.argv.slice(3)] })
await new Promise((r) => setTimeout(r, 1500))
const s = await b.target().createCDPSession()
const { targetInfos } = await s.send('Target.getTargets')
for (const t of targetInfos) console.log(t.type, t.url, t.title)
await b.close()
