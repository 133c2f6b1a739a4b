import type { CDPSession } from 'puppeteer-core'

/** The binding the page calls when a script reaches for WebRTC. */
const BINDING = '__mastheadWebrtcTried'

/**
 * WebRTC's entry points. Every other RTC interface (data channels, senders, transceivers)
 * is reached through a peer connection, so these are enough to make none.
 */
const CONSTRUCTORS = ['RTCPeerConnection', 'webkitRTCPeerConnection']

/** Where a script that tried WebRTC stood: the nearest `data-source-line` of its `<script>`. */
export interface WebrtcAttempt {
  api: string
  line?: number
  column?: number
}

/**
 * Runs in every frame of the print page before any of its scripts: replaces WebRTC's
 * constructors by ones that throw, cannot be put back (non-configurable), and tell us.
 */
function script(binding: string, names: readonly string[]): void {
  const holder = globalThis as unknown as Record<string, unknown>
  const tell = holder[binding] as ((payload: string) => void) | undefined
  Reflect.deleteProperty(holder, binding)
  for (const name of names) {
    if (!(name in holder)) continue
    const refuse = function (): never {
      const owner = document.currentScript?.closest('[data-source-line]')
      const line = Number.parseInt(owner?.getAttribute('data-source-line') ?? '', 10)
      const column = Number.parseInt(owner?.getAttribute('data-source-column') ?? '', 10)
      tell?.(JSON.stringify({ api: name, ...(Number.isFinite(line) ? { line } : {}), ...(Number.isFinite(column) ? { column } : {}) }))
      throw new DOMException(`${name} is switched off while printing`, 'NotSupportedError')
    }
    Object.defineProperty(holder, name, { value: refuse, writable: false, configurable: false, enumerable: false })
  }
}

/**
 * Switch WebRTC off in a page before any page script runs, on top of Chromium's
 * `--webrtc-ip-handling-policy=disable_non_proxied_udp` (no UDP but through the proxy,
 * which is dead): `RTCPeerConnection` throws, and `onAttempt` hears of every try.
 *
 * @param cdp The page's DevTools session.
 * @param onAttempt Called once per attempt.
 */
export async function disableWebrtc(cdp: CDPSession, onAttempt: (attempt: WebrtcAttempt) => void): Promise<void> {
  cdp.on('Runtime.bindingCalled', (event: { name: string; payload: string }) => {
    if (event.name !== BINDING) return
    try {
      const parsed = JSON.parse(event.payload) as WebrtcAttempt
      onAttempt({
        api: String(parsed.api),
        ...(typeof parsed.line === 'number' ? { line: parsed.line } : {}),
        ...(typeof parsed.column === 'number' ? { column: parsed.column } : {})
      })
    } catch {
      onAttempt({ api: 'RTCPeerConnection' })
    }
  })
  await cdp.send('Page.enable')
  await cdp.send('Runtime.enable')
  await cdp.send('Runtime.addBinding', { name: BINDING })
  await cdp.send('Page.addScriptToEvaluateOnNewDocument', {
    source: `(${script.toString()})(${JSON.stringify(BINDING)}, ${JSON.stringify(CONSTRUCTORS)})`,
    runImmediately: true
  })
}
