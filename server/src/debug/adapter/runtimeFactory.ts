// The runtime every face of the adapter drives (bin/dtvm-dap and the inline VS Code adapter).
import type { DebugRuntime } from '../runtime/api';
import { createDebugRuntime } from '../runtime/index';

export function createRuntime(): DebugRuntime {
  return createDebugRuntime();
}
