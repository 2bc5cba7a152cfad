// The actions a clause adds to its probe's enabling, in order, and DTrace's rules on that
// order (dt_stmt_append): nothing that records data may follow commit( ); speculate( ) comes
// before anything that records data and only once; aggregations, destructive actions and
// exit( ) may not follow speculate( ). DTrace checks the whole list again each time a
// statement adds its actions, and blames that statement.
import type { Span } from '../parse/ast';
import type { ClauseState, Compilation } from './compilation';

/**
 * What the ordering rules see of an action: `data` records something (trace, printf, a
 * stack, exit's status is `exit`, an aggregation's tuple); `void` is an expression statement
 * (its result is not recorded); `agg` is the aggregating action itself.
 */
export type ActionKind = 'data' | 'void' | 'destructive' | 'discard' | 'exit' | 'speculate' | 'commit' | 'agg';

/** The code generation state of one clause (one of the clauses an `if` desugars into). */
export interface ClauseActions {
  kinds: ActionKind[];
  /**
   * The line DTrace's messages name while it generates the clause's code without pointing at
   * a node: the probe description's, until a printf-like action moves it to its own.
   */
  lineno: number;
}

/**
 * Adds a statement's actions and applies the ordering rules to the whole list, as DTrace
 * does; an error names the statement's line. On error the statement adds nothing.
 */
export function appendActions(c: Compilation, list: ClauseActions, kinds: readonly ActionKind[], span: Span, line: number): void {
  const before = list.kinds;
  const total = before.length + kinds.length;
  let commit = false;
  let speculate = false;
  let datarec = false;
  for (let i = 0; i < total; i++) {
    const k = actionAt(before, kinds, i);
    switch (k) {
      case 'commit':
        if (commit) c.error('D_COMM_COMM', span, 'commit( ) may not follow commit( )', undefined, line);
        if (datarec) c.error('D_COMM_DREC', span, 'commit( ) may not follow data-recording action(s)', undefined, line);
        for (let j = i; j < total; j++) if (actionAt(before, kinds, j) === 'agg') c.error('D_AGG_COMM', span, 'aggregating actions may not follow commit( )', undefined, line);
        commit = true;
        continue;
      case 'speculate':
        if (speculate) c.error('D_SPEC_SPEC', span, 'speculate( ) may not follow speculate( )', undefined, line);
        if (commit) c.error('D_SPEC_COMM', span, 'speculate( ) may not follow commit( )', undefined, line);
        if (datarec) c.error('D_SPEC_DREC', span, 'speculate( ) may not follow data-recording action(s)', undefined, line);
        speculate = true;
        continue;
      case 'agg':
        if (speculate) c.error('D_AGG_SPEC', span, 'aggregating actions may not follow speculate( )', undefined, line);
        datarec = true;
        continue;
    }
    if (speculate) {
      if (k === 'destructive') c.error('D_ACT_SPEC', span, 'destructive actions may not follow speculate( )', undefined, line);
      if (k === 'exit') c.error('D_EXIT_SPEC', span, 'exit( ) may not follow speculate( )', undefined, line);
    }
    // Destructive actions, discard( ) and expression statements record nothing.
    if (k === 'destructive' || k === 'discard' || k === 'void') continue;
    if (commit) c.error('D_DREC_COMM', span, 'data-recording actions may not follow commit( )', undefined, line);
    // Data recorded after speculate( ) goes to the speculative buffer.
    if (!speculate) datarec = true;
  }
  for (const k of kinds) before.push(k);
}

/** The list's actions followed by the new ones, without joining them. */
function actionAt(before: readonly ActionKind[], kinds: readonly ActionKind[], i: number): ActionKind {
  return i < before.length ? before[i]! : kinds[i - before.length]!;
}

type OrderingFlags = Pick<ClauseState, 'speculated' | 'committed' | 'recordedData'>;

const COMMITTED = 1;
const SPECULATED = 2;
const RECORDED_DATA = 4;

/** The list's ordering state, as a set of the bits above. */
function orderingBits(list: ClauseActions): number {
  let bits = 0;
  for (const k of list.kinds) {
    if (k === 'commit') bits |= COMMITTED;
    else if (k === 'speculate') bits |= SPECULATED;
    else if (k === 'agg' || (k !== 'destructive' && k !== 'discard' && k !== 'void' && (bits & SPECULATED) === 0)) bits |= RECORDED_DATA;
  }
  return bits;
}

/**
 * The ordering state as the clause's flags record it. The driver clears those flags where an
 * `if` splits the clause, which starts a new list.
 */
export function orderingFlags(list: ClauseActions): OrderingFlags {
  const flags = { speculated: false, committed: false, recordedData: false };
  writeOrderingFlags(flags, list);
  return flags;
}

/** Whether the clause's flags are the list's ordering state. */
export function sameOrdering(list: ClauseActions, state: OrderingFlags): boolean {
  const bits = orderingBits(list);
  return state.speculated === ((bits & SPECULATED) !== 0) && state.committed === ((bits & COMMITTED) !== 0) && state.recordedData === ((bits & RECORDED_DATA) !== 0);
}

export function writeOrderingFlags(state: OrderingFlags, list: ClauseActions): void {
  const bits = orderingBits(list);
  state.speculated = (bits & SPECULATED) !== 0;
  state.committed = (bits & COMMITTED) !== 0;
  state.recordedData = (bits & RECORDED_DATA) !== 0;
}
