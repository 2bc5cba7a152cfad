// Kernel structures behind probe arguments. A sched or proc firing recorded by a probe source
// may carry threads (threadRecords.ts: off-cpu's next thread, create's child, signal-send's
// target): its arguments become that thread's kernel image or its process, as curthread and
// curproc are for the firing thread (on Linux, whose probes pass psinfo_t and lwpsinfo_t
// untranslated, those structures themselves). A block I/O firing
// carries, in its memory at the address of its arguments, a flavour-independent request
// (ioRequests.ts); here it becomes the target system's own structures in the VM's kernel
// memory (illumos' buf_t and dev_info, macOS' struct buf, FreeBSD's struct bio and struct
// devstat), laid out from the flavour's D library, and the arguments point at them. The io
// provider's translators (io.d) then read them as they read a live kernel's, so
// `args[0]->b_bcount` and `args[1]->dev_statname` work on a replay.
import type { Probe } from '../analyze/catalogue/types';
import { resolve, type CType } from '../analyze/types/ctype';
import type { KernelTypes } from '../codegen/program';
import { KernelImageBuilder, type ImageField } from './kernelImage';
import { ioRequestKey, readIoRequest, type IoRequest } from './ioRequests';
import { AddressSpace, type Region, type UserMemory } from './memory';
import { readThreadRecord } from './threadRecords';
import { threadContextKey, ThreadImages, type ThreadContext } from './threadImages';

/** Distinct requests kept before the cache starts over (their addresses are recycled by sources too). */
const MAX_IMAGES = 4096;
/** The longest kernel string copied from a firing's memory (a path: MAXPATHLEN). */
const MAX_KERNEL_STRING = 4096;
/** Native argument types that are a kernel string. */
const STRING_ARG = /^\s*(string|(const\s+)?char\s*\*)\s*$/;

export class ArgumentImages {
  private readonly cache = new Map<string, { args: bigint[]; regions: Region[] }>();
  /** Fields the flavour's structures lack (tests check there are none). */
  readonly unresolved = new Set<string>();
  /** Other threads' images: apart from curthread's, whose cache the runtime trims as a firing starts. */
  private readonly threads: ThreadImages;
  /** Member paths from a thread to its process, as byte offsets (undefined: none known). */
  private readonly procPath: readonly number[] | undefined;

  constructor(
    private readonly space: AddressSpace,
    private readonly kernel: KernelTypes | undefined,
  ) {
    this.threads = new ThreadImages(space, kernel);
    this.procPath = kernel === undefined ? undefined : offsetsOf(kernel, PROC_PATHS[kernel.flavour]);
  }

  /**
   * The arguments a firing's clauses see: for an io probe whose first argument points at a
   * recorded request, addresses of the flavour's native structures; otherwise `args` as given.
   */
  argsFor(probe: Pick<Probe, 'provider' | 'args'>, args: readonly bigint[], memory: UserMemory | null | undefined): readonly bigint[] {
    if (memory == null || args.length === 0 || this.kernel === undefined) return args;
    if (probe.provider === 'sched' || probe.provider === 'proc') return this.threadArgs(probe, args, memory);
    if (probe.provider !== 'io') return args;
    const request = readIoRequest(memory, args[0]!);
    if (request === undefined) return args;
    const key = `${args.length}:${ioRequestKey(request)}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      if (this.cache.size >= MAX_IMAGES) this.clear();
      hit = this.build(request, args.length);
      this.cache.set(key, hit);
    }
    return hit.args;
  }

  /**
   * Arguments that point at a recorded thread (threadRecords.ts) become what the probe's
   * native type asks for: the thread's kernel image (kthread_t, struct thread, thread_t), its
   * process (proc_t, struct proc), or, where the flavour passes them untranslated (Linux),
   * psinfo_t and lwpsinfo_t filled as its translators would fill them.
   */
  private threadArgs(probe: Pick<Probe, 'args'>, args: readonly bigint[], memory: UserMemory): readonly bigint[] {
    let out: bigint[] | undefined;
    // Room for every argument's image first: clearing between two of them would unmap the first.
    if (this.cache.size + args.length > MAX_IMAGES) this.clear();
    for (let i = 0; i < args.length && i < probe.args.length; i++) {
      const native = probe.args[i]!.native;
      if (STRING_ARG.test(native)) {
        const copy = this.kernelString(memory, args[i]!);
        if (copy === undefined) continue;
        out ??= [...args];
        out[i] = copy;
        continue;
      }
      const ctx = readThreadRecord(memory, args[i]!);
      if (ctx === undefined) continue;
      out ??= [...args];
      out[i] = this.threadArg(native, ctx);
    }
    return out ?? args;
  }

  /**
   * A string argument the kernel passes from its own memory (proc:::exec's path): the source
   * recorded the bytes at a user address; the clauses read it as kernel memory (`stringof`,
   * `trace`, `printf("%s")`), so the bytes go into a kernel region of their own.
   */
  private kernelString(memory: UserMemory, address: bigint): bigint | undefined {
    if (address === 0n) return undefined;
    const bytes = memory.readCString(address, MAX_KERNEL_STRING);
    if (bytes === undefined) return undefined;
    const key = `str:${Buffer.from(bytes).toString('latin1')}`;
    let hit = this.cache.get(key);
    if (hit === undefined) {
      const copy = new Uint8Array(bytes.length + 1);
      copy.set(bytes);
      const region = this.space.map('kernel', copy, false);
      hit = { args: [AddressSpace.address(region)], regions: [region] };
      this.cache.set(key, hit);
    }
    return hit.args[0]!;
  }

  private threadArg(native: string, ctx: ThreadContext): bigint {
    const type = native.replace(/\s+/g, ' ').trim();
    if (type === 'psinfo_t *' || type === 'lwpsinfo_t *') {
      const key = `${type}:${threadContextKey(ctx)}`;
      let hit = this.cache.get(key);
      if (hit === undefined) {
        if (this.cache.size >= MAX_IMAGES) this.clear();
        hit = this.buildInfo(type === 'psinfo_t *' ? 'psinfo_t' : 'lwpsinfo_t', ctx);
        this.cache.set(key, hit);
      }
      return hit.args[0]!;
    }
    this.threads.trimIfFull();
    const thread = this.threads.addressOf(ctx);
    if (!/\bproc(_t)?\b/.test(type)) return thread;
    if (this.procPath === undefined) return 0n;
    let p = thread;
    for (const offset of this.procPath) p = p === 0n ? 0n : this.space.load(p + BigInt(offset), 8, false);
    return p;
  }

  /** psinfo_t or lwpsinfo_t as a structure of its own (a flavour whose probes pass them untranslated). */
  private buildInfo(root: 'psinfo_t' | 'lwpsinfo_t', c: ThreadContext): { args: bigint[]; regions: Region[] } {
    const SONPROC = 6;
    const PR_MODEL_LP64 = 2;
    const fields: ImageField[] =
      root === 'psinfo_t'
        ? [
            { path: 'pr_nlwp', value: 1 },
            { path: 'pr_pid', value: c.pid },
            { path: 'pr_ppid', value: c.ppid },
            { path: 'pr_pgid', value: c.pid },
            { path: 'pr_uid', value: c.uid },
            { path: 'pr_euid', value: c.uid },
            { path: 'pr_gid', value: c.gid },
            { path: 'pr_egid', value: c.gid },
            { path: 'pr_addr', value: this.threads.addressOf(c) },
            { path: 'pr_fname', value: c.execname },
            // The command line when the record has it (80 bytes, as the kernel's), else comm.
            { path: 'pr_psargs', value: c.argv !== undefined && c.argv.length > 0 ? c.argv.join(' ') : c.execname },
            { path: 'pr_dmodel', value: PR_MODEL_LP64 },
          ]
        : [
            { path: 'pr_lwpid', value: c.tid },
            { path: 'pr_state', value: SONPROC },
            { path: 'pr_sname', value: 'O'.charCodeAt(0) },
            { path: 'pr_pri', value: c.kernel ? 0 : 120 },
            { path: 'pr_name', value: c.execname },
            { path: 'pr_onpro', value: c.cpu },
          ];
    const type = this.kernel!.type(root);
    if (type === undefined) return { args: [0n], regions: [] };
    const b = new KernelImageBuilder(type, this.kernel!.type, 'root');
    for (const f of fields) if (!b.set(f.path, f.value)) this.unresolved.add(`${root}: ${f.path}`);
    const built = b.build(this.space);
    return { args: [built.address], regions: [built.region] };
  }

  /** Between firings only (a firing's DIF may hold the images' addresses). */
  clear(): void {
    for (const e of this.cache.values()) for (const r of e.regions) this.space.unmap(r);
    this.cache.clear();
  }

  private build(r: IoRequest, count: number): { args: bigint[]; regions: Region[] } {
    const kernel = this.kernel!;
    const image = (root: string, fields: ImageField[]): { address: bigint; region: Region } | undefined => {
      const type = kernel.type(root);
      if (type === undefined) {
        this.unresolved.add(root);
        return undefined;
      }
      const b = new KernelImageBuilder(type, kernel.type, 'root');
      for (const f of fields) if (!b.set(f.path, f.value)) this.unresolved.add(`${root}: ${f.path}`);
      return b.build(this.space);
    };
    const regions: Region[] = [];
    const built = (x: { address: bigint; region: Region } | undefined): bigint => {
      if (x === undefined) return 0n;
      regions.push(x.region);
      return x.address;
    };
    switch (kernel.flavour) {
      case 'freebsd': {
        const bio = built(image('struct bio', bioFields(r)));
        const devstat = built(image('struct devstat', devstatFields(r)));
        return { args: [bio, devstat, ...new Array<bigint>(Math.max(0, count - 2)).fill(0n)].slice(0, count), regions };
      }
      case 'macos': {
        const buf = built(image('struct buf', macosBufFields(r)));
        return { args: new Array<bigint>(count).fill(buf), regions };
      }
      case 'illumos': {
        const buf = built(image('buf_t', illumosBufFields(r)));
        return { args: new Array<bigint>(count).fill(buf), regions };
      }
      default:
        return { args: new Array<bigint>(count).fill(0n), regions };
    }
  }
}

/** From a thread structure to its process, per flavour (pointer members followed in turn). */
const PROC_PATHS: Readonly<Record<string, readonly string[]>> = {
  illumos: ['t_procp'],
  freebsd: ['td_proc'],
  macos: ['task', 'bsd_info'],
};

/** The byte offsets of a chain of pointer members from curthread's structure, if the library has them. */
function offsetsOf(kernel: KernelTypes, path: readonly string[] | undefined): number[] | undefined {
  if (path === undefined) return undefined;
  const root = resolve(kernel.curthread);
  let type: CType | undefined = root.kind === 'pointer' ? root.to : undefined;
  const offsets: number[] = [];
  for (const name of path) {
    const s = type === undefined ? undefined : resolve(type);
    if (s === undefined || (s.kind !== 'struct' && s.kind !== 'union')) return undefined;
    const m = s.members?.find((x) => x.name === name);
    if (m === undefined) return undefined;
    offsets.push(m.offset);
    const p = resolve(m.type);
    type = p.kind === 'pointer' ? p.to : undefined;
  }
  return offsets;
}

/** illumos: buf_t with its device node (dev_info) and, when the file is known, its vnode. */
function illumosBufFields(r: IoRequest): ImageField[] {
  const B_BUSY = 0x0001;
  const B_READ = 0x0040;
  const B_WRITE = 0x0100;
  const f: ImageField[] = [
    { path: 'b_dip', value: { object: 'dip', type: 'struct dev_info' } },
    { path: 'b_flags', value: B_BUSY | (r.write ? B_WRITE : B_READ) },
    { path: 'b_bcount', value: r.bcount },
    { path: 'b_bufsize', value: r.bcount },
    { path: '_b_blkno', value: r.blkno },
    { path: 'b_lblkno', value: r.blkno },
    { path: 'b_resid', value: r.resid },
    { path: 'b_error', value: r.error },
    // dev_t: the major number above the 32-bit minor (io.d's translator undoes it).
    { path: 'b_edev', value: (BigInt(r.major) << 32n) | BigInt(r.minor) },
    { path: 'b_offset', value: r.offset },
    { path: 'b_dip->devi_instance', value: r.instance },
    { path: 'b_dip->devi_node_name', value: r.device },
    { path: 'b_dip->devi_binding_name', value: r.device },
    { path: 'b_dip->devi_major', value: r.major },
  ];
  if (r.path !== '') f.push({ path: 'b_vp->v_path', value: r.path });
  return f;
}

/** macOS: struct buf (B_READ is a bit, writing is its absence); the device is a dev_t only. */
function macosBufFields(r: IoRequest): ImageField[] {
  const B_READ = 0x1;
  const f: ImageField[] = [
    { path: 'b_flags', value: r.write ? 0 : B_READ },
    { path: 'b_bcount', value: r.bcount },
    { path: 'b_bufsize', value: r.bcount },
    { path: 'b_resid', value: r.resid },
    { path: 'b_error', value: r.error },
    { path: 'b_dev', value: ((r.major & 0xff) << 24) | (r.minor & 0xffffff) },
    { path: 'b_lblkno', value: r.blkno },
    { path: 'b_blkno', value: r.blkno },
  ];
  if (r.path !== '') f.push({ path: 'b_vp->v_name', value: r.path.slice(r.path.lastIndexOf('/') + 1) });
  return f;
}

/** FreeBSD: the request is a struct bio. */
function bioFields(r: IoRequest): ImageField[] {
  const BIO_READ = 1;
  const BIO_WRITE = 2;
  return [
    { path: 'bio_cmd', value: r.write ? BIO_WRITE : BIO_READ },
    { path: 'bio_bcount', value: r.bcount },
    { path: 'bio_length', value: r.bcount },
    { path: 'bio_resid', value: r.resid },
    { path: 'bio_error', value: r.error },
    { path: 'bio_pblkno', value: r.blkno },
    { path: 'bio_offset', value: r.blkno * 512n },
  ];
}

/** FreeBSD: the device's statistics structure names it (driver name and unit). */
function devstatFields(r: IoRequest): ImageField[] {
  const DEVSTAT_TYPE_DIRECT = 0x000;
  const DEVSTAT_TYPE_IF_SCSI = 0x010;
  return [
    { path: 'device_name', value: r.device },
    { path: 'unit_number', value: r.instance },
    { path: 'device_number', value: r.major },
    { path: 'device_type', value: DEVSTAT_TYPE_DIRECT | DEVSTAT_TYPE_IF_SCSI },
    { path: 'allocated', value: 1 },
  ];
}
