// strace's lines to trace records (docs/trace-format.md), for a live capture and for an
// imported log alike. What it derives beyond strace's own lines (examples/README.md has the
// user's view, server/src/sources/strace/README.md the details):
//
// - syscall::<call>:entry fires at the line's time with the printed arguments; return fires
//   at time + the -T duration with arg0 = arg1 = the result and errno set when it failed.
// - String and string-array arguments get made-up user addresses, and their bytes go into the
//   firing's memory (copyinstr(arg1) on openat reads the path). Buffers a call fills (read's)
//   are only in the return firing's memory, as in the real process.
// - proc:::create/exec/exec-success/exec-failure/exit/signal-send/signal-handle come from
//   clone/fork/vfork, execve, the +++ exit lines, kill-family calls and the --- SIG lines.
// - A call split by <unfinished ...> holds back the records after its entry until the
//   resumed line completes the entry's arguments (bounded: `holdLimit` records, or the live
//   capture's timer), so records stay in time order and entries keep every argument.
import { encodeMemoryBytes, TraceMemory, type MemoryValue } from '../../trace/memory.ts';
import { encodeThreadRecord } from '../../vm/threadRecords.ts';
import { TraceFormatError, type TraceEnd, type TraceExec, type TraceExit, type TraceFiring, type TraceRecord } from '../../trace/index.ts';
import { constantValue } from './constants.ts';
import { isStackLine, parseStraceLine, StraceLineError, type CallResult, type StraceLine } from './lines.ts';
import { captureProbes, type CaptureProbes } from './probes.ts';
import { SYSCALL_NUMBERS } from './syscallNumbers.ts';
import { integerExpression, parseValue, type StraceValue } from './values.ts';

export interface KnownProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly execname: string;
  readonly uid: number;
  readonly gid: number;
  readonly argv?: readonly string[];
  /** Threads other than the leader (tid = pid). */
  readonly threads?: readonly number[];
  /** Its process group, when known. */
  readonly pgid?: number;
}

export interface ConverterOptions {
  /** Names the log in TraceMemory errors and in StraceLogError messages. */
  readonly file: string;
  readonly ncpus: number;
  /** The pid of lines without a pid column (strace without -f, or the first process writing to stderr). */
  readonly defaultPid?: number;
  /** ppid of a process whose parent the log never shows (the command strace started: strace's pid). */
  readonly rootPpid?: number;
  /** uid and gid of processes the log does not describe (strace does not print them). */
  readonly uid?: number;
  readonly gid?: number;
  /** Processes known before the log starts (attached with -p). */
  readonly known?: readonly KnownProcess[];
  /** Records held behind an unfinished call's entry before it is released with the arguments known so far. */
  readonly holdLimit?: number;
  /**
   * A live capture's look at a thread blocked in a call (`/proc/<tid>/syscall`): the call's
   * number and its six argument registers, or undefined (not in a call, gone, not allowed).
   * An entry that goes out before strace printed all its arguments takes the rest from here.
   */
  readonly registers?: (tid: number) => SyscallRegisters | undefined;
  /** A live capture's look at a process outside the traced ones (a signal's target): /proc. */
  readonly describe?: (pid: number) => KnownProcess | undefined;
}

/** What /proc/<tid>/syscall says about a thread blocked in a system call. */
export interface SyscallRegisters {
  readonly number: number;
  readonly args: readonly bigint[];
}

/**
 * A line strace wrote that we cannot read: `file:line: reason`. A kind of TraceFormatError, so
 * whoever replays sources reports it as it reports a malformed trace record.
 */
export class StraceLogError extends TraceFormatError {}

const CLONE_THREAD = 0x10000n;
const CLONE_PARENT = 0x8000n;
const CLD_EXITED = 1;
const CLD_KILLED = 2;
const CLD_DUMPED = 3;
/** Where made-up user addresses start: in the user half of x86-64, away from small integers. */
const ADDRESS_BASE = 0x10000000000n;
/** Bytes left unrecorded between two made-up objects, so reading past one faults. */
const ADDRESS_GAP = 16n;

/** A note of strace's own (`strace: Process 42 attached`), possibly after part of a line. */
const STRACE_NOTE = /strace: Process \d+ (?:attached|detached|suspended|resumed)\b.*$|^strace: .*$/;

/** String arguments a call fills in: recorded at return only (read's buffer holds nothing at entry). */
const OUTPUT_STRINGS: Readonly<Record<string, number>> = {
  read: 1,
  pread64: 1,
  readlink: 1,
  readlinkat: 2,
  getcwd: 0,
  recvfrom: 1,
  getxattr: 2,
  lgetxattr: 2,
  fgetxattr: 2,
  listxattr: 1,
  llistxattr: 1,
  flistxattr: 1,
};

/** strace names clone's arguments and prints them in another order than the kernel takes them. */
const CLONE_ARGUMENT_ORDER = ['flags', 'child_stack', 'parent_tid', 'child_tidptr', 'tls'];

/** Calls that make a task: a process, or a thread with CLONE_THREAD. */
const FORKS = new Set(['clone', 'clone3', 'fork', 'vfork']);
const EXECS = new Set(['execve', 'execveat']);

interface Process {
  pid: number;
  ppid: number;
  execname: string;
  uid: number;
  gid: number;
  argv: readonly string[];
  /**
   * Its process group: inherited over fork, followed through setpgid and setsid. A process
   * whose group the trace never shows has minus its pid: a group of its own and its
   * children's that no `kill(-pgid, ...)` names.
   */
  pgid: number;
}

interface Thread {
  tid: number;
  process: Process;
}

/** Who fired: captured when the record is made, so a later exec does not rename it. */
interface Context {
  readonly pid: number;
  readonly tid: number;
  readonly ppid: number;
  readonly uid: number;
  readonly gid: number;
  readonly execname: string;
}

/** A call whose entry was printed and whose end was not yet. */
interface OpenCall {
  readonly name: string;
  readonly thread: Thread;
  readonly context: Context;
  readonly line: number;
  readonly time: bigint;
  readonly args: string[];
  readonly values: StraceValue[];
  readonly addresses: Map<number, bigint>;
  /** The queue slot the entry firing goes into; filled when the call resumes or is released. */
  slot: Slot | undefined;
  /** A fork still printing: the child already met (one per fork). */
  child?: number;
  /**
   * The argument registers of a call whose entry went out before strace printed them all
   * (kernel order; only the arguments not yet printed then): the entry's values, and at
   * return the address of what strace prints there (a buffer's contents, a structure).
   */
  registers?: (bigint | undefined)[];
}

type Draft = Omit<TraceFiring, 'timestamp'> | Omit<TraceExec, 'timestamp'> | Omit<TraceExit, 'timestamp'>;

/** A record waiting to be handed on; an unfinished call's entry is a slot whose record comes later. */
interface Slot {
  time: bigint;
  record: Draft | undefined;
  call?: OpenCall | undefined;
}

export class StraceConverter {
  private readonly probes: CaptureProbes;
  private readonly threads = new Map<number, Thread>();
  private readonly open = new Map<number, OpenCall>();
  private readonly queue: Slot[] = [];
  private head = 0;
  private readonly ready: TraceRecord[] = [];
  private nextAddress = ADDRESS_BASE;
  private lastTime = 0n;
  private firings = 0;
  private events = 0;
  private seenProcess = false;
  private readonly holdLimit: number;
  /** Lines skipped because they name a call the catalogue lacks, by call name. */
  readonly unknownCalls = new Map<string, number>();

  constructor(private readonly options: ConverterOptions) {
    this.probes = captureProbes();
    this.holdLimit = options.holdLimit ?? 10_000;
    for (const known of options.known ?? []) {
      const process: Process = { pid: known.pid, ppid: known.ppid, execname: known.execname, uid: known.uid, gid: known.gid, argv: known.argv ?? [], pgid: known.pgid ?? -known.pid };
      this.threads.set(known.pid, { tid: known.pid, process });
      for (const tid of known.threads ?? []) this.threads.set(tid, { tid, process });
      this.seenProcess = true;
    }
  }

  private carry: string | undefined;
  /** The time of the first line read (a header's start time). */
  firstTime: bigint | undefined;
  /** Children met before the fork that made them returned in their parent. */
  private readonly bornEarly = new Set<number>();

  /** Reads one line of strace output (without its newline). Throws StraceLogError for a line it cannot read. */
  feed(text: string, line: number): void {
    // strace writing to stderr puts its own notes there, even in the middle of a line:
    // `123.4 vfork(strace: Process 19165 attached` + newline + ` <unfinished ...>`.
    if (this.carry !== undefined) {
      text = this.carry + text;
      this.carry = undefined;
    }
    const note = STRACE_NOTE.exec(text);
    if (note !== null) {
      if (note.index > 0) this.carry = text.slice(0, note.index);
      return;
    }
    if (text.trim() === '' || isStackLine(text)) return;
    let parsed: StraceLine;
    try {
      parsed = parseStraceLine(text);
    } catch (error) {
      if (error instanceof StraceLineError) throw new StraceLogError(this.options.file, line, error.message);
      throw error;
    }
    this.firstTime ??= parsed.time;
    const tid = parsed.tid ?? this.options.defaultPid ?? 1;
    switch (parsed.kind) {
      case 'call':
        return this.call(this.thread(tid, parsed, line), parsed, line);
      case 'resumed':
        return this.resumed(this.thread(tid, parsed, line), parsed, line);
      case 'exited':
      case 'killed':
        return this.exited(tid, parsed, line);
      case 'signal': {
        const thread = this.thread(tid, parsed, line);
        this.fire(this.probes.proc('signal-handle'), parsed.time, this.context(thread), [BigInt(parsed.signal), 0n, 0n], line);
        return;
      }
      case 'superseded':
        this.abandon(tid);
        this.threads.delete(tid);
        return;
      case 'other':
        return;
    }
  }

  /** Records ready to hand on, in time order. `release` lets go of a held entry with the arguments known so far. */
  take(release = false): TraceRecord[] {
    this.drain(release);
    return this.ready.splice(0);
  }

  /** True when records wait behind an unfinished call's entry. */
  get holding(): boolean {
    return this.head < this.queue.length;
  }

  /** Everything still held, then the end record (at `endTime`, or the last record's time). */
  finish(endTime?: bigint): TraceRecord[] {
    this.drain(true);
    const time = endTime !== undefined && endTime > this.lastTime ? endTime : this.lastTime;
    const end: TraceEnd = { kind: 'end', line: 0, timestamp: time, firings: this.firings, events: this.events };
    this.ready.push(end);
    return this.ready.splice(0);
  }

  // ---- lines

  private call(thread: Thread, line: Extract<StraceLine, { kind: 'call' }>, lineNumber: number): void {
    const announced = this.open.get(thread.tid);
    if (line.unfinished && announced !== undefined && announced.name === line.name && announced.time === line.time) {
      // strace marked unfinished the line whose first part already went out as an entry (a
      // live capture's open line): the same call, still open; its resumed line ends it.
      return;
    }
    if (!line.unfinished && announced !== undefined && announced.name === line.name && announced.time === line.time) {
      // The whole line of a call whose first part already went out as an unfinished entry
      // (a live capture does not wait for the end of a blocking call's line).
      this.open.delete(thread.tid);
      announced.args.splice(0, announced.args.length, ...line.args);
      announced.values.splice(0, announced.values.length, ...line.args.map(parseValue));
      if (announced.slot !== undefined) this.fillEntry(announced);
      this.finishCall(announced, line.result, line.time + (line.duration ?? 0n), lineNumber);
      return;
    }
    const context = this.context(thread);
    const call: OpenCall = {
      name: line.name,
      thread,
      context,
      line: lineNumber,
      time: line.time,
      args: line.args,
      values: line.args.map(parseValue),
      addresses: new Map(),
      slot: undefined,
    };
    if (line.unfinished) {
      call.slot = this.push(line.time, undefined);
      call.slot.call = call;
      this.open.set(thread.tid, call);
      if (EXECS.has(call.name)) this.fireExec(call);
      return;
    }
    this.enter(call);
    if (EXECS.has(call.name)) this.fireExec(call);
    this.finishCall(call, line.result, line.time + (line.duration ?? 0n), lineNumber);
  }

  private resumed(thread: Thread, line: Extract<StraceLine, { kind: 'resumed' }>, lineNumber: number): void {
    let call = this.open.get(thread.tid);
    this.open.delete(thread.tid);
    if (call === undefined || call.name !== line.name) {
      // Attached in the middle of a call: only its end is in the log.
      call = { name: line.name, thread, context: this.context(thread), line: lineNumber, time: line.time, args: [], values: [], addresses: new Map(), slot: undefined };
      call.args.push(...line.args);
      call.values.push(...line.args.map(parseValue));
      this.finishCall(call, line.result, line.time, lineNumber);
      return;
    }
    call.args.push(...line.args);
    call.values.push(...line.args.map(parseValue));
    if (call.slot !== undefined) this.fillEntry(call);
    this.finishCall(call, line.result, line.time, lineNumber);
  }

  private exited(tid: number, line: Extract<StraceLine, { kind: 'exited' | 'killed' }>, lineNumber: number): void {
    const thread = this.threads.get(tid);
    this.abandon(tid);
    if (thread === undefined) return;
    this.threads.delete(tid);
    if (thread.process.pid !== tid) return; // a thread of a process that goes on
    for (const [other, t] of this.threads) if (t.process === thread.process) this.threads.delete(other);
    const why = line.kind === 'exited' ? CLD_EXITED : line.core ? CLD_DUMPED : CLD_KILLED;
    this.fire(this.probes.proc('exit'), line.time, this.context(thread), [BigInt(why)], lineNumber);
    const exit: Omit<TraceExit, 'timestamp'> = {
      kind: 'exit',
      line: lineNumber,
      pid: thread.process.pid,
      status: line.kind === 'exited' ? line.status : -line.signal,
    };
    this.push(line.time, exit);
    this.events++;
  }

  // ---- calls

  /** The entry firing of a call whose entry arguments are all known. */
  private enter(call: OpenCall): void {
    const record = this.entryRecord(call);
    if (record !== undefined) this.push(call.time, record);
  }

  private fillEntry(call: OpenCall): void {
    const slot = call.slot!;
    slot.record = this.entryRecord(call);
    slot.call = undefined;
    call.slot = undefined;
  }

  /** A thread that ends inside a call: its entry goes out with what was printed. */
  private abandon(tid: number): void {
    const call = this.open.get(tid);
    this.open.delete(tid);
    if (call?.slot !== undefined) this.fillEntry(call);
  }

  /**
   * An entry going out before its line is complete: the arguments strace has not printed yet
   * come from the thread's registers, when the thread is still in that call (its number and
   * every argument printed so far agree).
   */
  private readRegisters(call: OpenCall): void {
    const look = this.options.registers;
    if (look === undefined || call.registers !== undefined) return;
    const regs = look(call.thread.tid);
    if (regs === undefined || regs.number !== SYSCALL_NUMBERS.get(call.name)) return;
    const printed = this.orderedValues(call);
    const out: (bigint | undefined)[] = [];
    let missing = false;
    for (let i = 0; i < regs.args.length; i++) {
      const v = printed[i];
      const reg = regs.args[i]!;
      if (v === undefined) {
        out[i] = reg;
        missing = true;
      } else if (v.kind === 'number' && BigInt.asUintN(64, v.value) !== reg && BigInt.asUintN(32, v.value) !== BigInt.asUintN(32, reg)) {
        return; // another call by now
      }
    }
    if (missing) call.registers = out;
  }

  private entryRecord(call: OpenCall): Omit<TraceFiring, 'timestamp'> | undefined {
    const probe = this.probes.syscall(call.name, 'entry');
    if (probe === undefined) {
      this.unknownCalls.set(call.name, (this.unknownCalls.get(call.name) ?? 0) + 1);
      return undefined;
    }
    const args: bigint[] = [];
    const memory = new Map<bigint, Uint8Array>();
    const output = OUTPUT_STRINGS[call.name];
    const values = this.orderedValues(call);
    for (let i = 0; i < this.probes.argumentCount(probe); i++) {
      args.push(this.argument(call, i, values[i], i === output ? undefined : memory));
    }
    this.firings++;
    return this.firingRecord(probe, call.context, 0, args, memory, call.line);
  }

  /** clone's printed arguments, in the kernel's order; every other call's as printed. */
  private orderedValues(call: OpenCall): (StraceValue | undefined)[] {
    if (call.name !== 'clone') return call.values;
    const out: (StraceValue | undefined)[] = [];
    call.args.forEach((text, i) => {
      const name = /^([a-z_]+)=/.exec(text)?.[1];
      const at = name === undefined ? -1 : CLONE_ARGUMENT_ORDER.indexOf(name);
      if (at >= 0) out[at] = call.values[i];
    });
    return out;
  }

  /** One argument's 64-bit value; its bytes go into `memory` when there is one to fill. */
  private argument(call: OpenCall, index: number, value: StraceValue | undefined, memory: Map<bigint, Uint8Array> | undefined): bigint {
    // Read from the registers at entry: the real value, and the real address of what strace
    // printed at the return (the same at entry and return, as a made-up one would be).
    const register = call.registers?.[index];
    if (value === undefined) return register ?? 0n;
    switch (value.kind) {
      case 'number':
        return value.value;
      case 'unknown':
        return register ?? 0n;
      case 'structure':
        return register ?? this.addressOf(call, index, 1);
      case 'string': {
        const bytes = cString(value);
        const address = register !== undefined && register !== 0n ? register : this.addressOf(call, index, bytes.length);
        memory?.set(address, bytes);
        return address;
      }
      case 'array': {
        const address = register ?? this.addressOf(call, index, (value.items.length + 1) * 8);
        if (memory !== undefined) {
          const table = new Uint8Array((value.items.length + 1) * 8);
          const view = new DataView(table.buffer);
          value.items.forEach((item, i) => {
            const bytes = cString(item);
            const word = this.addressOf(call, 1000 * (index + 1) + i, bytes.length);
            memory.set(word, bytes);
            view.setBigUint64(i * 8, word, true);
          });
          memory.set(address, table);
        }
        return address;
      }
    }
  }

  /** The made-up address of a call's argument: the same at entry and at return. */
  private addressOf(call: OpenCall, key: number, size: number): bigint {
    let address = call.addresses.get(key);
    if (address === undefined) {
      address = this.nextAddress;
      this.nextAddress += ((BigInt(size) + 15n) & ~15n) + ADDRESS_GAP;
      call.addresses.set(key, address);
    }
    return address;
  }

  private finishCall(call: OpenCall, result: CallResult | undefined, time: bigint, line: number): void {
    const value = result?.value;
    const failed = result !== undefined && (value === undefined ? result.errno !== 0 : value < 0n);
    const errno = failed ? result!.errno : 0;
    if (FORKS.has(call.name) && value !== undefined && value > 0n) {
      const child = Number(value);
      if (!this.threads.has(child) && !this.bornEarly.has(child)) this.createChild(call, child, time, line);
      this.bornEarly.delete(child);
    }
    if (EXECS.has(call.name) && result !== undefined && (value !== undefined || errno !== 0)) {
      if (value === 0n) this.execSucceeded(call, time, line);
      else this.fire(this.probes.proc('exec-failure'), time, this.context(call.thread), [BigInt(errno)], line, errno);
    }
    if (value === 0n) {
      this.signalSent(call, time, line);
      this.credentialsChanged(call);
    }
    if (value !== undefined && value >= 0n) this.groupChanged(call, value);
    if (result === undefined || (value === undefined && errno === 0)) return; // never returned (exit, = ?)
    const probe = this.probes.syscall(call.name, 'return');
    if (probe === undefined) return;
    const memory = new Map<bigint, Uint8Array>();
    const values = this.orderedValues(call);
    values.forEach((v, i) => this.argument(call, i, v, memory));
    const returned = value === undefined ? -1n : value;
    this.firings++;
    this.push(time, this.firingRecord(probe, this.context(call.thread), errno, [returned, returned], memory, line));
  }

  // ---- processes

  /** The thread a line belongs to, met for the first time when it is the child of a fork strace has not finished printing. */
  private thread(tid: number, line: StraceLine, lineNumber: number): Thread {
    const known = this.threads.get(tid);
    if (known !== undefined) return known;
    let parent: OpenCall | undefined;
    for (const call of this.open.values()) if (FORKS.has(call.name) && call.child === undefined) parent = call;
    if (parent !== undefined) {
      parent.child = tid;
      this.bornEarly.add(tid);
      return this.createChild(parent, tid, line.time, lineNumber);
    }
    const first = !this.seenProcess;
    this.seenProcess = true;
    const execsFirst = line.kind === 'call' && EXECS.has(line.name);
    const process: Process = {
      pid: tid,
      ppid: first ? (this.options.rootPpid ?? 0) : 0,
      // A process whose first line is an execve is the child strace started: still named strace.
      execname: line.comm ?? (execsFirst ? 'strace' : '?'),
      uid: this.options.uid ?? 0,
      gid: this.options.gid ?? 0,
      argv: [],
      pgid: -tid,
    };
    const thread = { tid, process };
    this.threads.set(tid, thread);
    return thread;
  }

  private createChild(call: OpenCall, tid: number, time: bigint, line: number): Thread {
    const parent = call.thread.process;
    const flags = cloneFlags(call);
    let thread: Thread;
    if ((flags & CLONE_THREAD) !== 0n) {
      thread = { tid, process: parent };
    } else {
      const process: Process = {
        pid: tid,
        ppid: (flags & CLONE_PARENT) !== 0n ? parent.ppid : parent.pid,
        execname: parent.execname,
        uid: parent.uid,
        gid: parent.gid,
        argv: parent.argv,
        pgid: parent.pgid,
      };
      thread = { tid, process };
      const memory = new Map<bigint, Uint8Array>();
      const child = this.threadRecord(thread, memory);
      this.fire(this.probes.proc('create'), time, this.context(call.thread), [child], line, 0, memory);
    }
    this.threads.set(tid, thread);
    return thread;
  }

  private fireExec(call: OpenCall): void {
    const pathIndex = call.name === 'execveat' ? 1 : 0;
    const memory = new Map<bigint, Uint8Array>();
    const path = this.argument(call, pathIndex, call.values[pathIndex], memory);
    this.fire(this.probes.proc('exec'), call.time, call.context, [path], call.line, 0, memory);
  }

  private execSucceeded(call: OpenCall, time: bigint, line: number): void {
    const process = call.thread.process;
    const pathIndex = call.name === 'execveat' ? 1 : 0;
    const path = call.values[pathIndex];
    if (path?.kind === 'string') process.execname = commName(path.bytes);
    const argv = call.values[pathIndex + 1];
    process.argv = argv?.kind === 'array' ? argv.items.map((i) => Buffer.from(i.bytes).toString('utf8')) : [];
    // The exec'ing thread becomes the whole process.
    for (const [tid, t] of this.threads) if (t.process === process && tid !== call.thread.tid) this.threads.delete(tid);
    // The exec event first: exec-success already sees the new command line (curpsinfo->pr_psargs).
    const exec: Omit<TraceExec, 'timestamp'> = {
      kind: 'exec',
      line,
      pid: process.pid,
      ppid: process.ppid,
      uid: process.uid,
      gid: process.gid,
      execname: process.execname,
      argv: process.argv,
    };
    this.push(time, exec);
    this.events++;
    this.fire(this.probes.proc('exec-success'), time, this.context(call.thread), [], line);
  }

  /** D's uid and gid are the real ids: setuid/setgid (as root) and set(res|re)[ug]id change them. */
  private credentialsChanged(call: OpenCall): void {
    const id = call.values[0];
    if (id?.kind !== 'number' || id.value === -1n || BigInt.asUintN(32, id.value) === 0xffffffffn) return;
    const process = call.thread.process;
    switch (call.name) {
      case 'setuid':
      case 'setreuid':
      case 'setresuid':
        process.uid = Number(BigInt.asUintN(32, id.value));
        break;
      case 'setgid':
      case 'setregid':
      case 'setresgid':
        process.gid = Number(BigInt.asUintN(32, id.value));
        break;
    }
  }

  /** kill, tkill, tgkill and rt_(tg)sigqueueinfo that succeeded with a real signal fire proc:::signal-send. */
  private signalSent(call: OpenCall, time: bigint, line: number): void {
    const number = (i: number): bigint | undefined => {
      const v = call.values[i];
      return v?.kind === 'number' ? v.value : undefined;
    };
    let pid: bigint | undefined;
    let tid: bigint | undefined;
    let signal: bigint | undefined;
    switch (call.name) {
      case 'kill':
      case 'rt_sigqueueinfo':
        pid = tid = number(0);
        signal = number(1);
        break;
      case 'tkill':
        tid = number(0);
        signal = number(1);
        if (tid !== undefined) pid = BigInt(this.threads.get(Number(tid))?.process.pid ?? Number(tid));
        break;
      case 'tgkill':
      case 'rt_tgsigqueueinfo':
        pid = number(0);
        tid = number(1);
        signal = number(2);
        break;
      default:
        return;
    }
    if (pid === undefined || tid === undefined || signal === undefined || signal === 0n) return;
    if (pid <= 0n) {
      if (call.name === 'kill') this.groupSignalled(call, pid, signal, time, line);
      return;
    }
    const target = this.threads.get(Number(tid)) ?? this.threads.get(Number(pid)) ?? this.outsider(Number(pid), Number(tid));
    const memory = new Map<bigint, Uint8Array>();
    const victim = this.threadRecord(target, memory);
    this.fire(this.probes.proc('signal-send'), time, this.context(call.thread), [victim, victim, signal], line, 0, memory);
  }

  /**
   * kill(0, sig) signals the caller's process group, kill(-pgid, sig) that group, kill(-1, sig)
   * every process but the caller: signal-send fires for each traced process it reached (by
   * pid; one firing per process, at its leader), as the kernel's group kill sends to each.
   */
  private groupSignalled(call: OpenCall, pid: bigint, signal: bigint, time: bigint, line: number): void {
    const sender = call.thread.process;
    const reached = (p: Process): boolean => (pid === 0n ? p.pgid === sender.pgid : pid === -1n ? p !== sender && p.pid !== 1 : p.pgid === Number(-pid));
    const targets = new Map<number, Process>();
    for (const t of this.threads.values()) if (reached(t.process)) targets.set(t.process.pid, t.process);
    for (const pid of [...targets.keys()].sort((a, b) => a - b)) {
      const memory = new Map<bigint, Uint8Array>();
      const victim = this.threadRecord({ tid: pid, process: targets.get(pid)! }, memory);
      this.fire(this.probes.proc('signal-send'), time, this.context(call.thread), [victim, victim, signal], line, 0, memory);
    }
  }

  /** setpgid and setsid that succeeded move a process to another group. */
  private groupChanged(call: OpenCall, value: bigint): void {
    const number = (i: number): number | undefined => {
      const v = call.values[i];
      return v?.kind === 'number' ? Number(v.value) : undefined;
    };
    if (call.name === 'setsid') {
      call.thread.process.pgid = call.thread.process.pid;
    } else if (call.name === 'setpgid' && value === 0n) {
      const pid = number(0);
      const pgid = number(1);
      if (pid === undefined || pgid === undefined) return;
      const target = pid === 0 ? call.thread.process : this.threads.get(pid)?.process;
      if (target !== undefined) target.pgid = pgid === 0 ? target.pid : pgid;
    }
  }

  /**
   * A thread outside the traced processes: what /proc says of its process while it runs (a
   * live capture), else (a log, or gone) a record with just its ids.
   */
  private outsider(pid: number, tid: number): Thread {
    const known = this.options.describe?.(pid);
    if (known === undefined) return { tid, process: { pid, ppid: 0, execname: '', uid: 0, gid: 0, argv: [], pgid: -pid } };
    return { tid, process: { pid, ppid: known.ppid, execname: known.execname, uid: known.uid, gid: known.gid, argv: known.argv ?? [], pgid: known.pgid ?? -pid } };
  }

  /**
   * A thread as proc probes' psinfo_t/lwpsinfo_t arguments need it: the flavour-independent
   * thread record (vm/threadRecords.ts) at a made-up address, from which the VM builds them.
   */
  private threadRecord(thread: Thread, memory: Map<bigint, Uint8Array>): bigint {
    const p = thread.process;
    const bytes = encodeThreadRecord({
      pid: p.pid,
      tid: BigInt(thread.tid),
      ppid: p.ppid,
      uid: p.uid,
      gid: p.gid,
      execname: p.execname,
      cpu: thread.tid % this.options.ncpus,
      kernel: false,
      ...(p.argv.length > 0 ? { argv: p.argv } : {}),
    });
    const address = this.nextAddress;
    this.nextAddress += ((BigInt(bytes.length) + 15n) & ~15n) + ADDRESS_GAP;
    memory.set(address, bytes);
    return address;
  }

  private context(thread: Thread): Context {
    const p = thread.process;
    return { pid: p.pid, tid: thread.tid, ppid: p.ppid, uid: p.uid, gid: p.gid, execname: p.execname };
  }

  // ---- records

  private fire(probe: number, time: bigint, context: Context, args: bigint[], line: number, errno = 0, memory?: Map<bigint, Uint8Array>): void {
    this.firings++;
    this.push(time, this.firingRecord(probe, context, errno, args, memory ?? new Map(), line));
  }

  private firingRecord(probe: number, context: Context, errno: number, args: bigint[], memory: Map<bigint, Uint8Array>, line: number): Omit<TraceFiring, 'timestamp'> {
    let traceMemory: TraceMemory | null = null;
    if (memory.size > 0) {
      const raw: Record<string, MemoryValue> = {};
      for (const [address, bytes] of memory) raw[address.toString()] = encodeMemoryBytes(bytes);
      traceMemory = new TraceMemory(raw, this.options.file, line);
    }
    return {
      kind: 'firing',
      line,
      probe,
      cpu: context.tid % this.options.ncpus,
      pid: context.pid,
      tid: BigInt(context.tid),
      ppid: context.ppid,
      uid: context.uid,
      gid: context.gid,
      execname: context.execname,
      errno,
      args,
      memory: traceMemory,
    };
  }

  private push(time: bigint, record: Draft | undefined): Slot {
    const slot: Slot = { time, record };
    this.queue.push(slot);
    return slot;
  }

  private drain(release: boolean): void {
    const queue = this.queue;
    while (this.head < queue.length) {
      const slot = queue[this.head]!;
      if (slot.record === undefined && slot.call !== undefined) {
        if (!release && queue.length - this.head <= this.holdLimit) break;
        this.readRegisters(slot.call);
        this.fillEntry(slot.call);
      }
      this.head++;
      if (slot.record === undefined) continue;
      // strace's clocks (-ttt's wall clock, -T's monotonic durations) can disagree by a few
      // microseconds: a record never goes back in time.
      if (slot.time > this.lastTime) this.lastTime = slot.time;
      this.ready.push({ ...slot.record, timestamp: this.lastTime } as TraceRecord);
    }
    if (this.head > 4096 && this.head * 2 > queue.length) {
      queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** A string argument's bytes in memory: a C string's NUL, unless strace cut it short. */
function cString(value: Extract<StraceValue, { kind: 'string' }>): Uint8Array {
  if (value.truncated) return value.bytes;
  const bytes = new Uint8Array(value.bytes.length + 1);
  bytes.set(value.bytes);
  return bytes;
}

/** The kernel names a process after the file it executes: the last path component, at most 15 bytes. */
function commName(path: Uint8Array): string {
  const slash = path.lastIndexOf(0x2f);
  const base = path.subarray(slash + 1, slash + 1 + 15);
  return Buffer.from(base).toString('utf8');
}

/** clone's flags (`flags=...`), clone3's (`{flags=..., ...}`); fork and vfork make processes. */
function cloneFlags(call: OpenCall): bigint {
  for (const text of call.args) {
    const m = /(?:^|[{ ,])flags=([^,}]+)/.exec(text);
    if (m !== null) return integerExpression(m[1]!.trim()) ?? 0n;
  }
  return call.name === 'vfork' ? (constantValue('CLONE_VFORK') ?? 0n) : 0n;
}
