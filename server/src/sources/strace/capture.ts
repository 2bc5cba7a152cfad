// Live capture: a command run under strace (`dtvm -c`), or a running process strace attaches
// to (`dtvm -p`), as a probe source whose firings arrive while the command runs.
//
// strace writes its lines into a FIFO in a private temporary directory rather than to an
// inherited descriptor: the traced command then sees exactly the descriptors it would have had
// (strace opens its -o file close-on-exec), and its own stdout and stderr stay its own. We hold
// a write end of the FIFO open ourselves until strace has exited, so its end of the file is the
// end of the data and not the moment before strace opened it.
import { execFile, spawn } from 'node:child_process';
import { closeSync, constants as fsConstants, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TraceHeader, TraceRecord } from '../../trace/index.ts';
import type { FiringSource } from '../source.ts';
import { StraceConverter, type KnownProcess, type SyscallRegisters } from './converter.ts';
import { captureProbes } from './probes.ts';

/** How long strace may take to detach when tracing stops before it is killed. */
const DETACH_MILLISECONDS = 500;

export interface CaptureOptions {
  /** Run this command (split at white space, as dtrace -c does; no shell). */
  readonly command?: string;
  /** Or attach to this running process (and its threads). */
  readonly pid?: number;
  /** The strace program (default `strace`, found on PATH). */
  readonly strace?: string;
  /** Bytes of each string argument strace prints (its -s). Default 4096: any path whole. */
  readonly stringLimit?: number;
  /** What the command's stdin, stdout and stderr are. Default: ours. */
  readonly stdio?: 'inherit' | 'ignore';
  /** Working directory and environment of the command. */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** How long records may wait behind an unfinished call before its entry goes out with the arguments printed so far. Default 50 ms. */
  readonly holdMilliseconds?: number;
  /** How long a call's line may stay open (the call blocks) before its entry goes out. Default 200 ms. */
  readonly openLineMilliseconds?: number;
  /** Where the command's own error output goes when stdio is 'inherit' (strace's messages are kept apart). */
  readonly onStderr?: (text: string) => void;
}

export interface StraceCapture extends FiringSource {
  /** `$target`: the command's pid, or the attached process. */
  readonly targetPid: number;
  /** The command's exit status once it exited: its code, or minus the signal that killed it. */
  readonly targetStatus: number | undefined;
  /** Calls the catalogue lacks that the command made, with how many times. */
  readonly unknownCalls: ReadonlyMap<string, number>;
}

/** strace is not installed or cannot run: the message says how to install it. */
export class StraceUnavailableError extends Error {
  constructor(detail: string) {
    super(
      `cannot run strace (${detail}): live capture needs strace 5 or later; install it with ` +
        '`apt install strace` (Debian, Ubuntu), `dnf install strace` (Fedora) or `apk add strace` (Alpine)',
    );
    this.name = 'StraceUnavailableError';
  }
}

/** strace ran but could not start or attach (no such command, no permission to trace). */
export class CaptureStartError extends Error {
  override readonly name = 'CaptureStartError';
}

interface StraceVersion {
  readonly text: string;
}

export async function openStraceCapture(options: CaptureOptions): Promise<StraceCapture> {
  if ((options.command === undefined) === (options.pid === undefined)) {
    throw new Error('openStraceCapture needs a command or a pid (one of them)');
  }
  const argv = options.command?.trim().split(/\s+/).filter((w) => w !== '') ?? [];
  if (options.command !== undefined && argv.length === 0) throw new CaptureStartError('the command to run is empty');
  const strace = options.strace ?? 'strace';
  const version = await straceVersion(strace);
  const known = options.pid !== undefined ? describeProcess(options.pid) : [];

  const directory = mkdtempSync(join(tmpdir(), 'dtvm-strace-'));
  const fifo = join(directory, 'trace');
  await run('mkfifo', ['-m', '600', fifo]);
  // Both ends without blocking: nothing has the FIFO open yet.
  const readFd = openSync(fifo, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  let keepAliveFd: number | undefined = openSync(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK);

  const args = ['-f', '-q', '-s', String(options.stringLimit ?? 4096), '-o', fifo, ...(await preciseFlags(strace))];
  if (options.pid !== undefined) args.push('-p', String(options.pid));
  else args.push('--', ...argv);

  const started = Date.now();
  const child = spawn(strace, args, {
    stdio: [options.stdio === 'ignore' ? 'ignore' : 'inherit', options.stdio === 'ignore' ? 'ignore' : 'inherit', 'pipe'],
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    ...(options.env !== undefined ? { env: options.env } : {}),
  });
  const straceMessages: string[] = [];
  let stderrTail = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    // The command's stderr is strace's: pass it on, keeping strace's own complaints.
    const text = stderrTail + chunk;
    const lines = text.split('\n');
    stderrTail = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('strace: ')) straceMessages.push(line.slice('strace: '.length));
      else if (options.stdio !== 'ignore') (options.onStderr ?? ((t) => process.stderr.write(t)))(line + '\n');
    }
  });
  const exited = new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (code) => resolve(code));
  });
  child.on('close', () => {
    if (keepAliveFd !== undefined) closeSync(keepAliveFd);
    keepAliveFd = undefined;
    if (stderrTail !== '' && !stderrTail.startsWith('strace: ') && options.stdio !== 'ignore') (options.onStderr ?? ((t) => process.stderr.write(t)))(stderrTail);
    stderrTail = '';
  });

  const converter = new StraceConverter({
    file: `strace ${options.pid !== undefined ? `-p ${options.pid}` : `-c '${options.command}'`}`,
    ncpus: availableParallelism(),
    rootPpid: options.pid !== undefined ? undefined : (child.pid ?? 0),
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    known,
    holdLimit: 10_000,
    registers: syscallRegisters,
    describe: (pid) => {
      try {
        return describeProcess(pid)[0];
      } catch {
        return undefined;
      }
    },
  });

  let removed = false;
  const cleanup = (): void => {
    if (!removed) rmSync(directory, { recursive: true, force: true });
    removed = true;
  };

  const stream = new Socket({ fd: readFd, readable: true, writable: false });
  stream.setEncoding('latin1');
  const queue: TraceRecord[] = [];
  let waiting: (() => void) | undefined;
  let ended = false;
  let failure: Error | undefined;
  let lineNumber = 0;
  let partial = '';
  let holdTimer: NodeJS.Timeout | undefined;
  let targetPid = options.pid;
  let targetStatus: number | undefined;
  let closing = false;
  const wake = (): void => {
    const w = waiting;
    waiting = undefined;
    w?.();
  };
  const deliver = (records: TraceRecord[]): void => {
    for (const r of records) {
      if (r.kind === 'exit' && r.pid === targetPid) targetStatus = r.status;
      queue.push(r);
    }
    if (queue.length > 50_000) stream.pause(); // strace then blocks, and so does the command
    if (records.length > 0) wake();
  };
  // strace writes a call's entry as soon as it sees it and the rest of the line when the call
  // returns: a blocking call (sleep, wait, read from a pipe) leaves its line open. After a
  // while its entry goes out as if strace had marked it <unfinished ...>: later, so that
  // calls blocking briefly keep the arguments strace prints only at their end.
  let announced: string | undefined;
  let partialSince = 0;
  const announcePartialLine = (): void => {
    if (partial === '' || partial === announced || !/^\d+\s+\d+\.\d+\s+[A-Za-z_]\w*\(/.test(partial)) return;
    if (Date.now() - partialSince < (options.openLineMilliseconds ?? 200)) {
      holdTimer ??= setTimeout(release, options.openLineMilliseconds ?? 200);
      return;
    }
    announced = partial;
    converter.feed(`${partial} <unfinished ...>`, lineNumber + 1);
  };
  const release = (): void => {
    holdTimer = undefined;
    try {
      announcePartialLine();
    } catch (error) {
      failure = error as Error;
    }
    deliver(converter.take(true));
    wake();
  };
  const scheduleRelease = (): void => {
    if ((!converter.holding && partial === '') || holdTimer !== undefined) return;
    holdTimer = setTimeout(release, options.holdMilliseconds ?? 50);
  };
  stream.on('data', (chunk: string) => {
    // strace has the FIFO open: its name is no longer needed, and is gone even if we are killed.
    cleanup();
    const lines = (partial + chunk).split('\n');
    const before = partial;
    partial = lines.pop()!;
    if (partial !== before || lines.length > 0) partialSince = Date.now();
    try {
      for (const line of lines) {
        lineNumber++;
        if (targetPid === undefined) targetPid = Number(/^(\d+)/.exec(line)?.[1] ?? NaN) || undefined;
        converter.feed(line, lineNumber);
      }
    } catch (error) {
      failure = error as Error;
      stream.destroy();
      wake();
      return;
    }
    deliver(converter.take());
    scheduleRelease();
    wake();
  });
  stream.on('error', (error) => {
    failure ??= error;
    wake();
  });
  stream.on('close', () => {
    cleanup();
    if (holdTimer !== undefined) clearTimeout(holdTimer);
    try {
      if (partial !== '') converter.feed(partial, ++lineNumber);
      deliver(converter.finish(BigInt(Date.now()) * 1_000_000n));
    } catch (error) {
      failure ??= error as Error;
    }
    ended = true;
    wake();
  });

  // $target must be known before the script compiles: wait for the command's first line.
  const firstLine = new Promise<void>((resolve) => {
    const check = (): void => {
      if (targetPid !== undefined || ended || failure !== undefined) resolve();
      else waiting = check;
    };
    check();
  });
  await Promise.race([firstLine, exited.then(() => new Promise<void>((r) => setTimeout(r, 20)))]);
  if (options.pid !== undefined && !(await attached(options.pid, child.pid, exited))) targetPid = undefined;
  if (targetPid === undefined) {
    const code = await exited;
    stream.destroy();
    cleanup();
    if (code === null) throw new StraceUnavailableError(`${strace} did not start`);
    if (options.pid !== undefined) {
      // dtrace(1)'s words, with the system's reason (`attach: ptrace(PTRACE_SEIZE, 1): Operation not permitted`).
      const reason = /: ([^:]+)$/.exec(straceMessages.join('; '))?.[1] ?? 'strace could not attach';
      throw new CaptureStartError(`failed to grab pid ${options.pid}: ${reason}`);
    }
    // dtrace(1)'s words for a command it cannot run, with the system's reason (strace says
    // `Can't stat 'cmd': No such file or directory` or `exec: Permission denied`).
    const reason = /: ([^:]+)$/.exec(straceMessages.join('; '))?.[1];
    if (reason !== undefined && argv[0] !== undefined) throw new CaptureStartError(`failed to execute ${argv[0]}: ${reason}`);
    throw new CaptureStartError(straceMessages.join('; ') || `strace exited with status ${code} before the command started`);
  }

  const header: TraceHeader = {
    format: 'dtvm-trace',
    version: 1,
    platform: 'linux-x86_64',
    ncpus: availableParallelism(),
    timestamp: BigInt(started) * 1_000_000n,
    walltimestamp: BigInt(started) * 1_000_000n,
    probes: captureProbes().list,
    source: `strace ${version.text}`,
  };
  const capture: StraceCapture = {
    header,
    targetPid,
    get targetStatus() {
      return targetStatus;
    },
    unknownCalls: converter.unknownCalls,
    async *records(): AsyncGenerator<TraceRecord> {
      for (;;) {
        if (queue.length > 0) {
          const batch = queue.splice(0);
          if (stream.isPaused() && !ended) stream.resume();
          for (const r of batch) yield r;
          continue;
        }
        if (failure !== undefined && !closing) throw failure;
        if (ended) return;
        await new Promise<void>((resolve) => (waiting = resolve));
      }
    },
    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      if (child.exitCode === null && child.signalCode === null) {
        // dtrace kills a command it started when tracing ends first, and lets a grabbed process go.
        if (options.command !== undefined && targetStatus === undefined) {
          try {
            process.kill(targetPid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        child.kill('SIGTERM'); // strace detaches from what is left
        // strace can wait for ever to detach from a parent stuck in vfork() while its child is
        // stopped; a tracer that dies is detached by the kernel, which lets both run on.
        const stubborn = setTimeout(() => child.kill('SIGKILL'), DETACH_MILLISECONDS);
        await exited;
        clearTimeout(stubborn);
      }
      await exited;
      if (!ended) await new Promise<void>((resolve) => stream.once('close', () => resolve()));
      if (holdTimer !== undefined) clearTimeout(holdTimer);
      cleanup();
    },
  };
  return capture;
}

const NANOSECONDS = ['--absolute-timestamps=format:unix,precision:ns', '--syscall-times=ns'];
const RAW_CONSTANTS = ['-X', 'raw'];

/**
 * Nanosecond times and numeric constants where this strace has them (asked of strace itself:
 * it refuses options it does not know), else -ttt -T's microseconds and symbolic names, which
 * the converter reads too.
 */
async function preciseFlags(strace: string): Promise<string[]> {
  const accepts = (flags: string[]): Promise<boolean> => run(strace, [...flags, '-V']).then(
    () => true,
    () => false,
  );
  const [ns, raw] = await Promise.all([accepts(NANOSECONDS), accepts(RAW_CONSTANTS)]);
  return [...(ns ? NANOSECONDS : ['-ttt', '-T']), ...(raw ? RAW_CONSTANTS : [])];
}

async function straceVersion(strace: string): Promise<StraceVersion> {
  if (process.platform !== 'linux') throw new StraceUnavailableError(`strace traces Linux processes, and this is ${process.platform}`);
  let output: string;
  try {
    output = await run(strace, ['-V']);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new StraceUnavailableError(code === 'ENOENT' ? `${strace} is not installed or not on PATH` : (error as Error).message);
  }
  const m = /version (\d+)\.(\d+)(?:\.\d+)?/.exec(output);
  if (m === null) throw new StraceUnavailableError(`${strace} -V did not print a version`);
  return { text: `${m[1]}.${m[2]}` };
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, (error, stdout) => (error ? reject(error) : resolve(stdout)));
  });
}

/**
 * The call a thread is blocked in, from /proc/<tid>/syscall (`nr arg1 ... arg6 sp pc`, in hex
 * after the number): undefined when it runs, is not in a call, is gone, or we may not look.
 */
export function syscallRegisters(tid: number): SyscallRegisters | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${tid}/syscall`, 'latin1');
  } catch {
    return undefined;
  }
  const fields = text.trim().split(/\s+/);
  const number = Number(fields[0]);
  if (fields.length < 9 || !Number.isInteger(number) || number < 0) return undefined;
  try {
    return { number, args: fields.slice(1, 7).map((f) => BigInt(f)) };
  } catch {
    return undefined;
  }
}

/** How long strace may take to attach to a running process. */
const ATTACH_MILLISECONDS = 2000;

/**
 * Whether strace got hold of the process: -q keeps it quiet when it does, so ask the kernel
 * who traces the process, until strace exits (it could not) or the time is up.
 */
async function attached(pid: number, tracer: number | undefined, exited: Promise<unknown>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + ATTACH_MILLISECONDS;
  while (!gone && Date.now() < deadline) {
    let status = '';
    try {
      status = readFileSync(`/proc/${pid}/status`, 'utf8');
    } catch {
      return false;
    }
    if (Number(/^TracerPid:\s*(\d+)/m.exec(status)?.[1]) === tracer) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

/** What /proc says about a process we attach to, which strace does not print. */
function describeProcess(pid: number): KnownProcess[] {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    throw new CaptureStartError(`failed to grab pid ${pid}: No such process`);
  }
  const field = (name: string): string => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(status)?.[1] ?? '';
  let argv: string[] = [];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter((a, i, all) => a !== '' || i < all.length - 1);
  } catch {
    // a process may hide it; keep none
  }
  let threads: number[] = [];
  try {
    threads = readdirSync(`/proc/${pid}/task`).map(Number).filter((t) => t !== pid);
  } catch {
    // no threads to add
  }
  // stat: `pid (comm) state ppid pgrp ...`; comm may hold spaces and parentheses.
  let pgid: number | undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    pgid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) || undefined;
  } catch {
    // keep it unknown
  }
  return [
    {
      pid,
      ppid: Number(field('PPid')) || 0,
      execname: field('Name'),
      uid: Number(field('Uid').split(/\s+/)[0]) || 0,
      gid: Number(field('Gid').split(/\s+/)[0]) || 0,
      argv,
      threads,
      ...(pgid !== undefined ? { pgid } : {}),
    },
  ];
}

