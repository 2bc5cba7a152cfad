// What /proc says of a process: the tests that check nothing is left running read it.
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcStat {
  ppid: number;
  /** R, S, Z ... */
  state: string;
  comm: string;
}

export function procStat(pid: number): ProcStat | undefined {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = s.lastIndexOf(')');
    const rest = s.slice(close + 2).split(' ');
    return { ppid: Number(rest[1]), state: rest[0]!, comm: s.slice(s.indexOf('(') + 1, close) };
  } catch {
    return undefined;
  }
}

/** Every process /proc lists now, with its stat (those gone meanwhile left out). */
export function allProcesses(): { pid: number; st: ProcStat }[] {
  return readdirSync('/proc')
    .filter((n) => /^\d+$/.test(n))
    .map((n) => ({ pid: Number(n), st: procStat(Number(n)) }))
    .filter((x): x is { pid: number; st: ProcStat } => x.st !== undefined);
}
