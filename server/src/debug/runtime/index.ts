// The debug runtime's entry: what the adapter's factory returns.
import type { DebugRuntime } from './api';
import { DtraceDebugRuntime } from './session';

export type * from './api';
export { compileScript, type CompiledScript, type ScriptRequest } from './compile';

export function createDebugRuntime(): DebugRuntime {
  return new DtraceDebugRuntime();
}
