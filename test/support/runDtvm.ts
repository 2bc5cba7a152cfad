// Runs the real dtvm command line in-process (same code as bin/dtvm, without a process spawn
// per case) and captures what it prints.
import { runDtvm } from '../../server/src/cli/run';

export interface DtvmRun {
  status: number;
  stdout: string;
  stderr: string;
}

export async function dtvm(args: string[]): Promise<DtvmRun> {
  let stdout = '';
  let stderr = '';
  const status = await runDtvm(args, { out: (s) => (stdout += s), err: (s) => (stderr += s) });
  return { status, stdout, stderr };
}
