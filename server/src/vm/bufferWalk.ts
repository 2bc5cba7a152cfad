// Reading a principal buffer's bytes back as libdtrace does (dt_consume_cpu): at each offset an
// EPID word; an empty one is padding, any other starts a record whose size, enabling and probe
// the EPID table gives; the header's timestamp, then each action's record at its offset in the
// enabling's layout. The library ERROR enabling's records become fault reports.

import { EPID_FAULT, EPID_NONE, FAULT_ARGS_OFFSET } from './epidTable';
import type { BufferContents, FaultReport, FiringData, RecordValue } from './records';

/** The first record at or after `at` (empty EPID words are padding), `end` when none is left. */
export function recordFrom(view: DataView, at: number, end: number): number {
  while (at + 4 <= end && view.getUint32(at, true) === EPID_NONE) at += 4;
  return at + 4 <= end ? at : end;
}

export type BufferRecord = { kind: 'firing'; data: FiringData } | { kind: 'fault'; report: FaultReport };

/** The records in buffer order. Byte values are views of `c.bytes` (valid as long as they are). */
export function readBuffer(c: BufferContents): BufferRecord[] {
  const out: BufferRecord[] = [];
  const { view, bytes, epids } = c;
  for (let at = recordFrom(view, c.start, c.end); at < c.end; at = recordFrom(view, at, c.end)) {
    const epid = view.getUint32(at, true);
    const timestamp = (BigInt(view.getUint32(at + 4, true)) << 32n) | BigInt(view.getUint32(at + 8, true));
    if (epid === EPID_FAULT) {
      const arg = (k: number): bigint => view.getBigUint64(at + FAULT_ARGS_OFFSET + 8 * k, true);
      const faulted = epids.info(Number(arg(0)));
      if (faulted === undefined) throw new Error(`principal buffer: the fault record at ${at} names no EPID`);
      out.push({
        kind: 'fault',
        report: {
          epid: faulted.enabling.epid,
          probeId: faulted.probeId,
          cpu: c.cpu,
          action: Number(arg(1)) - 1,
          difOffset: Number(BigInt.asIntN(64, arg(2))),
          fault: Number(arg(3)),
          value: arg(4),
        },
      });
      at += epids.recordSize(epid);
      continue;
    }
    const info = epids.info(epid);
    if (info === undefined) throw new Error(`principal buffer: no enabling has EPID ${epid} (offset ${at})`);
    const { enabling, shape } = info;
    const actions = enabling.actions;
    const records: RecordValue[] = new Array<RecordValue>(actions.length);
    for (let i = 0; i < actions.length; i++) {
      const offset = shape.offsets[i]!;
      const size = actions[i]!.size;
      if (offset < 0) records[i] = 0n;
      else if (shape.asBytes[i] === 1) records[i] = bytes.subarray(at + offset, at + offset + size);
      else records[i] = integerAt(view, at + offset, size);
    }
    out.push({
      kind: 'firing',
      data: { epid: enabling.epid, probeId: info.probeId, cpu: c.cpu, timestamp, walltimestamp: c.wallStart + timestamp, records },
    });
    at += epids.recordSize(epid);
  }
  return out;
}

function integerAt(view: DataView, at: number, size: number): bigint {
  switch (size) {
    case 8:
      return view.getBigUint64(at, true);
    case 4:
      return BigInt(view.getUint32(at, true));
    case 2:
      return BigInt(view.getUint16(at, true));
    case 1:
      return BigInt(view.getUint8(at));
  }
  let v = 0n;
  for (let k = Math.min(size, 8) - 1; k >= 0; k--) v = (v << 8n) | BigInt(view.getUint8(at + k));
  return v;
}

/**
 * The records in buffer order to a reader of firings and faults: the firings between two
 * faults go out together (under flowindent a probe line depends on the next firing's).
 */
export function readInto(c: BufferContents, to: { firings(run: FiringData[]): void; fault(report: FaultReport): void }): void {
  let run: FiringData[] = [];
  for (const r of readBuffer(c)) {
    if (r.kind === 'firing') run.push(r.data);
    else {
      if (run.length > 0) to.firings(run);
      run = [];
      to.fault(r.report);
    }
  }
  if (run.length > 0) to.firings(run);
}
