export { main } from './main.js'
export { EXIT, UsageError } from './context.js'
export type { Io } from './context.js'
