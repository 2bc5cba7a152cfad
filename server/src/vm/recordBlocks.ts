// What the flavour-independent record blocks a probe source puts in a firing's memory share
// (ioRequests.ts: a block I/O request, threadRecords.ts: a thread): an 8-byte magic, a
// little-endian fixed header, then NUL-terminated strings. One place for the magic check, the
// header read and the strings, so that each record module is only its layout.
import type { UserMemory } from './memory';

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A record kind: its 8-byte magic and the size of its fixed header (magic included). */
export interface RecordBlock {
  readonly magic: Uint8Array;
  readonly header: number;
}

export function recordBlock(magic: string, header: number): RecordBlock {
  const bytes = enc.encode(magic);
  if (bytes.length !== 8) throw new Error(`record magic ${JSON.stringify(magic)} is not 8 bytes`);
  return { magic: bytes, header };
}

/** A new block of `block.header + tail` bytes with the magic written, and a view over it. */
export function newRecord(block: RecordBlock, tail: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(block.header + tail);
  bytes.set(block.magic, 0);
  return { bytes, view: new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Whether `bytes` start with the block's magic. */
export function hasMagic(block: RecordBlock, bytes: Uint8Array): boolean {
  if (bytes.length < block.magic.length) return false;
  for (let i = 0; i < block.magic.length; i++) if (bytes[i] !== block.magic[i]) return false;
  return true;
}

/** The fixed header of the block at `address` (a view over it), if the memory holds one there. */
export function readHeader(block: RecordBlock, memory: UserMemory, address: bigint): DataView | undefined {
  const head = memory.read(address, block.header);
  if (head === undefined || !hasMagic(block, head)) return undefined;
  return new DataView(head.buffer, head.byteOffset, head.byteLength);
}

/** The fixed header of the block `bytes` hold (a view over it), if they are one. */
export function headerOf(block: RecordBlock, bytes: Uint8Array | undefined): DataView | undefined {
  if (bytes === undefined || bytes.length < block.header || !hasMagic(block, bytes)) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * Reads the NUL-terminated strings that follow a header, one after the other: from memory
 * (`next(max)`: undefined when a byte is missing first) or from bytes.
 */
export class StringCursor {
  private constructor(
    private readonly take: (at: number, max: number) => Uint8Array | undefined,
    private at: number,
  ) {}

  static inMemory(memory: UserMemory, address: bigint, offset: number): StringCursor {
    return new StringCursor((at, max) => memory.readCString(address + BigInt(at), max), offset);
  }

  static inBytes(bytes: Uint8Array, offset: number): StringCursor {
    return new StringCursor((at, max) => {
      const end = bytes.indexOf(0, at);
      return end < 0 || end - at > max ? undefined : bytes.subarray(at, end);
    }, offset);
  }

  /** The next string (decoded UTF-8), or undefined when it is missing or longer than `max`. */
  next(max: number): string | undefined {
    const bytes = this.take(this.at, max);
    if (bytes === undefined) return undefined;
    this.at += bytes.length + 1;
    return dec.decode(bytes);
  }
}

/** Strings recur in every record (device names, paths, execnames): encoded once (a bounded cache). */
const encoded = new Map<string, Uint8Array>();
export function utf8(text: string): Uint8Array {
  let bytes = encoded.get(text);
  if (bytes === undefined) {
    if (encoded.size >= 4096) encoded.clear();
    encoded.set(text, (bytes = enc.encode(text)));
  }
  return bytes;
}

/** Writes NUL-terminated strings from `at` (the block was sized for them); returns the end. */
export function putStrings(bytes: Uint8Array, at: number, strings: readonly Uint8Array[]): number {
  for (const s of strings) {
    bytes.set(s, at);
    at += s.length + 1;
  }
  return at;
}

/** A 64-bit field as two's complement: negative values keep their sign (-2 is 0xfffffffffffffffe). */
export function setInt64(view: DataView, at: number, value: bigint): void {
  view.setBigUint64(at, BigInt.asUintN(64, value), true);
}
