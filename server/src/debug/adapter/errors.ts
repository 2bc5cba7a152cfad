// What the DAP client is told when something fails: the message dtvm would print for the same
// failure (a malformed trace record, a workload or capture that cannot start, a program the
// engine refuses), never a stack trace; anything unexpected as `dtvm-dap: <message>`.
import { sourceErrorText } from '../../sources/open';
import { ProcessingAborted } from '../../consume/processingAborted';
import { EngineError } from '../../vm/engine';
import { SourceOpenError } from '../runtime/sources';

export function errorText(e: unknown): string {
  if (e instanceof SourceOpenError) return e.message;
  const source = sourceErrorText(e);
  if (source !== undefined) return source;
  if (e instanceof ProcessingAborted) return e.report;
  if (e instanceof EngineError) return `dtrace: could not enable tracing: ${e.message}`;
  return `dtvm-dap: ${e instanceof Error ? e.message : String(e)}`;
}
