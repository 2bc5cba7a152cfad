// A block I/O request as a probe source records it: the facts every flavour's io translators
// read (size, direction, block, device, file), in one flavour-independent little-endian block
// that a firing's memory holds at the address its io arguments carry. The VM turns it into the
// target system's own structures (argumentImages.ts), so a workload or a recording made once
// replays on illumos, FreeBSD and macOS alike.
//
//   offset  size  field
//   0       8     magic "dtvmio1\0"
//   8       8     bcount      bytes requested (uint64)
//   16      8     blkno       device block, 512-byte units (uint64)
//   24      8     offset      byte offset in the file (int64; -1: none)
//   32      4     flags       1 read, 2 write
//   36      4     error       errno of a failed request (done only)
//   40      8     resid       bytes not transferred (uint64, done only)
//   48      4     major
//   52      4     minor
//   56      4     instance
//   60      4     reserved (0)
//   64      ...   device name, NUL; then the file's path, NUL ("" when unknown)
//
// The 64-bit fields are bigints end to end: a request of 2^53 + 1 bytes or at block 2^63 reads
// back exactly.
import type { UserMemory } from './memory';
import { headerOf, newRecord, readHeader, recordBlock, setInt64, StringCursor, utf8 } from './recordBlocks';

export const IO_REQUEST_MAGIC = 'dtvmio1\0';
const BLOCK = recordBlock(IO_REQUEST_MAGIC, 64);
/** The longest device name and path a reader looks at. */
const MAX_DEVICE = 256;
const MAX_PATH = 1024;

export interface IoRequest {
  /** Bytes requested (uint64). */
  readonly bcount: bigint;
  /** Device block in 512-byte units (uint64). */
  readonly blkno: bigint;
  /** Byte offset in the file, -1n when there is none (int64). */
  readonly offset: bigint;
  readonly write: boolean;
  readonly error: number;
  /** Bytes not transferred (uint64). */
  readonly resid: bigint;
  readonly major: number;
  readonly minor: number;
  readonly instance: number;
  /** Driver name: the device is `${name}${instance}` ("sd0"). */
  readonly device: string;
  /** The file the request belongs to ("" when unknown). */
  readonly path: string;
}

const U64_LIMIT = 1n << 64n;
const I64_LIMIT = 1n << 63n;

function unsigned64(name: string, v: bigint): bigint {
  if (v < 0n || v >= U64_LIMIT) throw new RangeError(`io request ${name} ${v} is not an unsigned 64-bit value`);
  return v;
}

function unsigned32(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`io request ${name} ${v} is not an unsigned 32-bit value`);
  return v;
}

export function encodeIoRequest(r: IoRequest): Uint8Array {
  const name = utf8(r.device);
  const path = utf8(r.path);
  if (r.offset < -I64_LIMIT || r.offset >= I64_LIMIT) throw new RangeError(`io request offset ${r.offset} is not a signed 64-bit value`);
  const { bytes, view } = newRecord(BLOCK, name.length + 1 + path.length + 1);
  view.setBigUint64(8, unsigned64('bcount', r.bcount), true);
  view.setBigUint64(16, unsigned64('blkno', r.blkno), true);
  setInt64(view, 24, r.offset);
  view.setUint32(32, r.write ? 2 : 1, true);
  view.setUint32(36, unsigned32('error', r.error), true);
  view.setBigUint64(40, unsigned64('resid', r.resid), true);
  view.setUint32(48, unsigned32('major', r.major), true);
  view.setUint32(52, unsigned32('minor', r.minor), true);
  view.setUint32(56, unsigned32('instance', r.instance), true);
  bytes.set(name, BLOCK.header);
  bytes.set(path, BLOCK.header + name.length + 1);
  return bytes;
}

/** The request from its header and its two strings. */
function requestOf(view: DataView, strings: StringCursor): IoRequest | undefined {
  const device = strings.next(MAX_DEVICE);
  if (device === undefined) return undefined;
  const path = strings.next(MAX_PATH);
  if (path === undefined) return undefined;
  return {
    bcount: view.getBigUint64(8, true),
    blkno: view.getBigUint64(16, true),
    offset: view.getBigInt64(24, true),
    write: view.getUint32(32, true) === 2,
    error: view.getUint32(36, true),
    resid: view.getBigUint64(40, true),
    major: view.getUint32(48, true),
    minor: view.getUint32(52, true),
    instance: view.getUint32(56, true),
    device,
    path,
  };
}

/** The request in `bytes` (what a firing's memory holds at its io argument), or undefined when they are not one. */
export function decodeIoRequest(bytes: Uint8Array | undefined): IoRequest | undefined {
  const view = headerOf(BLOCK, bytes);
  return view === undefined ? undefined : requestOf(view, StringCursor.inBytes(bytes!, BLOCK.header));
}

/** The request recorded at `address`, if the memory holds one there. */
export function readIoRequest(memory: UserMemory, address: bigint): IoRequest | undefined {
  const view = readHeader(BLOCK, memory, address);
  return view === undefined ? undefined : requestOf(view, StringCursor.inMemory(memory, address, BLOCK.header));
}

/** A key that tells requests apart (a cache of their images). */
export function ioRequestKey(r: IoRequest): string {
  return `${r.bcount}|${r.blkno}|${r.offset}|${r.write ? 1 : 0}|${r.error}|${r.resid}|${r.major}|${r.minor}|${r.instance}|${r.device}\0${r.path}`;
}
