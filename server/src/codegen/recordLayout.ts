// How much one firing of an enabling takes in the principal buffer, as the kernel lays it
// out (dtrace_ecb_resize): a 12-byte record header (EPID and timestamp), then each
// data-recording action at its natural alignment; aggregation keys and values go to the
// aggregation buffer instead. An enabling whose actions record nothing takes no space at all,
// and one with no actions records its header alone.
import { ACT, type ActionDesc } from './program';

/** sizeof (dtrace_rechdr_t): EPID plus a split 64-bit timestamp. */
export const RECORD_HEADER_SIZE = 12;
/** The EPID word: records start on it, and padding between records is made of empty ones. */
export const EPID_SIZE = 4;

/** The kernel's record alignment: the largest power of two up to 8 dividing the size. */
export function recordAlignment(size: number): number {
  if (size === 0) return 1;
  for (const a of [8, 4, 2]) if (size % a === 0) return a;
  return 1;
}

export function isAggregating(kind: number): boolean {
  return (kind & 0xff00) === 0x0700;
}

const roundUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Which actions are an aggregation's keys or increment (they feed the aggregation, not the record). */
export function aggregationTuple(actions: readonly ActionDesc[]): boolean[] {
  const inTuple = new Array<boolean>(actions.length).fill(false);
  actions.forEach((a, j) => {
    if (!isAggregating(a.kind)) return;
    const n = (a.keys ?? 0) + (a.increment ? 1 : 0);
    for (let k = j - n; k < j; k++) if (k >= 0) inTuple[k] = true;
  });
  return inTuple;
}

/**
 * Where each action's record sits in the enabling's buffer record (bytes from the record's
 * start, after the header), -1 for actions that leave nothing there; `size` is the whole
 * record's (the EPID-aligned end). The VM writes records at these offsets and the consumer
 * reads them back from there.
 */
export function recordOffsets(actions: readonly ActionDesc[]): { offsets: Int32Array; size: number } {
  const inTuple = aggregationTuple(actions);
  const offsets = new Int32Array(actions.length).fill(-1);
  let size = RECORD_HEADER_SIZE;
  actions.forEach((a, j) => {
    if (isAggregating(a.kind) || inTuple[j] || a.size === 0) return;
    size = roundUp(size, recordAlignment(a.size));
    offsets[j] = size;
    size += a.size;
  });
  const onlySpeculate = actions.length === 1 && actions[0]!.kind === ACT.SPECULATE;
  if (actions.length > 0 && !onlySpeculate && size === RECORD_HEADER_SIZE) size = 0;
  return { offsets, size: roundUp(size, EPID_SIZE) };
}

export function layoutEnabling(actions: readonly ActionDesc[]): number {
  return recordOffsets(actions).size;
}
