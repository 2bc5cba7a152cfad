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
//   36      4     flags: 1 = a kernel thread (an idle CPU's)
//   40      ...   execname, NUL
import type { ThreadContext } from './threadImages';
import type { RecordedMemory } from './ioRequests';

export const THREAD_RECORD_MAGIC = 'dtvmthr1';
const HEADER = 40;
const enc = new TextEncoder();
const dec = new TextDecoder();
const MAGIC_BYTES = enc.encode(THREAD_RECORD_MAGIC);

export function encodeThreadRecord(c: ThreadContext): Uint8Array {
  const name = enc.encode(c.execname);
  const bytes = new Uint8Array(HEADER + name.length + 1);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  view.setUint32(8, c.pid, true);
  view.setUint32(12, c.ppid, true);
  view.setUint32(16, c.uid, true);
  view.setUint32(20, c.gid, true);
  view.setUint32(24, c.tid % 4294967296, true);
  view.setUint32(28, Math.floor(c.tid / 4294967296), true);
  view.setUint32(32, c.cpu, true);
  view.setUint32(36, c.kernel ? 1 : 0, true);
  bytes.set(name, HEADER);
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
  return {
    pid: view.getUint32(8, true),
    ppid: view.getUint32(12, true),
    uid: view.getUint32(16, true),
    gid: view.getUint32(20, true),
    tid: view.getUint32(24, true) + view.getUint32(28, true) * 4294967296,
    cpu: view.getUint32(32, true),
    kernel: (view.getUint32(36, true) & 1) !== 0,
    execname: dec.decode(name),
  };
}
