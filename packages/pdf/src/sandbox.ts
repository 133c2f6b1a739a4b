import { readFileSync } from 'node:fs'

/** Whether Chromium runs in its own sandbox, and why (or why not). */
export interface SandboxDecision {
  sandbox: boolean
  reason: string
}

/** What {@link decideSandbox} looks at (the running process and the kernel, by default). */
export interface SandboxFacts {
  /** The effective user id (`process.geteuid()`); undefined on Windows. */
  uid: number | undefined
  /** `MASTHEAD_NO_SANDBOX`: `1` turns the sandbox off. */
  noSandbox: string | undefined
  /** `/proc/sys/kernel/unprivileged_userns_clone` (Debian), `/proc/sys/user/max_user_namespaces`, `/proc/sys/kernel/apparmor_restrict_unprivileged_userns` (Ubuntu): undefined when absent. */
  usernsClone: string | undefined
  maxUserNamespaces: string | undefined
  apparmorRestrict: string | undefined
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8').trim()
  } catch {
    return undefined
  }
}

/** The facts of this process and machine. */
export function sandboxFacts(env: Readonly<Record<string, string | undefined>> = process.env): SandboxFacts {
  return {
    uid: typeof process.geteuid === 'function' ? process.geteuid() : undefined,
    noSandbox: env.MASTHEAD_NO_SANDBOX,
    usernsClone: read('/proc/sys/kernel/unprivileged_userns_clone'),
    maxUserNamespaces: read('/proc/sys/user/max_user_namespaces'),
    apparmorRestrict: read('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')
  }
}

/**
 * Decide whether Chromium gets its sandbox. Chromium's Linux sandbox is built on
 * unprivileged user namespaces; it refuses to start as root with it ("Running as root
 * without --no-sandbox is not supported"), so as root (containers, CI) it runs with
 * `--no-sandbox`. It is also off where the kernel allows no unprivileged user namespaces,
 * where Chromium would not start at all, and when `MASTHEAD_NO_SANDBOX=1` says so (a
 * container whose seccomp profile blocks them). Everywhere else it is on.
 *
 * @param facts What the process and the kernel allow (see {@link sandboxFacts}).
 */
export function decideSandbox(facts: SandboxFacts): SandboxDecision {
  if (facts.noSandbox === '1') return { sandbox: false, reason: 'MASTHEAD_NO_SANDBOX=1 is set' }
  if (facts.uid === 0) return { sandbox: false, reason: 'running as root, where Chromium refuses its sandbox' }
  if (facts.usernsClone === '0' || facts.maxUserNamespaces === '0')
    return { sandbox: false, reason: 'the kernel allows no unprivileged user namespaces, which the sandbox is built on' }
  if (facts.apparmorRestrict === '1')
    return { sandbox: false, reason: 'AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns=1)' }
  return { sandbox: true, reason: 'running as a user that may make user namespaces' }
}
