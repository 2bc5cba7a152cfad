// What the trace panel and the inline aggregation previews show, as plain data: the debug
// runtime builds it, the adapter sends it (custom DAP event `dtrace.panel`), the extension
// forwards it to the webview, the webview draws it. Pure types and functions only, so the
// webview bundle, the extension and the adapter share them.

/** How one clause fared in one firing. */
export type ClauseOutcome = 'passed' | 'false' | 'fault' | 'drop' | 'none';

export interface PanelClause {
  index: number;
  /** The probe descriptions as written. */
  probes: string;
  /** 1-based line of the clause in the script. */
  line: number;
  fired: number;
  passed: number;
  faults: number;
  drops: number;
}

export interface PanelEvent {
  /** Position in the run (BEGIN is 0). */
  index: number;
  /** ns, decimal (64-bit values do not fit a JSON number). */
  timestamp: string;
  probe: string;
  cpu: number;
  pid: number;
  tid: string;
  execname: string;
  /** One entry per clause, by clause index. */
  outcomes: ClauseOutcome[];
}

export interface PanelBucket {
  /** The bucket's lower bound as dtrace prints it (`< 0`, `1024`, `>= 100`). */
  label: string;
  count: number;
}

export interface PanelAggregationRow {
  keys: string[];
  /** The value as dtrace prints it (a count, a sum, an average...). */
  value: string;
  /** For quantize/lquantize/llquantize: every bucket, in order (shownBuckets() picks those to draw). */
  buckets?: PanelBucket[];
}

export interface PanelAggregation {
  /** `@name` (`@` alone for the anonymous aggregation). */
  name: string;
  func: string;
  /** 1-based line of the first statement that aggregates into it. */
  line?: number;
  rows: PanelAggregationRow[];
}

export interface PanelOutput {
  text: string;
  firing?: number;
  stream: 'stdout' | 'stderr';
}

export interface PanelState {
  /** The script's path. */
  script: string;
  running: boolean;
  /** The firing the debugger is stopped at. */
  current?: number;
  clauses: PanelClause[];
  /** The most recent firings (a window: `totalEvents` says how many there were). */
  events: PanelEvent[];
  totalEvents: number;
  output: PanelOutput[];
  aggregations: PanelAggregation[];
}

/** Messages from the webview to the extension. */
export type PanelRequest = { type: 'ready' } | { type: 'goto'; firing: number };

/** Messages from the extension to the webview. */
export type PanelMessage = { type: 'state'; state: PanelState };

/** Does this event match the events table's filter text? (case-insensitive, any field) */
export function eventMatches(e: PanelEvent, filter: string): boolean {
  if (filter === '') return true;
  const f = filter.toLowerCase();
  return (
    e.probe.toLowerCase().includes(f) ||
    e.execname.toLowerCase().includes(f) ||
    String(e.pid) === f ||
    e.tid === f ||
    String(e.index) === f ||
    `cpu${e.cpu}` === f.replace(/\s+/g, '')
  );
}

/**
 * The buckets a histogram shows: as dtrace prints them, from the bucket below the first
 * non-empty one to the bucket above the last (a quantize row holds 127 buckets, nearly all empty).
 */
export function shownBuckets(buckets: readonly PanelBucket[]): PanelBucket[] {
  const first = buckets.findIndex((b) => b.count !== 0);
  if (first < 0) return [];
  let last = buckets.length - 1;
  while (buckets[last]!.count === 0) last--;
  return buckets.slice(Math.max(0, first - 1), Math.min(buckets.length, last + 2));
}

/** Bar length in [0, 1] for each value, against the largest magnitude (ranked bars, histogram bars). */
export function barFractions(values: readonly number[]): number[] {
  let max = 0;
  for (const v of values) max = Math.max(max, Math.abs(v));
  return values.map((v) => (max === 0 ? 0 : Math.abs(v) / max));
}
