// A thread as a probe source records it for a probe argument that points at a thread (the next
// thread of sched:::off-cpu): who it is, in one flavour-independent block that the firing's
// memory holds at the argument's address. The VM gives the argument the address of that
// thread's kernel image (threadImages.ts), as curthread is for the firing thread.
//
//   offset  size  field
//   0       8     magic "dtvmthr1"
//   8       4     pid         int32
//   12      4     ppid        int32
//   16      4     uid         uint32 (uid_t: -1 is written as 0xffffffff and reads 4294967295)
//   20      4     gid         uint32 (gid_t, likewise)
//   24      8     tid         uint64
//   32      4     cpu
//   36      4     flags: bit 0 = a kernel thread (an idle CPU's), bit 1 = the command line
//                 follows, bits 16-31 = its argc
//   40      ...   execname, NUL; then (bit 1) argc strings, each with its NUL
//
// pid and ppid are signed (pid_t), so a record of pid -1 reads back -1; uid and gid are
// unsigned like the trace format's and D's uid_t/gid_t.
import type { UserMemory } from './memory';
import { newRecord, putStrings, readHeader, recordBlock, StringCursor, utf8 } from './recordBlocks';
import type { ThreadContext } from './threadImages';

export const THREAD_RECORD_MAGIC = 'dtvmthr1';
const BLOCK = recordBlock(THREAD_RECORD_MAGIC, 40);
const enc = new TextEncoder();

const KERNEL = 1;
const HAS_ARGV = 2;
/** Arguments a record keeps (argc is 16 bits). */
const MAX_ARGC = 0xffff;
const MAX_EXECNAME = 256;
const MAX_ARG = 4096;
const U64_LIMIT = 1n << 64n;

function int32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`thread record ${name} ${v} is not a 32-bit pid`);
  return v;
}

/** uid_t/gid_t: 0 … 2^32-1, and -1 for (uid_t)-1. */
function id32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < -1 || v > 0xffffffff) throw new RangeError(`thread record ${name} ${v} is not a 32-bit id`);
  return v >>> 0;
}

export function encodeThreadRecord(c: ThreadContext): Uint8Array {
  if (c.tid < 0n || c.tid >= U64_LIMIT) throw new RangeError(`thread record tid ${c.tid} is not an unsigned 64-bit value`);
  const name = utf8(c.execname);
  const argv = c.argv !== undefined && !c.kernel ? c.argv.slice(0, MAX_ARGC).map((a) => enc.encode(a)) : undefined;
  const argvBytes = argv?.reduce((n, a) => n + a.length + 1, 0) ?? 0;
  const { bytes, view } = newRecord(BLOCK, name.length + 1 + argvBytes);
  view.setInt32(8, int32('pid', c.pid), true);
  view.setInt32(12, int32('ppid', c.ppid), true);
  view.setUint32(16, id32('uid', c.uid), true);
  view.setUint32(20, id32('gid', c.gid), true);
  view.setBigUint64(24, c.tid, true);
  view.setUint32(32, c.cpu, true);
  view.setUint32(36, (c.kernel ? KERNEL : 0) | (argv !== undefined ? HAS_ARGV | (argv.length << 16) : 0), true);
  putStrings(bytes, BLOCK.header, [name, ...(argv ?? [])]);
  return bytes;
}

/** The thread recorded at `address`, if the memory holds one there. */
export function readThreadRecord(memory: UserMemory, address: bigint): ThreadContext | undefined {
  const view = readHeader(BLOCK, memory, address);
  if (view === undefined) return undefined;
  const strings = StringCursor.inMemory(memory, address, BLOCK.header);
  const execname = strings.next(MAX_EXECNAME);
  if (execname === undefined) return undefined;
  const flags = view.getUint32(36, true);
  let argv: string[] | undefined;
  if ((flags & HAS_ARGV) !== 0) {
    argv = [];
    for (let i = 0; i < flags >>> 16; i++) {
      const arg = strings.next(MAX_ARG);
      if (arg === undefined) break;
      argv.push(arg);
    }
  }
  return {
    pid: view.getInt32(8, true),
    ppid: view.getInt32(12, true),
    uid: view.getUint32(16, true),
    gid: view.getUint32(20, true),
    tid: view.getBigUint64(24, true),
    cpu: view.getUint32(32, true),
    kernel: (flags & KERNEL) !== 0,
    execname,
    ...(argv !== undefined ? { argv } : {}),
  };
}
