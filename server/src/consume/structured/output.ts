// The structured side of the consumer: the document is opened when the first instance is
// written, every probe firing, drop report and (with -O) end-of-run aggregation becomes one
// instance of `probes`, written at once (tools read it as it comes), and the document is closed
// when tracing stops.
import { parseOutputFormat } from '../../analyze/options/outputFormat';
import type { DropKind, FiringData } from '../../vm/records';
import type { ProbeName } from '../messages';
import { structuredDocument, type StructuredDocument } from './document';
import { dropObject } from './drops';
import { list, num, obj, secondsMicros, str, type ObjectNode } from './tree';

export class StructuredOutput {
  private begun = false;
  /**
   * The latest wall time a firing carried: the time of reports that carry none (a report before
   * the first firing shows when tracing started: a replay's recorded start, so the same trace
   * gives the same document).
   */
  private wall: bigint;
  private readonly totals = new Map<DropKind, number>();

  private constructor(
    private readonly doc: StructuredDocument,
    private readonly out: (text: string) => void,
    startWallTime: bigint,
  ) {
    this.wall = startWallTime;
  }

  /** The structured output an `oformat` value asks for; undefined for the classic text. */
  static of(oformat: string | undefined, out: (text: string) => void, startWallTime: bigint = BigInt(Date.now()) * 1_000_000n): StructuredOutput | undefined {
    if (oformat === undefined) return undefined;
    const format = parseOutputFormat(oformat);
    const doc = format && structuredDocument(format);
    return doc && new StructuredOutput(doc, out, startWallTime);
  }

  /**
   * One firing: the probe's fields, then its records' instances. The timestamp is the firing's
   * walltimestamp (dtrace writes the time it consumed the record; a replay's consumer time is
   * the firing's, which keeps the output the same run after run).
   */
  firing(f: FiringData, probe: ProbeName | undefined, output: ObjectNode[]): void {
    this.wall = f.walltimestamp;
    this.write(
      obj(
        ['timestamp', secondsMicros(f.walltimestamp)],
        ['cpu', num(f.cpu)],
        ['id', num(f.probeId)],
        ['provider', str(probe?.provider ?? '')],
        ['module', str(probe?.module ?? '')],
        ['function', str(probe?.function ?? '')],
        ['name', str(probe?.name ?? '')],
        ['output', list(output)],
      ),
    );
  }

  drop(kind: DropKind, cpu: number, count: number, msg: string): void {
    const perCpu = kind === 'PRINCIPAL' || kind === 'AGGREGATION';
    const total = perCpu ? 0 : (this.totals.get(kind) ?? 0) + count;
    if (!perCpu) this.totals.set(kind, total);
    this.write(dropObject({ kind, cpu: perCpu ? cpu : -1, count, total, timestamp: secondsMicros(this.wall), msg }));
  }

  /** An aggregation printed when tracing stops (-O): an instance of its own. */
  aggregation(o: ObjectNode): void {
    this.write(o);
  }

  /** Tracing stopped: the document is closed (and opened first if nothing was written). */
  finish(): void {
    this.open();
    const text = this.doc.end();
    if (text) this.out(text);
  }

  private open(): void {
    if (this.begun) return;
    this.begun = true;
    const text = this.doc.begin();
    if (text) this.out(text);
  }

  private write(o: ObjectNode): void {
    this.open();
    this.out(this.doc.probe(o));
  }
}
