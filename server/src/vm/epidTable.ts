// What an EPID in a principal buffer stands for (the kernel's dtrace_epid_info, which libdtrace
// asks for every EPID it meets while walking a buffer). A buffer EPID names one enabling on one
// probe (the kernel's ECB); it is numbered here as pairs first record, so a glob enabling
// thousands of probes only numbers those that fire. 0 is DTRACE_EPIDNONE, the padding word, and
// the library's dtrace:::ERROR enabling, whose records report faults, has an EPID of its own.

import { ACT, type ActionDesc, type Enabling } from '../codegen/program';
import { RECORD_HEADER_SIZE, recordOffsets } from '../codegen/recordLayout';
import { DIF_TF_BYREF } from '../dif/variables';

/** DTRACE_EPIDNONE: an empty word (padding to a record's alignment). */
export const EPID_NONE = 0;
/** The library's ERROR enabling: `trace(arg1) ... trace(arg5)` (the faulting EPID, action, DIF offset, fault, value). */
export const EPID_FAULT = 1;
/** Where the ERROR record's five 64-bit values start (after the 12-byte header, 8-aligned). */
export const FAULT_ARGS_OFFSET = 16;

/** How one enabling's records sit in the buffer and how the consumer reads each back. */
export interface RecordShape {
  /** Per action: its record's offset from the record's start, -1 when it leaves none. */
  offsets: Int32Array;
  /** Per action: 1 when its record is bytes (strings, by-reference values, stacks, symbols), 0 an integer. */
  asBytes: Uint8Array;
}

/** Actions whose record is bytes whatever their DIF returns. */
const BYTE_RECORDS = new Set<number>([ACT.PRINTM, ACT.STACK, ACT.USTACK, ACT.JSTACK, ACT.USYM, ACT.UMOD, ACT.UADDR, ACT.TRACEMEM]);

function recordsAsBytes(a: ActionDesc): boolean {
  return BYTE_RECORDS.has(a.kind) || (a.difo !== undefined && (a.difo.returnType.flags & DIF_TF_BYREF) !== 0);
}

export function recordShape(e: Enabling): RecordShape {
  return {
    offsets: recordOffsets(e.actions).offsets,
    asBytes: Uint8Array.from(e.actions, (a) => (recordsAsBytes(a) ? 1 : 0)),
  };
}

export interface EpidInfo {
  enabling: Enabling;
  probeId: number;
  shape: RecordShape;
}

export class EpidTable {
  private readonly infos: (EpidInfo | undefined)[] = [undefined, undefined];

  /** The EPID of `enabling` on `probeId`, numbered on first use. */
  assign(enabling: Enabling, shape: RecordShape, probeId: number): number {
    this.infos.push({ enabling, probeId, shape });
    return this.infos.length - 1;
  }

  /** What a buffer EPID stands for (undefined: EPID_NONE, EPID_FAULT or not one of ours). */
  info(epid: number): EpidInfo | undefined {
    return this.infos[epid];
  }

  /**
   * Bytes a record with this EPID takes (the ERROR record's fixed size for EPID_FAULT); never
   * less than a header, so that every walk over a buffer's records moves on.
   */
  recordSize(epid: number): number {
    return epid === EPID_FAULT ? FAULT_RECORD_SIZE : Math.max(this.infos[epid]?.enabling.recordSize ?? 0, RECORD_HEADER_SIZE);
  }
}

/** Bytes the library's own `dtrace:::ERROR { trace(arg1) ... trace(arg5) }` enabling records. */
export const FAULT_RECORD_SIZE = 56;
