// system(): dtrace(1) flushes its output and runs the command through the shell, waiting for
// it; the command writes to dtrace's own stdout and stderr (not to an -o file).
import { spawnSync } from 'node:child_process';

export interface CommandResult {
  stdout: string;
  stderr: string;
}

export type CommandRunner = (command: string) => CommandResult;

export const runCommand: CommandRunner = (command) => {
  const r = spawnSync('/bin/sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
};
