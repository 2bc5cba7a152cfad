// Drops in structured output: dtrace writes each report as an instance of the `probes` list for
// the pseudo-probe dtrace:INTERNAL:INTERNAL:DROP (id -1), with the drop count, the running total
// (libdtrace fills it only for the status-poll kinds: per-CPU principal and aggregation drops
// show 0), the DTRACEDROP_* number and the same message text as on stderr, newline included.
// Facts from reference §8, §10 and FreeBSD's dt_handle.c.
import type { DropKind } from '../../vm/records';
import { num, obj, str, type NumberLeaf, type ObjectNode } from './tree';

/** dtrace_dropkind_t, in its declaration order. */
export const DROP_KIND_NUMBER: Record<DropKind, number> = {
  PRINCIPAL: 0,
  AGGREGATION: 1,
  DYNAMIC: 2,
  DYNRINSE: 3,
  DYNDIRTY: 4,
  SPEC: 5,
  SPECBUSY: 6,
  SPECUNAVAIL: 7,
  STKSTROVERFLOW: 8,
  DBLERROR: 9,
};

export interface DropReport {
  kind: DropKind;
  /** The CPU for principal and aggregation drops, -1 (DTRACE_CPUALL) for the others. */
  cpu: number;
  count: number;
  total: number;
  timestamp: NumberLeaf;
  /** The message as dtrace prints it after "dtrace: ". */
  msg: string;
}

export function dropObject(d: DropReport): ObjectNode {
  return obj(
    ['cpu', num(d.cpu)],
    ['id', num(-1)],
    ['provider', str('dtrace')],
    ['module', str('INTERNAL')],
    ['function', str('INTERNAL')],
    ['name', str('DROP')],
    ['timestamp', d.timestamp],
    ['count', num(d.count)],
    ['total', num(d.total)],
    ['kind', num(DROP_KIND_NUMBER[d.kind])],
    ['msg', str(d.msg)],
  );
}
