// The streaming protocol layer's public surface: the upgrade handler for exec/attach/portforward,
// pods/log streaming, and the contract a runtime implements.
export { handleStreamingUpgrade } from './upgrade.js';
export { rejectUpgrade, upgradeRequired } from './status.js';
export { resolveContainer } from './container.js';
export {
  formatLogLine,
  parseLogOptions,
  rfc3339Nano,
  selectLogLines,
  serveLogStream,
} from './log-stream.js';
export type { LogLine, LogSource, PodLogOptions } from './log-stream.js';
export type {
  ExecExit,
  ExecRequest,
  ExecSession,
  PortForwarder,
  StreamBackend,
  StreamRoute,
  StreamTarget,
  StreamingLog,
  StreamingOptions,
  StreamingVerb,
  TerminalSize,
} from './types.js';
