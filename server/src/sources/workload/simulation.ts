// The workload's machine: threads that alternate between running on a CPU ("think" time) and
// system calls, on ncpus CPUs with one run queue each. A call either completes on the CPU or
// sleeps (optionally behind a block I/O request): the thread leaves the CPU (sched:::off-cpu),
// the CPU runs the next waiting thread (sched:::on-cpu) or goes idle, and when the call's time
// is up the thread is woken onto its last CPU, any idle one, or its last CPU's queue. A thread
// that runs for a whole quantum while others wait is preempted. So the scheduler probes are
// consistent with the calls: at most one thread is on a CPU at a time, every off-cpu follows
// that thread's on-cpu, and a sleeping call's latency is time off the CPU.
//
// Profile interrupts the file lists fire on every CPU (or one, for tick-N) in the context of
// what runs there. Pointer arguments carry records in the firing's memory: user strings,
// block requests (vm/ioRequests.ts) and off-cpu's next thread (vm/threadRecords.ts), which
// the VM turns into the flavour's kernel structures.
//
// Events live in an indexed binary heap keyed by (time, sequence): one pending event per
// thread, per CPU (its quantum) and per profile probe, so the heap stays as small as the
// machine and the order is fully determined by the seed. Times are float64 nanoseconds from the start (exact far beyond
// any workload's duration); records get bigint times only as they are emitted.
import { TraceMemory, type TraceExec, type TraceFiring, type TraceHeader, type TraceProbe, type TraceRecord } from '../../trace/index.ts';
import { idleContextOf } from '../../vm/engine.ts';
import { encodeIoRequest } from '../../vm/ioRequests.ts';
import { encodeThreadRecord } from '../../vm/threadRecords.ts';
import { Random } from './prng.ts';
import { flavourProbes, platformOf, traceProbe } from './probes.ts';
import { WorkloadError, type ProcessSpec, type SyscallSpec, type WorkloadSpec } from './spec.ts';

/** In-kernel time of a sleeping call before it leaves the CPU, and after it is back before returning. */
const ENTRY_NS = 1000;
const TAIL_NS = 500;
/** User buffers ("pointer" arguments): one 64 KiB area per thread. */
const USER_BUFFERS = 0x7ff000000000;
/** Recorded strings ("string" arguments): one page each, shared by every process. */
const USER_STRINGS = 0x7ffe00000000;
/** Kernel addresses of block requests (recycled, as a kernel's buffer headers are) and of devices. */
const KERNEL_BUFS = 0xfffffe0000000000n;
const KERNEL_BUF_SLOTS = 4096;
const KERNEL_DEVICES = 0xffffff8000000000n;
/** The PCs a profile interrupt finds: in a system call, in the idle loop, in a process's text. */
const KERNEL_PC = 0xfffffffffb8a1c40n;
const IDLE_PC = 0xfffffffffb85e3a0n;
const USER_PC = 0x401000;
/** Kernel addresses of recorded threads (off-cpu's next thread). */
const KERNEL_THREADS = 0xfffffe8000000000n;

const enum State {
  /** On a CPU, in user code until its event (the next call). */
  Think,
  /** On a CPU, in a call that does not sleep, until its event (the return). */
  Syscall,
  /** On a CPU, in a sleeping call, until its event (leaving the CPU). */
  Entering,
  /** Off CPU until its event (the wake-up). */
  Blocked,
  /** On a CPU again after sleeping, until its event (the return). */
  Tail,
  /** Waiting in a run queue, preempted in user code (`remain` ns of think left). */
  QueuedThink,
  /** Waiting in a run queue, woken from a sleeping call. */
  QueuedWoken,
}

interface CallProbes {
  readonly entry: number;
  readonly ret: number;
  readonly entryArgs: number;
}

interface ProcessPlan {
  readonly spec: ProcessSpec;
  readonly calls: readonly CallProbes[];
  /** Cumulative weights (rate / total) for choosing the next call. */
  readonly cumulative: readonly number[];
}

export class WorkloadSimulation {
  readonly header: TraceHeader;
  private readonly rng: Random;
  private readonly plans: ProcessPlan[] = [];
  private readonly spec: WorkloadSpec;
  private readonly base: bigint;

  // Threads.
  private readonly nthreads: number;
  private readonly tPlan: Int32Array;
  private readonly tPid: Int32Array;
  private readonly tTid: bigint[];
  private readonly tCpu: Int32Array;
  private readonly tState: Uint8Array;
  private readonly tRemain: Float64Array;
  private readonly tCall: Int32Array;
  /** The pending call's return value (a 64-bit word, exact). */
  private readonly tRet: bigint[];
  private readonly tErrno: Int32Array;
  private readonly tWake: Float64Array;
  /** Block request slot in flight (-1: none). */
  private readonly tIo: Int32Array;
  private readonly tIoSize: Float64Array;
  /** The request's recorded memory, shared by its start and done firings. */
  private readonly tIoMemory: (TraceMemory | null)[];
  /** Where the thread's next request starts in its file (each thread reads its files sequentially). */
  private readonly tIoOffset: Float64Array;

  // CPUs.
  private readonly ncpus: number;
  private readonly cpuCur: Int32Array;
  private readonly queues: number[][];
  private readonly queueHead: Int32Array;

  // The event heap: agents 0..nthreads-1 are threads, then the CPUs' quanta.
  private readonly time: Float64Array;
  private readonly seq: Float64Array;
  private readonly pos: Int32Array;
  private readonly heap: Int32Array;
  private heapSize = 0;
  private nextSeq = 0;

  // Probe indexes in the header (-1: the flavour has no such probe).
  private readonly onCpu: number;
  private readonly offCpu: number;
  private readonly offCpuArgs: number;
  private readonly ioStart: number;
  private readonly ioDone: number;
  private readonly ioArgs: number;
  private readonly kernel: { pid: number; tid: bigint; execname: string };
  private readonly profileProbes: number[];

  private now = 0;
  private line = 1;
  private out: TraceRecord[] = [];
  private pendingExecs: TraceExec[] = [];
  private finished = false;
  private ioSeq = 0;
  private readonly stringMemory = new Map<string, { address: bigint; memory: TraceMemory }>();
  /** Recorded next threads of off-cpu, by (thread + 1) * ncpus + cpu (thread -1: the CPU's idle thread). */
  private readonly threadMemory = new Map<number, { address: bigint; memory: TraceMemory }>();
  private readonly idle: { pid: number; execname: (cpu: number) => string };
  private readonly argBuffer: bigint[] = [];
  /** Firings emitted so far. */
  firings = 0;

  constructor(spec: WorkloadSpec, seed: number) {
    this.spec = spec;
    this.rng = new Random(seed);
    this.base = spec.timestamp;
    this.ncpus = spec.ncpus;
    const catalogue = flavourProbes(spec.flavour);
    const probes: TraceProbe[] = [];
    const index = new Map<string, number>();
    const probeIndex = (p: TraceProbe): number => {
      const key = `${p.provider}:${p.module}:${p.function}:${p.name}`;
      let i = index.get(key);
      if (i === undefined) {
        i = probes.length;
        probes.push(p);
        index.set(key, i);
      }
      return i;
    };

    // Where the catalogue gives a call no types, it takes as many arguments as any use gives it.
    // parseWorkload has checked the names, argument counts and io support at their place in the
    // file; the checks below only guard specs built some other way.
    const argCounts = new Map<string, number>();
    for (const proc of spec.processes) for (const s of proc.syscalls) argCounts.set(s.name, Math.max(argCounts.get(s.name) ?? 0, s.args.length));
    let anyIo = false;
    for (const proc of spec.processes) {
      const calls = proc.syscalls.map((s) => {
        const entry = catalogue.find('syscall', s.name, 'entry');
        const ret = catalogue.find('syscall', s.name, 'return');
        if (entry === undefined || ret === undefined) throw new WorkloadError(`${spec.file}: "${s.name}" is not a system call of ${spec.flavour}`);
        const entryProbe = traceProbe('syscall', entry, argCounts.get(s.name));
        if (s.args.length > entryProbe.args.length) {
          throw new WorkloadError(`${spec.file}: ${s.name}() takes ${entryProbe.args.length} argument${entryProbe.args.length === 1 ? '' : 's'} on ${spec.flavour}; the workload gives ${s.args.length}`);
        }
        anyIo ||= s.io !== undefined;
        return { entry: probeIndex(entryProbe), ret: probeIndex(traceProbe('syscall', ret, 2)), entryArgs: entryProbe.args.length };
      });
      const total = proc.syscalls.reduce((a, s) => a + s.rate, 0);
      let sum = 0;
      this.plans.push({ spec: proc, calls, cumulative: proc.syscalls.map((s) => (sum += s.rate / total)) });
    }
    // Context switches happen whenever a call sleeps or threads outnumber CPUs; the provider
    // is declared whenever the flavour has one, so sched scripts compile against any workload.
    const on = catalogue.find('sched', undefined, 'on-cpu');
    const off = catalogue.find('sched', undefined, 'off-cpu');
    this.onCpu = on !== undefined ? probeIndex(traceProbe('sched', on)) : -1;
    this.offCpu = off !== undefined ? probeIndex(traceProbe('sched', off)) : -1;
    this.offCpuArgs = this.offCpu >= 0 ? probes[this.offCpu]!.args.length : 0;
    const start = anyIo ? catalogue.find('io', undefined, 'start') : undefined;
    const done = anyIo ? catalogue.find('io', undefined, 'done') : undefined;
    if (anyIo && (start === undefined || done === undefined)) throw new WorkloadError(`${spec.file}: ${spec.flavour} has no io provider; remove the "io" of the system calls or choose another flavour`);
    this.ioStart = start !== undefined ? probeIndex(traceProbe('io', start)) : -1;
    this.ioDone = done !== undefined ? probeIndex(traceProbe('io', done)) : -1;
    this.ioArgs = this.ioStart >= 0 ? probes[this.ioStart]!.args.length : 0;
    this.kernel = kernelContext(spec.flavour);
    this.profileProbes = spec.profile.map((p) =>
      probeIndex({ provider: 'profile', module: '', function: '', name: p.name, args: p.everyCpu ? ['uintptr_t', 'uintptr_t', 'hrtime_t'] : ['uintptr_t', 'uintptr_t'] }),
    );
    const idle = idleContextOf(spec.flavour);
    const idleName = idle.execname;
    this.idle = { pid: idle.pid, execname: typeof idleName === 'string' ? () => idleName : idleName };

    this.header = {
      format: 'dtvm-trace',
      version: 1,
      platform: platformOf(spec.flavour),
      ncpus: spec.ncpus,
      timestamp: spec.timestamp,
      walltimestamp: spec.walltimestamp,
      probes,
      source: `dtvm workload ${basename(spec.file)} seed ${seed}`,
    };

    // Processes and threads: pids from 100 (or the file's), thread ids as the flavour numbers them.
    let nthreads = 0;
    for (const p of spec.processes) nthreads += p.count * p.threads;
    this.nthreads = nthreads;
    this.tPlan = new Int32Array(nthreads);
    this.tPid = new Int32Array(nthreads);
    this.tTid = new Array<bigint>(nthreads);
    this.tCpu = new Int32Array(nthreads);
    this.tState = new Uint8Array(nthreads);
    this.tRemain = new Float64Array(nthreads);
    this.tCall = new Int32Array(nthreads);
    this.tRet = new Array<bigint>(nthreads).fill(0n);
    this.tErrno = new Int32Array(nthreads);
    this.tWake = new Float64Array(nthreads);
    this.tIo = new Int32Array(nthreads).fill(-1);
    this.tIoSize = new Float64Array(nthreads);
    this.tIoMemory = new Array<TraceMemory | null>(nthreads).fill(null);
    this.tIoOffset = new Float64Array(nthreads);
    let nextPid = 100;
    let nextGlobalTid = 100_000;
    let t = 0;
    spec.processes.forEach((p, planIndex) => {
      for (let c = 0; c < p.count; c++) {
        const pid = p.pid !== undefined ? p.pid + c : nextPid++;
        if (spec.flavour === 'linux') nextPid = Math.max(nextPid, pid + p.threads);
        this.pendingExecs.push({ kind: 'exec', line: 0, timestamp: spec.timestamp, pid, ppid: p.ppid, uid: p.uid, gid: p.gid, execname: p.execname, argv: p.argv ?? [p.execname] });
        for (let k = 0; k < p.threads; k++, t++) {
          this.tPlan[t] = planIndex;
          this.tPid[t] = pid;
          // illumos numbers a process's LWPs from 1; Linux's main thread id is the pid and the
          // others follow it; FreeBSD and macOS draw thread ids from one system-wide counter.
          this.tTid[t] = BigInt(spec.flavour === 'illumos' ? k + 1 : spec.flavour === 'linux' ? pid + k : nextGlobalTid++);
        }
      }
    });

    this.queues = Array.from({ length: this.ncpus }, () => []);
    this.queueHead = new Int32Array(this.ncpus);
    this.cpuCur = new Int32Array(this.ncpus).fill(-1);
    const agents = nthreads + this.ncpus + spec.profile.length;
    this.time = new Float64Array(agents);
    this.seq = new Float64Array(agents);
    this.pos = new Int32Array(agents).fill(-1);
    this.heap = new Int32Array(agents);
  }

  /** The next records (at least one), or an empty array once the end record has been given. */
  next(max = 4096): TraceRecord[] {
    if (this.finished) return [];
    this.out = [];
    if (this.pendingExecs.length > 0) {
      for (const e of this.pendingExecs) this.out.push({ ...e, line: ++this.line });
      this.pendingExecs = [];
      this.begin();
    }
    const end = this.spec.duration;
    while (this.out.length < max) {
      if (this.heapSize === 0 || this.time[this.heap[0]!]! > end) {
        this.out.push({ kind: 'end', line: ++this.line, timestamp: this.base + BigInt(end), firings: this.firings, events: this.spec.processes.reduce((a, p) => a + p.count, 0) });
        this.finished = true;
        break;
      }
      const agent = this.heap[0]!;
      this.now = this.time[agent]!;
      this.remove(agent);
      if (agent < this.nthreads) this.threadEvent(agent);
      else if (agent < this.nthreads + this.ncpus) this.quantumEvent(agent - this.nthreads);
      else this.profileEvent(agent - this.nthreads - this.ncpus);
    }
    return this.out;
  }

  /** Every thread starts runnable with a first stretch of user time; the CPUs take them in turn. */
  private begin(): void {
    for (let t = 0; t < this.nthreads; t++) {
      this.tState[t] = State.QueuedThink;
      this.tRemain[t] = this.think(t);
      const cpu = t % this.ncpus;
      this.tCpu[t] = cpu;
      this.queues[cpu]!.push(t);
    }
    for (let cpu = 0; cpu < this.ncpus; cpu++) this.dispatch(cpu);
    this.spec.profile.forEach((p, i) => this.schedule(this.nthreads + this.ncpus + i, p.interval));
  }

  /**
   * A profile interrupt: on every CPU (profile-N) or one (tick-N), in the context of the thread
   * on the CPU, with the interrupted PC in arg0 (kernel: in a call, or the idle loop) or arg1
   * (user code); profile-N's arg2 (lateness) is 0.
   */
  private profileEvent(i: number): void {
    const p = this.spec.profile[i]!;
    const probe = this.profileProbes[i]!;
    const end = p.everyCpu ? this.ncpus : 1;
    for (let cpu = 0; cpu < end; cpu++) {
      const t = this.cpuCur[cpu]!;
      const user = t >= 0 && this.tState[t] === State.Think;
      const args = [user ? 0n : t >= 0 ? KERNEL_PC : IDLE_PC, user ? BigInt(USER_PC + this.tPlan[t]! * 0x10000) : 0n];
      if (p.everyCpu) args.push(0n);
      if (t >= 0) this.fire(probe, t, cpu, 0, args, null);
      else this.fireAs(probe, this.idle.pid, 0n, 0, 0, 0, this.idle.execname(cpu), cpu, args, null);
    }
    this.schedule(this.nthreads + this.ncpus + i, this.now + p.interval);
  }

  private threadEvent(t: number): void {
    switch (this.tState[t] as State) {
      case State.Think:
        return this.enterCall(t);
      case State.Syscall:
      case State.Tail:
        return this.returnFromCall(t);
      case State.Entering: {
        const cpu = this.tCpu[t]!;
        const slot = this.tIo[t]!;
        if (slot >= 0 && this.ioStart >= 0) this.fireIo(this.ioStart, t, slot, cpu, false);
        this.fireOffCpu(t, cpu);
        this.tState[t] = State.Blocked;
        this.schedule(t, this.tWake[t]!);
        this.cpuCur[cpu] = -1;
        this.dispatch(cpu);
        return;
      }
      case State.Blocked:
        return this.wake(t);
      default:
        return;
    }
  }

  private enterCall(t: number): void {
    const plan = this.plans[this.tPlan[t]!]!;
    const rng = this.rng;
    let c = 0;
    if (plan.cumulative.length > 1) {
      const u = rng.float();
      while (c < plan.cumulative.length - 1 && u >= plan.cumulative[c]!) c++;
    }
    const call: SyscallSpec = plan.spec.syscalls[c]!;
    const probes = plan.calls[c]!;
    this.tCall[t] = c;
    // Entry arguments: drawn values, buffer and string pointers; the rest zero.
    const args = this.argBuffer;
    args.length = probes.entryArgs;
    let memory: TraceMemory | null = null;
    for (let i = 0; i < probes.entryArgs; i++) {
      const a = call.args[i];
      if (a === undefined) args[i] = 0n;
      else if (a.kind === 'value') args[i] = a.sample(rng, args);
      else if (a.kind === 'pointer') args[i] = BigInt(USER_BUFFERS + t * 0x10000);
      else {
        const s = this.stringAt(a.texts[a.pick(rng)]!);
        args[i] = s.address;
        memory = s.memory;
      }
    }
    const cpu = this.tCpu[t]!;
    this.fire(probes.entry, t, cpu, 0, args.slice(), memory);

    let errno = 0;
    let ret: bigint;
    if (call.errors !== undefined && rng.float() < call.errors.probability) {
      errno = call.errors.errno;
      ret = -1n;
    } else ret = call.returns(rng, args);
    this.tRet[t] = ret;
    this.tErrno[t] = errno;
    const io = call.io;
    const withIo = io !== undefined && errno === 0 && (io.probability >= 1 || rng.float() < io.probability);
    const sleeps = withIo || (call.blocks > 0 && rng.float() < call.blocks);
    if (!sleeps) {
      this.tState[t] = State.Syscall;
      this.schedule(t, this.now + Math.max(1, call.latency(rng)));
      return;
    }
    let offCpuFor: number;
    if (withIo) {
      const slot = this.ioSeq++ % KERNEL_BUF_SLOTS;
      this.tIo[t] = slot;
      this.tIoSize[t] = Math.max(1, io.size(rng, args));
      offCpuFor = Math.max(1, io.latency(rng));
    } else offCpuFor = Math.max(1, call.latency(rng) - ENTRY_NS - TAIL_NS);
    this.tState[t] = State.Entering;
    this.tWake[t] = this.now + ENTRY_NS + offCpuFor;
    this.schedule(t, this.now + ENTRY_NS);
  }

  private returnFromCall(t: number): void {
    const plan = this.plans[this.tPlan[t]!]!;
    const ret = this.tRet[t]!;
    this.fire(plan.calls[this.tCall[t]!]!.ret, t, this.tCpu[t]!, this.tErrno[t]!, [ret, ret], null);
    this.tState[t] = State.Think;
    this.schedule(t, this.now + this.think(t));
  }

  /** A sleeping call's time is up: its request completes (interrupt context), the thread becomes runnable. */
  private wake(t: number): void {
    let cpu = this.tCpu[t]!;
    const slot = this.tIo[t]!;
    if (slot >= 0) {
      if (this.ioDone >= 0) this.fireIo(this.ioDone, t, slot, cpu, true);
      this.tIo[t] = -1;
      this.tIoMemory[t] = null;
    }
    if (this.cpuCur[cpu]! >= 0) {
      for (let c = 0; c < this.ncpus; c++) {
        if (this.cpuCur[c]! < 0) {
          cpu = c;
          break;
        }
      }
    }
    this.tState[t] = State.QueuedWoken;
    this.enqueue(t, cpu);
  }

  private quantumEvent(cpu: number): void {
    const cur = this.cpuCur[cpu]!;
    if (cur < 0 || this.queueLength(cpu) === 0) return;
    if (this.tState[cur] !== State.Think) {
      // In the kernel: preemption waits until the thread is back in user code.
      this.schedule(this.nthreads + cpu, this.now + this.spec.quantum);
      return;
    }
    this.tRemain[cur] = this.time[cur]! - this.now;
    this.remove(cur);
    this.fireOffCpu(cur, cpu);
    this.tState[cur] = State.QueuedThink;
    this.cpuCur[cpu] = -1;
    this.queues[cpu]!.push(cur);
    this.dispatch(cpu);
  }

  private enqueue(t: number, cpu: number): void {
    this.tCpu[t] = cpu;
    this.queues[cpu]!.push(t);
    if (this.cpuCur[cpu]! < 0) this.dispatch(cpu);
    else if (this.pos[this.nthreads + cpu]! < 0) this.schedule(this.nthreads + cpu, this.now + this.spec.quantum);
  }

  private queueLength(cpu: number): number {
    return this.queues[cpu]!.length - this.queueHead[cpu]!;
  }

  /** The CPU takes the next thread of its queue, or goes idle. */
  private dispatch(cpu: number): void {
    const q = this.queues[cpu]!;
    let head = this.queueHead[cpu]!;
    if (head >= q.length) {
      this.cpuCur[cpu] = -1;
      this.remove(this.nthreads + cpu);
      return;
    }
    const t = q[head++]!;
    if (head > 64 && head * 2 > q.length) {
      q.splice(0, head);
      head = 0;
    }
    this.queueHead[cpu] = head;
    this.cpuCur[cpu] = t;
    this.tCpu[t] = cpu;
    if (this.onCpu >= 0) this.fire(this.onCpu, t, cpu, 0, [], null);
    if (this.tState[t] === State.QueuedThink) {
      this.tState[t] = State.Think;
      this.schedule(t, this.now + this.tRemain[t]!);
    } else {
      this.tState[t] = State.Tail;
      this.schedule(t, this.now + TAIL_NS);
    }
    if (head < q.length) this.schedule(this.nthreads + cpu, this.now + this.spec.quantum);
    else this.remove(this.nthreads + cpu);
  }

  private think(t: number): number {
    return Math.max(1, this.plans[this.tPlan[t]!]!.spec.think(this.rng));
  }

  /** Before the CPU takes the next thread of its queue: off-cpu's arguments are that thread (or the idle thread) and its process. */
  private fireOffCpu(t: number, cpu: number): void {
    if (this.offCpu < 0) return;
    const q = this.queues[cpu]!;
    const head = this.queueHead[cpu]!;
    const next = head < q.length ? q[head]! : -1;
    const key = (next + 1) * this.ncpus + cpu;
    let rec = this.threadMemory.get(key);
    if (rec === undefined) {
      const address = KERNEL_THREADS + BigInt(key) * 0x100n;
      const ctx =
        next < 0
          ? { pid: this.idle.pid, tid: 0n, ppid: 0, uid: 0, gid: 0, execname: this.idle.execname(cpu), cpu, kernel: true }
          : (() => {
              const spec = this.plans[this.tPlan[next]!]!.spec;
              return { pid: this.tPid[next]!, tid: this.tTid[next]!, ppid: spec.ppid, uid: spec.uid, gid: spec.gid, execname: spec.execname, cpu, kernel: false };
            })();
      const bytes = encodeThreadRecord(ctx);
      rec = { address, memory: new TraceMemory({ [address.toString()]: { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64') } }, this.spec.file, 0) };
      this.threadMemory.set(key, rec);
    }
    this.fire(this.offCpu, t, cpu, 0, new Array<bigint>(this.offCpuArgs).fill(rec.address), this.offCpuArgs === 0 ? null : rec.memory);
  }

  private fireIo(probe: number, t: number, slot: number, cpu: number, done: boolean): void {
    const call = this.plans[this.tPlan[t]!]!.spec.syscalls[this.tCall[t]!]!;
    const io = call.io!;
    const dev = this.spec.devices[io.device]!;
    const address = KERNEL_BUFS + BigInt(slot) * 0x1000n;
    let memory = this.tIoMemory[t]!;
    if (memory === null) {
      const size = this.tIoSize[t]!;
      const path = io.file === undefined ? '' : io.file.texts[io.file.pick(this.rng)]!;
      let offset = -1;
      if (path !== '') {
        offset = this.tIoOffset[t]!;
        this.tIoOffset[t] = offset + size;
      }
      const bytes = encodeIoRequest({
        bcount: BigInt(size),
        blkno: BigInt((slot * 2048 + this.tPid[t]! * 64) % 0x7fffffff),
        offset: BigInt(offset),
        write: io.write,
        error: 0,
        resid: 0n,
        major: dev.major,
        minor: dev.minor,
        instance: dev.instance,
        device: dev.name,
        path,
      });
      memory = new TraceMemory({ [address.toString()]: { base64: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64') } }, this.spec.file, this.line + 1);
      this.tIoMemory[t] = memory;
    }
    // illumos and macOS pass the buf three times; FreeBSD passes the bio and the device's devstat.
    const args = this.ioArgs === 2 ? [address, KERNEL_DEVICES + BigInt(io.device) * 0x1000n] : new Array<bigint>(this.ioArgs).fill(address);
    if (done) this.fireAs(probe, this.kernel.pid, this.kernel.tid, 0, 0, 0, this.kernel.execname, cpu, args, memory);
    else this.fire(probe, t, cpu, 0, args, memory);
  }

  private fire(probe: number, t: number, cpu: number, errno: number, args: bigint[], memory: TraceMemory | null): void {
    const spec = this.plans[this.tPlan[t]!]!.spec;
    this.firings++;
    const f: TraceFiring = {
      kind: 'firing',
      line: ++this.line,
      probe,
      timestamp: this.base + BigInt(this.now),
      cpu,
      pid: this.tPid[t]!,
      tid: this.tTid[t]!,
      ppid: spec.ppid,
      uid: spec.uid,
      gid: spec.gid,
      execname: spec.execname,
      errno,
      args,
      memory,
    };
    this.out.push(f);
  }

  private fireAs(probe: number, pid: number, tid: bigint, ppid: number, uid: number, gid: number, execname: string, cpu: number, args: bigint[], memory: TraceMemory | null): void {
    this.firings++;
    this.out.push({ kind: 'firing', line: ++this.line, probe, timestamp: this.base + BigInt(this.now), cpu, pid, tid, ppid, uid, gid, execname, errno: 0, args, memory });
  }

  private stringAt(text: string): { address: bigint; memory: TraceMemory } {
    let s = this.stringMemory.get(text);
    if (s === undefined) {
      const address = BigInt(USER_STRINGS + this.stringMemory.size * 0x1000);
      s = { address, memory: new TraceMemory({ [address.toString()]: text }, this.spec.file, 0) };
      this.stringMemory.set(text, s);
    }
    return s;
  }

  // The indexed heap.

  private schedule(agent: number, at: number): void {
    this.time[agent] = at;
    this.seq[agent] = this.nextSeq++;
    const p = this.pos[agent]!;
    if (p < 0) {
      const i = this.heapSize++;
      this.heap[i] = agent;
      this.pos[agent] = i;
      this.up(i);
    } else {
      this.up(p);
      this.down(this.pos[agent]!);
    }
  }

  private remove(agent: number): void {
    const p = this.pos[agent]!;
    if (p < 0) return;
    this.pos[agent] = -1;
    const last = this.heap[--this.heapSize]!;
    if (p === this.heapSize) return;
    this.heap[p] = last;
    this.pos[last] = p;
    this.up(p);
    this.down(this.pos[last]!);
  }

  private less(a: number, b: number): boolean {
    const ta = this.time[a]!;
    const tb = this.time[b]!;
    return ta < tb || (ta === tb && this.seq[a]! < this.seq[b]!);
  }

  private up(i: number): void {
    const heap = this.heap;
    const agent = heap[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pa = heap[parent]!;
      if (!this.less(agent, pa)) break;
      heap[i] = pa;
      this.pos[pa] = i;
      i = parent;
    }
    heap[i] = agent;
    this.pos[agent] = i;
  }

  private down(i: number): void {
    const heap = this.heap;
    const n = this.heapSize;
    const agent = heap[i]!;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && this.less(heap[child + 1]!, heap[child]!)) child++;
      const c = heap[child]!;
      if (!this.less(c, agent)) break;
      heap[i] = c;
      this.pos[c] = i;
      i = child;
    }
    heap[i] = agent;
    this.pos[agent] = i;
  }
}

/** Who a block request's completion interrupts: the system's kernel process. */
function kernelContext(flavour: string): { pid: number; tid: bigint; execname: string } {
  switch (flavour) {
    case 'freebsd':
      return { pid: 0, tid: 100000n, execname: 'kernel' };
    case 'macos':
      return { pid: 0, tid: 100n, execname: 'kernel_task' };
    case 'linux':
      return { pid: 0, tid: 0n, execname: 'swapper/0' };
    default:
      return { pid: 0, tid: 0n, execname: 'sched' };
  }
}

function basename(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}
