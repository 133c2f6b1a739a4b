/**
 * Chromium flags for printing on a server (PLATFORM.md): no sandbox (we run as
 * root in containers), no GPU, and nothing that reaches the network on its own.
 * `--allow-file-access-from-files` lets preflight read the document's own
 * file:// stylesheets (every request still goes through the request policy);
 * the dead proxy is a second fence for anything request interception cannot
 * see (WebSocket, WebRTC).
 */
export const browserArgs: readonly string[] = [
  '--no-sandbox',
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
  '--proxy-bypass-list=<-loopback>'
]
