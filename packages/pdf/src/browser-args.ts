/**
 * Chromium flags for printing on a server: no GPU, and nothing that reaches the network
 * on its own. `--no-sandbox` is added only where the sandbox cannot work (as root, in
 * containers and CI: see `decideSandbox`).
 * `--allow-file-access-from-files` lets preflight read the document's own
 * file:// stylesheets (every request still goes through the request policy);
 * the dead proxy is a second fence for anything request interception cannot
 * see (WebSocket, WebRTC). `--webrtc-ip-handling-policy=disable_non_proxied_udp` keeps
 * WebRTC off UDP except through that proxy (measured on Chromium 156: without it a page's
 * STUN/TURN datagrams reach a UDP port on 127.0.0.1; `--force-webrtc-ip-handling-policy`
 * does not stop them), and the print page's constructors are removed too
 * (`disableWebrtc`).
 *
 * Chromium 156 preloads the address bar's suggestion popup, a WebUI page in a renderer
 * of its own, even headless: 1.3–1.5 s of CPU at every start, taken from the page being
 * printed on a 2-core machine. `WebUIOmniboxPopup` and `WebUIOmniboxAimPopup` switch it
 * off. Chromium reads only the last `--disable-features`; {@link mergeFeatureSwitches}
 * joins ours with puppeteer's.
 */
export const browserArgs: readonly string[] = [
  '--disable-gpu',
  '--no-first-run',
  '--no-default-browser-check',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-dev-shm-usage',
  '--allow-file-access-from-files',
  '--proxy-server=http://127.0.0.1:9',
  '--proxy-bypass-list=<-loopback>',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup'
]

const featureSwitches = ['--disable-features=', '--enable-features=']

/**
 * Join repeated `--disable-features=` (and `--enable-features=`) flags into one, where the
 * first stood: Chromium keeps only the last value of a switch, which would drop the others.
 */
export function mergeFeatureSwitches(args: readonly string[]): string[] {
  const merged: string[] = []
  const lists = new Map<string, string[]>()
  for (const arg of args) {
    const prefix = featureSwitches.find((candidate) => arg.startsWith(candidate))
    if (prefix === undefined) {
      merged.push(arg)
      continue
    }
    const features = arg.slice(prefix.length).split(',').filter(Boolean)
    const list = lists.get(prefix)
    if (list) {
      for (const feature of features) if (!list.includes(feature)) list.push(feature)
    } else {
      lists.set(prefix, features)
      merged.push(prefix)
    }
  }
  return merged.map((arg) => (lists.has(arg) ? arg + (lists.get(arg) ?? []).join(',') : arg))
}
