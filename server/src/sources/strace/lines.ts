// One line of `strace -f -ttt -T` output, taken apart. The forms (strace 6.x):
//
//   PID TIME name(args) = result <duration>          a whole call
//   PID TIME name(args <unfinished ...>               entry only: another thread printed in between
//   PID TIME <... name resumed>args) = result <dur>   the rest of that call
//   PID TIME +++ exited with N +++ / +++ killed by SIGx [(core dumped)] +++
//   PID TIME --- SIGx {si_signo=...} ---              a signal delivered to PID
//
// PID is `1234` (strace -o with -f), `[pid  1234]` (strace -f to stderr) or absent (one
// process); -Y adds `<comm>` after it. TIME is -ttt's `seconds.fraction` (any precision, so
// `--absolute-timestamps=unix,ns` too) or -tt's `HH:MM:SS.fraction` (nanoseconds since
// midnight: the log does not say which day).
import { errnoValue, signalNumber } from './constants.ts';
import { splitArguments } from './values.ts';

export interface CallResult {
  /** The return value; undefined for `= ?` (the call never returned: exit, a successful execve in another thread). */
  readonly value: bigint | undefined;
  /** The errno name strace printed after -1 (`ENOENT`), turned into its number; 0 when none. */
  readonly errno: number;
  readonly errnoName?: string;
}

interface LineBase {
  /** The thread (strace's pid column is a thread id); undefined when the line has no pid column. */
  readonly tid: number | undefined;
  /** -Y's decoration: the thread's comm when strace printed the line. */
  readonly comm?: string;
  readonly time: bigint;
}

export type StraceLine =
  | (LineBase & {
      readonly kind: 'call';
      readonly name: string;
      readonly args: string[];
      readonly unfinished: boolean;
      readonly result?: CallResult;
      readonly duration?: bigint;
    })
  | (LineBase & {
      readonly kind: 'resumed';
      readonly name: string;
      readonly args: string[];
      readonly result?: CallResult;
      readonly duration?: bigint;
    })
  | (LineBase & { readonly kind: 'exited'; readonly status: number })
  | (LineBase & { readonly kind: 'killed'; readonly signal: number; readonly core: boolean })
  | (LineBase & { readonly kind: 'signal'; readonly signal: number; readonly info: string })
  /** `+++ superseded by execve in pid N +++`: a non-leader thread exec'd and took over the leader's pid. */
  | (LineBase & { readonly kind: 'superseded'; readonly by: number })
  | (LineBase & { readonly kind: 'other'; readonly text: string });

/** A line we cannot read at all; the importer names the log file and line. */
export class StraceLineError extends Error {}

const PID_PLAIN = /^(\d+)(?:<([^>]*)>)?[ \t]+/;
const PID_BRACKETED = /^\[pid\s+(\d+)(?:<([^>]*)>)?\][ \t]+/;
const UNIX_TIME = /^(\d+)\.(\d+)[ \t]+/;
const CLOCK_TIME = /^(\d\d):(\d\d):(\d\d)(?:\.(\d+))?[ \t]+/;
const DURATION = /[ \t]<(\d+)\.(\d+)>[ \t]*$/;
const RESULT = /^[ \t]*=[ \t]*(\?|0[xX][0-9a-fA-F]+|-?\d+)(?:<[^>]*>)?(?:[ \t]+(E[A-Z0-9_]+)\b)?/;
const INSTRUCTION_POINTER = /^\[[0-9a-f]{8,16}\][ \t]+/;
const UNFINISHED = /[ \t]*<unfinished \.\.\.>[ \t]*$/;

/** strace -k prints the stack of a call on the lines after it: ` > /lib/libc.so.6(read+0x12) [0x10f1d2]`. */
export function isStackLine(text: string): boolean {
  return /^[ \t]+> /.test(text);
}

export function parseStraceLine(text: string): StraceLine {
  let rest = text;
  let tid: number | undefined;
  let comm: string | undefined;
  const bracketed = PID_BRACKETED.exec(rest);
  const pid = bracketed ?? PID_PLAIN.exec(rest);
  // `1234 1700000000.5 ...`: a bare number is a pid only when a time follows it.
  if (pid !== null && (bracketed !== null || readTime(rest.slice(pid[0].length)) !== undefined)) {
    tid = Number(pid[1]);
    if (pid[2] !== undefined) comm = Buffer.from(pid[2], 'latin1').toString('utf8');
    rest = rest.slice(pid[0].length);
  }
  const time = readTime(rest);
  if (time === undefined) {
    throw new StraceLineError('no timestamp: record the log with strace -ttt (or -tt)');
  }
  rest = rest.slice(time.length);
  const pointer = INSTRUCTION_POINTER.exec(rest); // strace -i
  if (pointer !== null) rest = rest.slice(pointer[0].length);
  const base = { tid, ...(comm !== undefined ? { comm } : {}), time: time.ns };

  let m: RegExpExecArray | null;
  if ((m = /^\+\+\+ exited with (-?\d+) \+\+\+/.exec(rest)) !== null) return { ...base, kind: 'exited', status: Number(m[1]) };
  if ((m = /^\+\+\+ killed by (\w+)( \(core dumped\))? \+\+\+/.exec(rest)) !== null) {
    return { ...base, kind: 'killed', signal: signalNumber(m[1]!) ?? 0, core: m[2] !== undefined };
  }
  if ((m = /^\+\+\+ superseded by execve in pid (\d+) \+\+\+/.exec(rest)) !== null) return { ...base, kind: 'superseded', by: Number(m[1]) };
  if ((m = /^--- (\w+) (.*?)[ \t]*---[ \t]*$/.exec(rest)) !== null && m[1] !== 'stopped') {
    const signal = signalNumber(m[1]!);
    if (signal !== undefined) return { ...base, kind: 'signal', signal, info: m[2]! };
  }
  if ((m = /^<\.\.\. ([A-Za-z_]\w*) resumed>/.exec(rest)) !== null) {
    const tail = callTail(rest, m[0].length);
    return { ...base, kind: 'resumed', name: m[1]!, ...tail };
  }
  if ((m = /^([A-Za-z_]\w*)\(/.exec(rest)) !== null) {
    const name = m[1]!;
    if (UNFINISHED.test(rest)) {
      const body = rest.replace(UNFINISHED, '');
      return { ...base, kind: 'call', name, args: splitArguments(body, m[0].length).args, unfinished: true };
    }
    return { ...base, kind: 'call', name, unfinished: false, ...callTail(rest, m[0].length) };
  }
  return { ...base, kind: 'other', text: rest };
}

function callTail(text: string, start: number): { args: string[]; result?: CallResult; duration?: bigint } {
  const list = splitArguments(text, start);
  if (list.end < 0) return { args: list.args };
  const after = text.slice(list.end);
  const out: { args: string[]; result?: CallResult; duration?: bigint } = { args: list.args };
  const result = RESULT.exec(after);
  if (result !== null) {
    const value = result[1] === '?' ? undefined : BigInt(result[1]!);
    const name = result[2];
    const errno = name !== undefined && (value === undefined || value < 0n) ? (errnoValue(name) ?? 0) : 0;
    out.result = { value, errno, ...(name !== undefined ? { errnoName: name } : {}) };
  }
  const duration = DURATION.exec(after);
  if (duration !== null) out.duration = nanoseconds(duration[1]!, duration[2]!);
  return out;
}

function readTime(text: string): { ns: bigint; length: number } | undefined {
  const unix = UNIX_TIME.exec(text);
  if (unix !== null) return { ns: nanoseconds(unix[1]!, unix[2]!), length: unix[0].length };
  const clock = CLOCK_TIME.exec(text);
  if (clock !== null) {
    const seconds = Number(clock[1]) * 3600 + Number(clock[2]) * 60 + Number(clock[3]);
    return { ns: nanoseconds(String(seconds), clock[4] ?? '0'), length: clock[0].length };
  }
  return undefined;
}

function nanoseconds(seconds: string, fraction: string): bigint {
  return BigInt(seconds) * 1_000_000_000n + BigInt((fraction + '000000000').slice(0, 9));
}
