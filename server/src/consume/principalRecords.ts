// Which actions of an enabling leave a record in the principal buffer, in order: the same rule
// the code generator sizes buffers by (codegen/recordLayout.ts): every action with a non-empty
// record, except aggregating actions and the key/increment records that belong to their tuple
// (those go to the aggregation buffer).
import type { ActionDesc } from '../codegen/program';
import { isAggregating } from '../codegen/recordLayout';

/** Indices of the actions whose records FiringData.records holds, in that order. */
export function recordingActions(actions: readonly ActionDesc[]): number[] {
  const inTuple = new Set<number>();
  actions.forEach((a, j) => {
    if (!isAggregating(a.kind)) return;
    const n = (a.keys ?? 0) + (a.increment ? 1 : 0);
    for (let k = j - n; k < j; k++) if (k >= 0) inTuple.add(k);
  });
  const out: number[] = [];
  actions.forEach((a, j) => {
    if (isAggregating(a.kind) || inTuple.has(j) || a.size === 0) return;
    out.push(j);
  });
  return out;
}
