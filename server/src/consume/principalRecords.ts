// Which actions of an enabling leave a record in the principal buffer, in order: those the
// code generator's record layout gives an offset (codegen/recordLayout.ts); aggregating actions
// and the key/increment records of their tuple go to the aggregation buffer instead.
import type { ActionDesc } from '../codegen/program';
import { recordOffsets } from '../codegen/recordLayout';

/** Indices of the actions whose records FiringData.records holds, in that order. */
export function recordingActions(actions: readonly ActionDesc[]): number[] {
  const { offsets } = recordOffsets(actions);
  const out: number[] = [];
  offsets.forEach((at, j) => {
    if (at >= 0) out.push(j);
  });
  return out;
}
