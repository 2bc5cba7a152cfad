// What `curthread` points at: for each firing's thread, a modelled kernel image of the thread
// and its process (kernelImage.ts), filled per target system so that the flavour's translators
// (curpsinfo, curlwpsinfo, curcpu) and the usual chains scripts follow
// (`curthread->t_procp->p_pidp->pid_id`, `curthread->td_proc->p_pid`, `curproc->p_pid`,
// `curthread->real_parent->tgid`) agree with the built-in variables pid, tid, ppid, uid, gid,
// execname and cpu. Only facts the VM knows are filled; what a real kernel would hold beyond
// them (priorities, times, open files) reads as zero.
//
// Modelled choices, where a real system depends on how the process was started: a user
// process leads its own process group (pgid = pid, as a shell's job control makes it) in its
// parent's session (sid = ppid, the interactive shell); kernel threads belong to the system's
// process with group and session 0; the command line is known for dtrace(1) itself and, in a
// replay, for the processes whose exec the source recorded.
import type { KernelTypes } from '../codegen/program';
import { resolve } from '../analyze/types/ctype';
import type { FiringFacts } from './builtinValues';
import { KernelImageBuilder, type ImageField } from './kernelImage';
import { AddressSpace, type Region, type UserMemory } from './memory';

/** Who a firing's thread is, as far as the image shows it. */
export interface ThreadContext {
  pid: number;
  /** uint64, as the trace format's tid. */
  tid: bigint;
  ppid: number;
  uid: number;
  gid: number;
  execname: string;
  cpu: number;
  /** A kernel thread (an idle CPU's): the system process, no credentials or arguments of a user. */
  kernel: boolean;
  /** The process's command line, when known (dtrace(1)'s own). */
  argv?: readonly string[];
  /** The process's working directory, when known. */
  cwd?: string;
  /**
   * Where the process's user memory holds its command line (a replay's WithCommandLine put it
   * there): Linux's `mm->arg_start`. Undefined: the process has no argument area (dtrace(1)'s
   * own in BEGIN, a kernel thread), and on Linux no mm.
   */
  argStart?: bigint;
}

/** A key that tells thread contexts apart (the images' caches). */
export function threadContextKey(c: ThreadContext): string {
  return JSON.stringify(c, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
}

/**
 * x86-64 Linux's TASK_SIZE_MAX: the first address above user space, the start of the guard
 * page below the canonical hole. Nothing at or above it is user memory: copyin() of it faults
 * on a real kernel, and does in a replay.
 */
export const LINUX_TASK_SIZE = 0x7ffffffff000n;

/**
 * A firing's user memory with its process's command line where execve leaves it on x86-64
 * Linux without address randomization: the argument strings end just below the top of the
 * stack (TASK_SIZE less the 8-byte NULL execve puts last; here the file name and environment
 * strings, which traces do not record, are left out). That is the process's own memory, so
 * the Linux psinfo translator's `copyinstr(T->mm->arg_start)` reads it, as does a script's
 * copyin() of `curthread->mm->arg_start`, as on a real kernel; the guard page above stays
 * unmapped. Where recorded bytes overlap the argument area, the argument area wins.
 */
export class WithCommandLine implements UserMemory {
  /** mm->arg_start: the first byte of the command line. */
  readonly argStart: bigint;

  constructor(
    private readonly recorded: UserMemory | undefined,
    /** argv joined by spaces, with its NUL. */
    readonly line: Uint8Array,
  ) {
    this.argStart = LINUX_TASK_SIZE - 8n - BigInt(line.length);
  }

  read(address: bigint, size: number): Uint8Array | undefined {
    const offset = address - this.argStart;
    if (offset >= 0n && offset < BigInt(this.line.length)) {
      const at = Number(offset);
      return at + size <= this.line.length ? this.line.subarray(at, at + size) : undefined;
    }
    return this.recorded?.read(address, size);
  }

  readCString(address: bigint, max: number): Uint8Array | undefined {
    const offset = address - this.argStart;
    if (offset >= 0n && offset < BigInt(this.line.length)) {
      const at = Number(offset);
      const end = Math.min(this.line.length - 1, at + Math.max(0, max));
      return this.line.subarray(at, end);
    }
    return this.recorded?.readCString(address, max);
  }
}

/** An image for a thread the VM knows nothing about: zeroed memory (members 0, pointers NULL). */
const OPAQUE_THREAD_SIZE = 8192;
/** Distinct threads kept before the cache starts over (a long replay meets many). */
const MAX_IMAGES = 1024;

export class ThreadImages {
  private readonly cache = new Map<string, { address: bigint; region: Region }>();
  private opaque: bigint | undefined;
  /** The last firing's image: a clause often reads curthread several times. */
  private last: { facts: FiringFacts; address: bigint } | undefined;
  /** Paths of the flavour's fields the library's structures lack (tests check there are none). */
  readonly unresolved = new Set<string>();

  constructor(
    private readonly space: AddressSpace,
    private readonly kernel: KernelTypes | undefined,
  ) {}

  /** curthread for a firing. */
  address(f: FiringFacts): bigint {
    if (this.last?.facts === f) return this.last.address;
    const address = this.addressOf(contextOf(f));
    this.last = { facts: f, address };
    return address;
  }

  addressOf(ctx: ThreadContext): bigint {
    const root = this.kernel === undefined ? undefined : resolve(this.kernel.curthread);
    if (this.kernel === undefined || root?.kind !== 'pointer') return this.opaqueAddress();
    const key = threadContextKey(ctx);
    const hit = this.cache.get(key);
    if (hit !== undefined) return hit.address;
    const b = new KernelImageBuilder(root.to, this.kernel.type, 'thread');
    for (const { path, value } of threadFields(this.kernel.flavour, ctx, this.kernel)) {
      if (!b.set(path, value)) this.unresolved.add(path);
    }
    const built = b.build(this.space);
    this.cache.set(key, built);
    return built.address;
  }

  /** Between firings only (a firing's DIF may hold an image's addresses): bound the cache. */
  trimIfFull(): void {
    if (this.cache.size < MAX_IMAGES) return;
    for (const e of this.cache.values()) this.space.unmap(e.region);
    this.cache.clear();
    this.last = undefined;
  }

  private opaqueAddress(): bigint {
    this.opaque ??= AddressSpace.address(this.space.map('kernel', new Uint8Array(0), false, OPAQUE_THREAD_SIZE));
    return this.opaque;
  }
}

function contextOf(f: FiringFacts): ThreadContext {
  // The argument area is a property of the memory object, not a read of it.
  const argStart = f.argv !== undefined && f.userMemory instanceof WithCommandLine ? f.userMemory.argStart : undefined;
  return {
    pid: f.pid,
    tid: BigInt(f.tid),
    ppid: f.ppid,
    uid: f.uid,
    gid: f.gid,
    execname: f.execname,
    cpu: f.cpu,
    kernel: f.kernelThread === true,
    ...(f.argv !== undefined ? { argv: f.argv } : {}),
    ...(f.cwd !== undefined ? { cwd: f.cwd } : {}),
    ...(argStart !== undefined ? { argStart } : {}),
  };
}

/** The members each target system's image fills, in an order that names shared objects first. */
export function threadFields(flavour: string, ctx: ThreadContext, kernel?: KernelTypes): ImageField[] {
  switch (flavour) {
    case 'freebsd':
      return freebsdFields(ctx);
    case 'macos':
      return macosFields(ctx);
    case 'linux':
      return linuxFields(ctx);
    default:
      return illumosFields(ctx, kernel);
  }
}

const pgidOf = (c: ThreadContext): number => (c.kernel ? 0 : c.pid);
const sidOf = (c: ThreadContext): number => (c.kernel ? 0 : c.ppid);
const argvOf = (c: ThreadContext): readonly string[] => c.argv ?? [c.execname];

/** illumos: kthread_t, its proc_t (with the user area and pid structures), cred, task, zone, cpu. */
function illumosFields(c: ThreadContext, kernel?: KernelTypes): ImageField[] {
  const TS_ONPROC = 4;
  const SSYS = 1;
  const SRUN = 2;
  // p_model holds DATAMODEL_LP64 (0x00200000); a library that declares it as a char keeps the
  // value shifted down by 20, as its DATAMODEL_ inlines do.
  const model = kernel?.type('proc_t') !== undefined && memberSize(kernel, 'proc_t', 'p_model') === 1 ? 2 : 0x00200000;
  const psargs = argvOf(c).join(' ');
  const f: ImageField[] = [
    { path: 't_procp', value: { object: 'proc' } },
    { path: 't_cred', value: { object: 'cred' } },
    { path: 't_task', value: { object: 'task' } },
    { path: 't_cpu', value: { object: 'cpu' } },
    { path: 't_procp->p_cred', value: { object: 'cred' } },
    { path: 't_procp->p_task', value: { object: 'task' } },
    { path: 't_procp->p_zone', value: { object: 'zone' } },
    { path: 't_procp->p_tlist', value: { object: 'thread' } },
    { path: 't_procp->p_cred->cr_zone', value: { object: 'zone' } },
    { path: 't_tid', value: c.tid },
    { path: 't_state', value: TS_ONPROC },
    { path: 't_bind_cpu', value: -1 },
    { path: 't_bind_pset', value: -1 },
    { path: 't_cpu->cpu_id', value: c.cpu },
    { path: 't_cpu->cpu_seqid', value: c.cpu },
    { path: 't_cpu->cpu_thread', value: { object: 'thread' } },
    { path: 't_cpu->cpu_part->cp_id', value: 0 },
    { path: 't_cpu->cpu_type_info.pi_processor_type', value: 'i386' },
    { path: 't_cpu->cpu_type_info.pi_fputypes', value: 'i387 compatible' },
    { path: 't_procp->p_pidp->pid_id', value: c.pid },
    { path: 't_procp->p_pgidp->pid_id', value: pgidOf(c) },
    { path: 't_procp->p_sessp->s_sidp->pid_id', value: sidOf(c) },
    { path: 't_procp->p_ppid', value: c.ppid },
    { path: 't_procp->p_parent->p_pidp->pid_id', value: c.ppid },
    { path: 't_procp->p_flag', value: c.kernel ? SSYS : 0 },
    { path: 't_procp->p_stat', value: SRUN },
    { path: 't_procp->p_lwpcnt', value: 1 },
    { path: 't_procp->p_model', value: model },
    { path: 't_procp->p_user.u_comm', value: c.execname },
    { path: 't_procp->p_user.u_psargs', value: psargs },
    { path: 't_procp->p_user.u_argc', value: c.kernel ? 0 : argvOf(c).length },
    ...['cr_uid', 'cr_ruid', 'cr_suid'].map((m) => ({ path: `t_procp->p_cred->${m}`, value: c.uid })),
    ...['cr_gid', 'cr_rgid', 'cr_sgid'].map((m) => ({ path: `t_procp->p_cred->${m}`, value: c.gid })),
    { path: 't_procp->p_cred->cr_ngroups', value: 1 },
    { path: 't_procp->p_task->tk_tkid', value: 0 },
    // Projects: system (0) for the kernel, user.root (1) for root, default (3) for the rest.
    { path: 't_procp->p_task->tk_proj->kpj_id', value: c.kernel ? 0 : c.uid === 0 ? 1 : 3 },
    { path: 't_procp->p_task->tk_nprocs', value: 1 },
    { path: 't_procp->p_pool->pool_id', value: 0 },
    { path: 't_procp->p_zone->zone_id', value: 0 },
    { path: 't_procp->p_zone->zone_name', value: 'global' },
    { path: 't_procp->p_zone->zone_rootpath', value: '/' },
  ];
  if (!c.kernel) {
    f.push({ path: 't_lwp->lwp_thread', value: { object: 'thread' } }, { path: 't_lwp->lwp_procp', value: { object: 'proc' } });
  }
  return f;
}

/** FreeBSD: struct thread, its struct proc (pgrp, session, credentials, jail, ABI, arguments). */
function freebsdFields(c: ThreadContext): ImageField[] {
  const TDS_RUNNING = 4;
  const PRS_NORMAL = 1;
  const P_SYSTEM = 0x200;
  const P_KPROC = 0x4;
  const SV_LP64 = 0x200;
  const f: ImageField[] = [
    { path: 'td_proc', value: { object: 'proc' } },
    { path: 'td_ucred', value: { object: 'cred' } },
    { path: 'td_proc->p_ucred', value: { object: 'cred' } },
    { path: 'td_proc->p_leader', value: { object: 'proc' } },
    { path: 'td_tid', value: c.tid },
    // A kernel process's threads are named for what they do; idle's for their CPU.
    { path: 'td_name', value: c.kernel ? `${c.execname}: cpu${c.cpu}` : c.execname },
    { path: 'td_state', value: TDS_RUNNING },
    { path: 'td_oncpu', value: c.cpu },
    { path: 'td_lastcpu', value: c.cpu },
    { path: 'td_proc->p_pid', value: c.pid },
    { path: 'td_proc->p_comm', value: c.execname },
    { path: 'td_proc->p_flag', value: c.kernel ? P_SYSTEM | P_KPROC : 0 },
    { path: 'td_proc->p_state', value: PRS_NORMAL },
    { path: 'td_proc->p_numthreads', value: 1 },
    { path: 'td_proc->p_pptr->p_pid', value: c.ppid },
    { path: 'td_proc->p_pgrp->pg_id', value: pgidOf(c) },
    { path: 'td_proc->p_pgrp->pg_session->s_sid', value: sidOf(c) },
    ...['cr_uid', 'cr_ruid', 'cr_svuid'].map((m) => ({ path: `td_proc->p_ucred->${m}`, value: c.uid })),
    ...['cr_gid', 'cr_rgid', 'cr_svgid'].map((m) => ({ path: `td_proc->p_ucred->${m}`, value: c.gid })),
    { path: 'td_proc->p_ucred->cr_ngroups', value: 1 },
    { path: 'td_proc->p_ucred->cr_ref', value: 1 },
    // Every credential names a jail; outside any, prison0 (id 0, named "0").
    { path: 'td_proc->p_ucred->cr_prison->pr_id', value: 0 },
    { path: 'td_proc->p_ucred->cr_prison->pr_name', value: '0' },
    { path: 'td_proc->p_ucred->cr_prison->pr_path', value: '/' },
    // Open files are not modelled: an empty descriptor table (fds[n] reads as "<none>").
    { path: 'td_proc->p_fd->fd_files->fdt_nfiles', value: 0 },
    { path: 'td_proc->p_sysent->sv_flags', value: c.kernel ? 0 : SV_LP64 },
    { path: 'td_proc->p_sysent->sv_name', value: c.kernel ? 'null' : 'FreeBSD ELF64' },
  ];
  // Kernel processes have no saved arguments (p_args NULL); a user process keeps its argv
  // NUL-separated, ar_length counting every NUL.
  if (!c.kernel) {
    const args = new TextEncoder().encode(argvOf(c).map((a) => a + '\0').join(''));
    f.push({ path: 'td_proc->p_args->ar_ref', value: 1 }, { path: 'td_proc->p_args->ar_length', value: args.length }, { path: 'td_proc->p_args->ar_args', value: args });
  }
  return f;
}

/** macOS: the Mach thread, its task and BSD process (through task->bsd_info), uthread, processor. */
function macosFields(c: ThreadContext): ImageField[] {
  const TH_RUN = 4;
  const P_LP64 = 0x4;
  const P_SYSTEM = 0x200;
  const SRUN = 2;
  const f: ImageField[] = [
    { path: 'task', value: { object: 'task' } },
    { path: 'task->bsd_info', value: { object: 'proc', type: 'struct proc' } },
    { path: 'uthread', value: { object: 'uthread', type: 'struct uthread' } },
    { path: 'last_processor', value: { object: 'cpu' } },
    { path: 'task->bsd_info->task', value: { object: 'task' } },
    { path: 'thread_id', value: c.tid },
    { path: 'state', value: TH_RUN },
    { path: 'last_processor->cpu_id', value: c.cpu },
    { path: 'last_processor->active_thread', value: { object: 'thread' } },
    { path: 'task->thread_count', value: 1 },
    { path: 'task->bsd_info->p_pid', value: c.pid },
    { path: 'task->bsd_info->p_ppid', value: c.ppid },
    { path: 'task->bsd_info->p_pgrpid', value: pgidOf(c) },
    ...['p_uid', 'p_ruid', 'p_svuid'].map((m) => ({ path: `task->bsd_info->${m}`, value: c.uid })),
    ...['p_gid', 'p_rgid', 'p_svgid'].map((m) => ({ path: `task->bsd_info->${m}`, value: c.gid })),
    { path: 'task->bsd_info->p_pgrp->pg_id', value: pgidOf(c) },
    { path: 'task->bsd_info->p_pgrp->pg_session->s_sid', value: sidOf(c) },
    ...['cr_uid', 'cr_ruid', 'cr_svuid'].map((m) => ({ path: `task->bsd_info->p_ucred->cr_posix.${m}`, value: c.uid })),
    ...['cr_groups[0]', 'cr_rgid', 'cr_svgid'].map((m) => ({ path: `task->bsd_info->p_ucred->cr_posix.${m}`, value: c.gid })),
    { path: 'task->bsd_info->p_ucred->cr_posix.cr_ngroups', value: 1 },
    { path: 'task->bsd_info->p_ucred->cr_ref', value: 1 },
    { path: 'task->bsd_info->p_flag', value: P_LP64 | (c.kernel ? P_SYSTEM : 0) },
    { path: 'task->bsd_info->p_stat', value: SRUN },
    { path: 'task->bsd_info->p_argc', value: c.kernel ? 0 : argvOf(c).length },
    { path: 'task->bsd_info->p_comm', value: c.execname },
    { path: 'task->bsd_info->p_name', value: c.execname },
  ];
  // The working directory's vnode carries only its last name component (none for "/").
  const name = c.cwd === undefined ? undefined : c.cwd.split('/').filter((s) => s !== '').pop();
  f.push({ path: 'task->bsd_info->p_fd->fd_cdir->v_type', value: 2 /* VDIR */ });
  // Open files are not modelled: no descriptor is open (fds[n] reads as "<none>").
  f.push({ path: 'task->bsd_info->p_fd->fd_lastfile', value: -1 });
  if (name !== undefined) f.push({ path: 'task->bsd_info->p_fd->fd_cdir->v_name', value: name });
  return f;
}

/** Linux: task_struct with its parent, group leader and credentials. */
function linuxFields(c: ThreadContext): ImageField[] {
  const PF_KTHREAD = 0x00200000;
  const f: ImageField[] = [
    { path: 'real_parent', value: { object: 'parent' } },
    { path: 'parent', value: { object: 'parent' } },
    { path: 'group_leader', value: { object: c.tid === BigInt(c.pid) ? 'thread' : 'leader' } },
    { path: 'cred', value: { object: 'cred' } },
    { path: 'real_cred', value: { object: 'cred' } },
    { path: 'pid', value: c.tid },
    { path: 'tgid', value: c.pid },
    { path: 'comm', value: c.execname },
    { path: '__state', value: 0 /* TASK_RUNNING */ },
    // The library's lwpsinfo_t reads the CPU from on_cpu.
    { path: 'on_cpu', value: c.cpu },
    { path: 'flags', value: c.kernel ? PF_KTHREAD : 0 },
    { path: 'real_parent->pid', value: c.ppid },
    { path: 'real_parent->tgid', value: c.ppid },
    ...['uid', 'suid', 'euid', 'fsuid'].map((m) => ({ path: `cred->${m}.val`, value: c.uid })),
    ...['gid', 'sgid', 'egid', 'fsgid'].map((m) => ({ path: `cred->${m}.val`, value: c.gid })),
  ];
  if (!c.kernel) f.push(...['prio', 'static_prio', 'normal_prio'].map((m) => ({ path: m, value: 120 /* nice 0 */ })));
  if (c.tid !== BigInt(c.pid)) {
    f.push({ path: 'group_leader->pid', value: c.pid }, { path: 'group_leader->tgid', value: c.pid }, { path: 'group_leader->comm', value: c.execname });
  }
  // A user process's mm, when its user memory holds its command line (WithCommandLine):
  // psinfo's pr_psargs copies it in from arg_start. Without it there is no mm and pr_psargs
  // falls back to comm.
  if (c.argStart !== undefined && !c.kernel) {
    const length = new TextEncoder().encode(argvOf(c).join(' ')).length + 1;
    f.push({ path: 'mm', value: { object: 'mm' } }, { path: 'mm->arg_start', value: c.argStart }, { path: 'mm->arg_end', value: c.argStart + BigInt(length) });
  }
  return f;
}

function memberSize(kernel: KernelTypes, type: string, member: string): number | undefined {
  const t = kernel.type(type);
  const r = t === undefined ? undefined : resolve(t);
  if (r === undefined || (r.kind !== 'struct' && r.kind !== 'union')) return undefined;
  const m = r.members?.find((x) => x.name === member);
  if (m === undefined) return undefined;
  const mt = resolve(m.type);
  return mt.kind === 'int' ? mt.size : undefined;
}
