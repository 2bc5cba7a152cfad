// A block I/O request as a probe source records it: the facts every flavour's io translators
// read (size, direction, block, device, file), in one flavour-independent little-endian block
// that a firing's memory holds at the address its io arguments carry. The VM turns it into the
// target system's own structures (argumentImages.ts), so a workload or a recording made once
// replays on illumos, FreeBSD and macOS alike.
//
//   offset  size  field
//   0       8     magic "dtvmio1\0"
//   8       8     bcount      bytes requested
//   16      8     blkno       device block (512-byte units)
//   24      8     offset      byte offset in the file (-1: none)
//   32      4     flags       1 read, 2 write
//   36      4     error       errno of a failed request (done only)
//   40      8     resid       bytes not transferred (done only)
//   48      4     major
//   52      4     minor
//   56      4     instance
//   60      4     reserved (0)
//   64      ...   device name, NUL; then the file's path, NUL ("" when unknown)

export const IO_REQUEST_MAGIC = 'dtvmio1\0';
const HEADER = 64;

export interface IoRequest {
  readonly bcount: number;
  readonly blkno: number;
  readonly offset: number;
  readonly write: boolean;
  readonly error: number;
  readonly resid: number;
  readonly major: number;
  readonly minor: number;
  readonly instance: number;
  /** Driver name: the device is `${name}${instance}` ("sd0"). */
  readonly device: string;
  /** The file the request belongs to ("" when unknown). */
  readonly path: string;
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const MAGIC_BYTES = enc.encode(IO_REQUEST_MAGIC);

/** Device names and paths recur in every request: encoded once (a bounded cache). */
const encoded = new Map<string, Uint8Array>();
function utf8(text: string): Uint8Array {
  let bytes = encoded.get(text);
  if (bytes === undefined) {
    if (encoded.size >= 4096) encoded.clear();
    encoded.set(text, (bytes = enc.encode(text)));
  }
  return bytes;
}

export function encodeIoRequest(r: IoRequest): Uint8Array {
  const name = utf8(r.device);
  const path = utf8(r.path);
  const bytes = new Uint8Array(HEADER + name.length + 1 + path.length + 1);
  const view = new DataView(bytes.buffer);
  bytes.set(MAGIC_BYTES, 0);
  // Values below 2^53 as two 32-bit halves: no BigInt on the workload's per-request path.
  setUint64(view, 8, r.bcount);
  setUint64(view, 16, r.blkno);
  setUint64(view, 24, r.offset < 0 ? -1 : r.offset);
  view.setUint32(32, r.write ? 2 : 1, true);
  view.setUint32(36, r.error, true);
  setUint64(view, 40, r.resid);
  view.setUint32(48, r.major, true);
  view.setUint32(52, r.minor, true);
  view.setUint32(56, r.instance, true);
  bytes.set(name, HEADER);
  bytes.set(path, HEADER + name.length + 1);
  return bytes;
}

function setUint64(view: DataView, at: number, v: number): void {
  if (v < 0) {
    view.setInt32(at, -1, true);
    view.setInt32(at + 4, -1, true);
    return;
  }
  view.setUint32(at, v % 4294967296, true);
  view.setUint32(at + 4, Math.floor(v / 4294967296), true);
}

/** The request in `bytes` (what a firing's memory holds at its io argument), or undefined when they are not one. */
export function decodeIoRequest(bytes: Uint8Array | undefined): IoRequest | undefined {
  if (bytes === undefined || bytes.length < HEADER + 2) return undefined;
  for (let i = 0; i < IO_REQUEST_MAGIC.length; i++) if (bytes[i] !== IO_REQUEST_MAGIC.charCodeAt(i)) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const nameEnd = bytes.indexOf(0, HEADER);
  if (nameEnd < 0) return undefined;
  const pathEnd = bytes.indexOf(0, nameEnd + 1);
  if (pathEnd < 0) return undefined;
  const flags = view.getUint32(32, true);
  return {
    bcount: Number(view.getBigUint64(8, true)),
    blkno: Number(view.getBigUint64(16, true)),
    offset: Number(view.getBigInt64(24, true)),
    write: flags === 2,
    error: view.getUint32(36, true),
    resid: Number(view.getBigUint64(40, true)),
    major: view.getUint32(48, true),
    minor: view.getUint32(52, true),
    instance: view.getUint32(56, true),
    device: dec.decode(bytes.subarray(HEADER, nameEnd)),
    path: dec.decode(bytes.subarray(nameEnd + 1, pathEnd)),
  };
}

/** How many bytes of memory a reader must fetch at the argument to see a whole request (generous). */
export const IO_REQUEST_MAX_BYTES = HEADER + 256 + 1024;

/** What a firing's recorded memory offers (a trace's TraceMemory). */
export interface RecordedMemory {
  read(address: bigint, size: number): Uint8Array | undefined;
  readCString(address: bigint, max: number): Uint8Array | undefined;
}

/** The request recorded at `address`, if the memory holds one there. */
export function readIoRequest(memory: RecordedMemory, address: bigint): IoRequest | undefined {
  const head = memory.read(address, HEADER);
  if (head === undefined) return undefined;
  for (let i = 0; i < MAGIC_BYTES.length; i++) if (head[i] !== MAGIC_BYTES[i]) return undefined;
  const name = memory.readCString(address + BigInt(HEADER), 256);
  if (name === undefined) return undefined;
  const path = memory.readCString(address + BigInt(HEADER + name.length + 1), 1024);
  if (path === undefined) return undefined;
  return decodeIoRequest(memory.read(address, HEADER + name.length + 1 + path.length + 1));
}
