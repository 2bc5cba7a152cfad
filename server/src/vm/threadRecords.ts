// A thread as a probe source records it for a probe argument that points at a thread (the next
// thread of sched:::off-cpu): who it is, in one flavour-independent block that the firing's
// memory holds at the argument's address. The VM gives the argument the address of that
// thread's kernel image (threadImages.ts), as curthread is for the firing thread.
//
//   offset  size  field
//   0       8     magic "dtvmthr1"
//   8       4     pid
//   12      4     ppid
//   16      4     uid
//   20      4     gid
//   24      8     tid
//   32      4     cpu
//   36      4     flags: bit 0 = a kernel thread (an idle CPU's), bit 1 = the command line
//                 follows, bits 16-31 = its argc
//   40      ...   execname, NUL; then (bit 1) argc strings, each with its NUL
import type { ThreadContext } from './threadImages';
import type { RecordedMemory } from './ioRequests';

export const THREAD_RECORD_MAGIC = 'dtvmthr1';
const HEADER = 40;
const enc = new TextEncoder();
const dec = new TextDecoder();
const MAGIC_BYTES = enc.encode(THREAD_RECORD_MAGIC);

const HAS_ARGV = 2;
/** Arguments a record keeps (argc is 16 bits). */
const MAX_ARGC = 0xffff;

export function encodeThreadRecord(c: ThreadContext): Uint8Array {
  const name = enc.encode(c.execname);
  const argv = c.argv !== undefined && !c.kernel ? c.argv.slice(0, MAX_ARGC).map((a) => enc.encode(a)) : undefined;
  const argvBytes = argv?.reduce((n, a) => n + a.length + 1, 0) ?? 0;
  const bytes = new Uint8Array(HEADER + name.length + 1 + argvBytes);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint32(8, c.pid, true);
  view.setUint32(12, c.ppid, true);
  view.setUint32(16, c.uid, true);
  view.setUint32(20, c.gid, true);
  view.setUint32(24, c.tid % 4294967296, true);
  view.setUint32(28, Math.floor(c.tid / 4294967296), true);
  view.setUint32(32, c.cpu, true);
  view.setUint32(36, (c.kernel ? 1 : 0) | (argv !== undefined ? HAS_ARGV | (argv.length << 16) : 0), true);
  bytes.set(name, HEADER);
  let at = HEADER + name.length + 1;
  for (const a of argv ?? []) {
    bytes.set(a, at);
    at += a.length + 1;
  }
  return bytes;
}

/** The thread recorded at `address`, if the memory holds one there. */
export function readThreadRecord(memory: RecordedMemory, address: bigint): ThreadContext | undefined {
  const head = memory.read(address, HEADER);
  if (head === undefined) return undefined;
  for (let i = 0; i < MAGIC_BYTES.length; i++) if (head[i] !== MAGIC_BYTES[i]) return undefined;
  const name = memory.readCString(address + BigInt(HEADER), 256);
  if (name === undefined) return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const flags = view.getUint32(36, true);
  let argv: string[] | undefined;
  if ((flags & HAS_ARGV) !== 0) {
    argv = [];
    let at = address + BigInt(HEADER + name.length + 1);
    for (let i = 0; i < flags >>> 16; i++) {
      const arg = memory.readCString(at, 4096);
      if (arg === undefined) break;
      argv.push(dec.decode(arg));
      at += BigInt(arg.length + 1);
    }
  }
  return {
    pid: view.getUint32(8, true),
    ppid: view.getUint32(12, true),
    uid: view.getUint32(16, true),
    gid: view.getUint32(20, true),
    tid: view.getUint32(24, true) + view.getUint32(28, true) * 4294967296,
    cpu: view.getUint32(32, true),
    kernel: (flags & 1) !== 0,
    execname: dec.decode(name),
    ...(argv !== undefined ? { argv } : {}),
  };
}
