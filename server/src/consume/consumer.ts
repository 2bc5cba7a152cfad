// The consumer: what libdtrace and dtrace(1) do with what the VM hands over. Principal-buffer
// firings become the probe line (unless quiet) and each record's output; library actions act on
// the aggregation totals kept here; drops and faults become dtrace's messages on stderr; exit()
// sets the status; finish() prints what dtrace(1) prints when tracing stops.
import { parseFormat, isFormatError, type FormatDirective } from '../analyze/printf';
import type { OptionSet } from '../analyze/options/optionSet';
import { ACT, type ActionDesc, type CompiledProgram, type Enabling } from '../codegen/program';
import { readInto } from '../vm/bufferWalk';
import type { AggregationDelta, BufferContents, ConsumerSink, DropKind, FaultReport, FiringData, RecordValue } from '../vm/records';
import { aggregationValue, defaultRow, formattedRow, joinedValues } from './aggregationPrint';
import { RowPrinter } from './aggregationRows';
import { AggregationStore, type SortOptions } from './aggregationStore';
import { FlowIndent } from './flowIndent';
import { dropMessage, errnoText, faultText, libraryFaultText, type ProbeName } from './messages';
import { recordingActions } from './principalRecords';
import { renderFormat, type FormatEnv, type FormatRecord } from './printfFormat';
import { bytesToText, cStringOf, incompleteUtf8Tail, recordBytes, signedAt, unsignedAt } from './recordValues';
import { printTyped } from './printAction';
import { formatStack, symbolText } from './stacks';
import { runCommand, type CommandRunner } from './systemCommand';
import { printBytes, traceInteger } from './traceRecords';
import { cString } from './cFormat';
import { appendFileSync, openSync, closeSync } from 'node:fs';
import { aggregationObject } from './structured/aggregations';
import { StructuredOutput } from './structured/output';
import { memoryObject, recordObject, type RecordEnv } from './structured/records';
import { obj, str, type ObjectNode } from './structured/tree';

export interface ConsumerOptions {
  options: OptionSet;
  quiet: boolean;
  flowindent: boolean;
  destructive: boolean;
  out(text: string): void;
  err(text: string): void;
  describeProbe(id: number): ProbeName | undefined;
  /** The wall-clock time tracing started at (a replay's recorded start); default: now. */
  startWallTime?: bigint;
  /** Where a system() command's own output goes (dtrace's stdout even with -o); defaults to out. */
  terminal?(text: string): void;
  /** Runs system()'s command (tests may replace it); defaults to /bin/sh -c. */
  runCommand?: CommandRunner;
  /**
   * The files freopen(), ftruncate() and redirected output touch (default: node:fs). The
   * debugger's re-executions of firings already run give ones that do nothing again.
   */
  files?: ConsumerFiles;
  /** The -o file `out` appends to, which ftruncate() empties. */
  outputFile?: string;
  /** dtrace -O: under a structured oformat, print every aggregation printa() did not when tracing stops. */
  printAggregations?: boolean;
}

export interface ConsumerFiles {
  /** Opens for appending and closes (freopen()): throws what open(2) fails with. */
  touch(path: string): void;
  append(path: string, text: string): void;
  /** Empties the file (ftruncate()). */
  truncate(path: string): void;
}

const NODE_FILES: ConsumerFiles = {
  touch: (path) => closeSync(openSync(path, 'a')),
  append: (path, text) => appendFileSync(path, text),
  truncate: (path) => closeSync(openSync(path, 'w')),
};

interface EnablingInfo {
  enabling: Enabling;
  /** Actions that leave a principal-buffer record, in order. */
  recorded: ActionDesc[];
  /** Their indices among the enabling's actions. */
  indices: number[];
}

export class Consumer implements ConsumerSink {
  private readonly enablings = new Map<number, EnablingInfo>();
  private readonly formats = new Map<number, FormatDirective[]>();
  private readonly store: AggregationStore;
  private readonly printed = new Set<number>();
  private readonly flow = new FlowIndent();
  private quiet: boolean;
  private flowindent: boolean;
  private heading = false;
  private status: number | undefined;
  /** freopen()'s file, when output is redirected. */
  private redirect: string | undefined;
  /** The start of a UTF-8 character whose other bytes are still to come. */
  private partial = '';
  /** The structured output `oformat` asks for (undefined: dtrace's classic text). */
  private readonly structured: StructuredOutput | undefined;

  constructor(
    private readonly program: CompiledProgram,
    private readonly opts: ConsumerOptions,
  ) {
    for (const e of program.enablings) {
      const indices = recordingActions(e.actions);
      this.enablings.set(e.epid, { enabling: e, recorded: indices.map((i) => e.actions[i]!), indices });
    }
    this.store = new AggregationStore(program.aggregations);
    this.quiet = opts.quiet;
    this.flowindent = opts.flowindent;
    this.structured = StructuredOutput.of(opts.options.text('oformat'), opts.out, opts.startWallTime);
  }

  /** The consumer's aggregation totals so far (read-only use: the debugger's Aggregations view). */
  get aggregationTotals(): AggregationStore {
    return this.store;
  }

  get exitStatus(): number | undefined {
    return this.status;
  }

  // ---- ConsumerSink ----

  buffer(_cpu: number, contents: BufferContents): void {
    readInto(contents, this);
  }

  /** Firings read from a buffer, in order (their byte values are the buffer's: used here, not kept). */
  firings(firings: FiringData[]): void {
    if (this.structured) firings.forEach((f) => this.structuredFiring(f));
    else firings.forEach((f, n) => this.firing(f, firings[n + 1]));
  }

  aggregations(deltas: AggregationDelta[]): void {
    this.store.merge(deltas);
  }

  drops(kind: DropKind, cpu: number, count: number): void {
    if (count <= 0) return;
    const msg = dropMessage(kind, cpu, count, this.opts.options.flag('droptags'));
    // Under oformat the report is part of the output, and dtrace's drop handler stays silent.
    if (this.structured) this.structured.drop(kind, cpu, count, msg);
    else this.opts.err('dtrace: ' + msg);
  }

  /** A fault the library's ERROR enabling recorded. */
  fault(report: FaultReport): void {
    this.opts.err('dtrace: ' + faultText(report, this.opts.describeProbe(report.probeId)));
  }

  /**
   * Tracing stopped: dtrace(1) prints a newline and then every aggregation no printa() printed.
   * `impatient` (a second interrupt) skips the aggregations.
   */
  finish(impatient = false): void {
    if (this.structured) {
      // Only -O prints the aggregations no printa() printed; no newline ends structured output.
      if (!impatient && this.opts.printAggregations) {
        for (const id of this.unprintedAggregations()) this.structured.aggregation(this.aggregationObject([id])[0]!);
      }
      this.structured.finish();
      return;
    }
    this.write('\n', impatient);
    if (impatient) return;
    const rows = new RowPrinter(this.store, this.opts.options, this.env());
    let text = '';
    for (const e of this.store.sorted(this.sortOptions())) {
      if (this.printed.has(e.id)) continue;
      text += rows.row(e);
    }
    this.write(text, true);
  }

  /** The first interrupt: dtrace(1) starts a new line before it stops tracing. */
  interrupted(): void {
    if (!this.structured) this.write('\n');
  }

  // ---- one firing ----

  private firing(f: FiringData, next: FiringData | undefined): void {
    const info = this.enablings.get(f.epid);
    if (!info) return;
    const probe = this.opts.describeProbe(f.probeId);
    this.probeLine(f, probe, next);
    const recs = info.recorded;
    const values = this.recordedValues(f, info);
    let tracememSize = 0;
    let out = '';
    const flush = (): void => {
      if (out) this.write(out);
      out = '';
    };
    // What the firing printed before a record the C library refuses is printed, as dtrace's is.
    const flushing = <T>(f: () => T): T => {
      try {
        return f();
      } catch (e) {
        flush();
        throw e;
      }
    };
    for (let i = 0; i < recs.length && i < values.length; i++) {
      const a = recs[i]!;
      const v = values[i]!;
      switch (a.kind) {
        case ACT.LIBACT:
          i += this.libraryAction(f, probe, recs, values, i, flush);
          continue;
        case ACT.TRACEMEM_DYNSIZE:
          if (a.size === 8) tracememSize = Number(unsignedAt(v, 8));
          continue;
        case ACT.EXIT:
          this.status = Number(signedAt(v, 4));
          continue;
        case ACT.STACK:
        case ACT.USTACK:
        case ACT.JSTACK:
          out += formatStack(this.record(a, v), (s) => s, this.env().stackIndent);
          continue;
        case ACT.SYM:
        case ACT.MOD:
        case ACT.USYM:
        case ACT.UADDR:
        case ACT.UMOD:
          out += '  ' + cString(symbolText(this.record(a, v)), { left: true, width: 50 });
          continue;
        case ACT.PRINTM: {
          const bytes = recordBytes(v, a.size);
          const n = Number(unsignedAt(bytes.subarray(0, 8), 8));
          out += printBytes(bytes.subarray(8, 8 + Math.min(n, Math.max(0, bytes.length - 8))), 50, this.quiet, true);
          continue;
        }
        case ACT.PRINTF:
        case ACT.SYSTEM:
        case ACT.FREOPEN: {
          const records = recs.slice(i).map((r, k) => this.record(r, values[i + k]!));
          const { text, used } = flushing(() => renderFormat(this.format(a.format), records, this.env()));
          i += Math.max(used, 1) - 1;
          if (a.kind === ACT.PRINTF) out += text;
          else {
            flush();
            if (a.kind === ACT.SYSTEM) this.system(text);
            else this.freopen(text, f, probe);
          }
          continue;
        }
        case ACT.PRINTA: {
          const group = [a];
          while (i + 1 < recs.length && recs[i + 1]!.kind === ACT.PRINTA && sameStatement(recs[i + 1]!, a)) group.push(recs[++i]!);
          out += flushing(() => this.printa(group, values.slice(i - group.length + 1, i + 1)));
          continue;
        }
        case ACT.TRACEMEM: {
          const bytes = recordBytes(v, a.size);
          const n = tracememSize === 0 || tracememSize > bytes.length ? bytes.length : tracememSize;
          tracememSize = 0;
          out += printBytes(bytes.subarray(0, n), -33, this.quiet, true);
          continue;
        }
        default:
          out += this.traced(a, v);
      }
    }
    if (!this.quiet) out += '\n';
    flush();
  }

  /**
   * clear/normalize/denormalize/trunc/setopt/ftruncate at record `i`: how many records after it
   * the action took (normalize, trunc and setopt carry their argument in the next one).
   */
  private libraryAction(f: FiringData, probe: ProbeName | undefined, recs: ActionDesc[], values: RecordValue[], i: number, flush: () => void): number {
    const a = recs[i]!;
    const v = values[i]!;
    if (a.library === 'normalize' || a.library === 'trunc' || a.library === 'setopt') {
      const arg = values[i + 1];
      if (arg === undefined) return 1;
      const size = recs[i + 1]!.size;
      if (a.library === 'normalize') this.store.normalize(aggId(a, v), unsignedAt(arg, size));
      else if (a.library === 'trunc') this.store.trunc(aggId(a, v), signedAt(arg, size), this.sortOptions());
      else {
        flush();
        this.setopt(f, probe, v, arg, size);
      }
      return 1;
    }
    if (a.library === 'clear') this.store.clear(aggId(a, v));
    else if (a.library === 'denormalize') this.store.denormalize(aggId(a, v));
    else if (a.library === 'ftruncate') {
      flush();
      this.ftruncate();
    }
    return 0;
  }

  /** The values of a firing's recorded actions, index for index with `info.recorded`. */
  private recordedValues(f: FiringData, info: EnablingInfo): RecordValue[] {
    // The VM may hand one value per action (records of actions that record nothing included)
    // or only the recorded ones.
    return f.records.length === info.enabling.actions.length ? info.indices.map((i) => f.records[i]!) : f.records;
  }

  /**
   * One firing under oformat: each record becomes an instance of the probe's `output` list
   * (printf: its message, then one value per argument record; printa: the aggregation objects);
   * library actions, exit() and system() act as in the text output.
   */
  private structuredFiring(f: FiringData): void {
    const info = this.enablings.get(f.epid);
    if (!info) return;
    const probe = this.opts.describeProbe(f.probeId);
    const recs = info.recorded;
    const values = this.recordedValues(f, info);
    const env = this.recordEnv();
    const output: ObjectNode[] = [];
    let tracememSize = 0;
    for (let i = 0; i < recs.length && i < values.length; i++) {
      const a = recs[i]!;
      const v = values[i]!;
      switch (a.kind) {
        case ACT.LIBACT:
          i += this.libraryAction(f, probe, recs, values, i, () => {});
          continue;
        case ACT.TRACEMEM_DYNSIZE:
          if (a.size === 8) tracememSize = Number(unsignedAt(v, 8));
          continue;
        case ACT.EXIT:
          this.status = Number(signedAt(v, 4));
          continue;
        case ACT.PRINTM: {
          const bytes = recordBytes(v, a.size);
          const n = Number(unsignedAt(bytes.subarray(0, 8), 8));
          output.push(memoryObject('printm', bytes.subarray(8, 8 + Math.min(n, Math.max(0, bytes.length - 8)))));
          continue;
        }
        case ACT.TRACEMEM: {
          const bytes = recordBytes(v, a.size);
          const n = tracememSize === 0 || tracememSize > bytes.length ? bytes.length : tracememSize;
          tracememSize = 0;
          output.push(memoryObject('tracemem', bytes.subarray(0, n)));
          continue;
        }
        case ACT.PRINTF:
        case ACT.SYSTEM:
        case ACT.FREOPEN: {
          const records = recs.slice(i).map((r, k) => this.record(r, values[i + k]!));
          const { text, used } = renderFormat(this.format(a.format), records, this.env());
          const n = Math.max(used, 1);
          if (a.kind === ACT.PRINTF) {
            output.push(obj(['message', str(bytesToText(text))]));
            for (let k = 0; k < n && i + k < values.length; k++) output.push(recordObject(recs[i + k]!.kind, recs[i + k]!.record, values[i + k]!, env));
          } else if (a.kind === ACT.SYSTEM) this.system(text);
          else this.freopen(text, f, probe);
          i += n - 1;
          continue;
        }
        case ACT.PRINTA: {
          const group = [a];
          while (i + 1 < recs.length && recs[i + 1]!.kind === ACT.PRINTA && sameStatement(recs[i + 1]!, a)) group.push(recs[++i]!);
          const groupValues = values.slice(i - group.length + 1, i + 1);
          output.push(...this.aggregationObject(group.map((g, n) => aggId(g, groupValues[n] ?? 0n))));
          continue;
        }
        default:
          output.push(recordObject(a.kind, a.record, v, env, a));
      }
    }
    this.structured!.firing(f, probe, output);
  }

  /**
   * printa()'s aggregations as structured objects, one per aggregation, its rows in printa's
   * order (for several aggregations, the joined walk's rows, zeros where a key is absent).
   */
  private aggregationObject(ids: number[]): ObjectNode[] {
    const env = this.recordEnv();
    const opts = this.sortOptions();
    const descs = ids.map((id) => this.store.desc(id));
    if (descs.some((d) => d === undefined)) return [];
    ids.forEach((id) => this.printed.add(id));
    if (ids.length === 1) {
      const entries = this.store.sorted(opts, ids[0]!).map((entry) => ({ key: entry.key, entry }));
      return [aggregationObject(descs[0]!, entries, env)];
    }
    const rows = this.store.joined(ids, opts);
    return descs.map((d, n) => aggregationObject(d!, rows.map((r) => ({ key: r.key, entry: r.values[n]! })), env));
  }

  /** Aggregations no printa() printed, in id order (the end-of-run walk). */
  private unprintedAggregations(): number[] {
    const ids = new Set<number>();
    for (const e of this.store.sorted(this.sortOptions())) if (!this.printed.has(e.id)) ids.add(e.id);
    return [...ids];
  }

  private recordEnv(): RecordEnv {
    return { rawbytes: this.opts.options.flag('rawbytes'), strsize: this.opts.options.bytes('strsize') ?? 256 };
  }

  /** The `CPU ID FUNCTION:NAME` heading once, then each firing's prefix. */
  private probeLine(f: FiringData, probe: ProbeName | undefined, next: FiringData | undefined): void {
    const func = probe?.function ?? '';
    const name = probe?.name ?? '';
    let text = '';
    if (!this.heading) {
      if (!this.flowindent) {
        if (!this.quiet) text += `${'CPU'.padStart(3)} ${'ID'.padStart(6)} ${'FUNCTION:NAME'.padStart(32)}\n`;
      } else text += `${'CPU'.padStart(3)} ${'FUNCTION'.padEnd(41)}\n`;
      this.heading = true;
    }
    if (!this.flowindent) {
      if (!this.quiet) text += `${String(f.cpu).padStart(3)} ${String(f.probeId).padStart(6)} ${`${func}:${name}`.padStart(32)} `;
    } else {
      const line = this.flow.line(f, probe, next);
      text += `${String(f.cpu).padStart(3)} ${line.padEnd(41)} `;
    }
    if (text) this.write(text);
  }

  /** A record with no action of its own: an integer by size, or bytes (string or hex dump). */
  private traced(a: ActionDesc, v: RecordValue): string {
    const size = a.size;
    if (a.record.k === 'bytes' && a.record.ctype !== undefined) {
      const typed = printTyped(a.record.ctype, recordBytes(v, size), a.printType, this.opts.options.bytes('strsize') ?? 256);
      if (typed !== undefined) return typed;
    }
    if ((size === 8 || size === 4 || size === 2 || size === 1) && a.record.k !== 'stack') return traceInteger(unsignedAt(v, size), size, this.quiet);
    return printBytes(recordBytes(v, size), -33, this.quiet, this.opts.options.flag('rawbytes'));
  }

  private record(a: ActionDesc, v: RecordValue): FormatRecord {
    return { value: v, type: a.record, kind: a.kind, ...(a.arg !== undefined ? { arg: a.arg } : {}) };
  }

  private format(index: number | undefined): FormatDirective[] {
    const i = index ?? -1;
    let f = this.formats.get(i);
    if (!f) {
      const parsed = parseFormat(this.program.formats[i] ?? '');
      f = isFormatError(parsed) ? [{ kind: 'literal', text: this.program.formats[i] ?? '', start: 0, end: 0 }] : parsed;
      this.formats.set(i, f);
    }
    return f;
  }

  private printa(group: ActionDesc[], values: RecordValue[]): string {
    const ids = group.map((g, n) => aggId(g, values[n] ?? 0n));
    const first = group[0]!;
    const directives = first.format !== undefined ? this.format(first.format) : undefined;
    const env = this.env();
    const opts = this.sortOptions();
    let text = directives ? '' : '\n';
    if (ids.length === 1) {
      const id = ids[0]!;
      const desc = this.store.desc(id);
      if (!desc) return text;
      const rows = new RowPrinter(this.store, this.opts.options, env);
      for (const e of this.store.sorted(opts, id)) {
        text += directives ? formattedRow(directives, desc, e.key, [aggregationValue(desc, e)], env) : rows.row(e);
        this.printed.add(id);
      }
      return text;
    }
    const descs = ids.map((id) => this.store.desc(id)).filter((d) => d !== undefined);
    if (descs.length !== ids.length) return text;
    for (const row of this.store.joined(ids, opts)) {
      const values = joinedValues(descs, row);
      const keyDesc = this.store.desc(row.keyEntry.id)!;
      text += directives ? formattedRow(directives, keyDesc, row.key, values, env) : defaultRow(keyDesc, row.key, values, env);
      ids.forEach((id) => this.printed.add(id));
    }
    return text;
  }

  private setopt(f: FiringData, probe: ProbeName | undefined, nameValue: RecordValue, valueValue: RecordValue, valueSize: number): void {
    const name = cStringOf(recordBytes(nameValue, 0));
    // A value that fits in 8 bytes is no string: setopt("name") sets the option.
    const raw = valueSize > 8 ? cStringOf(recordBytes(valueValue, valueSize)) : undefined;
    const value = raw === '' ? undefined : raw;
    const r = this.opts.options.set(name, value, { tracing: true });
    if (!r.ok) {
      // libdtrace's message ends in its own newline, so a blank line follows it.
      this.opts.err('dtrace: ' + libraryFaultText(f.epid, f.probeId, probe, `couldn't set option "${name}" to "${raw ?? '1'}": ${r.reason}\n`));
      return;
    }
    if (name === 'quiet') this.quiet = this.opts.options.flag('quiet');
    if (name === 'flowindent') this.flowindent = this.opts.options.flag('flowindent');
  }

  private system(command: string): void {
    const run = this.opts.runCommand ?? runCommand;
    const r = run(bytesToText(command));
    const terminal = this.opts.terminal ?? this.opts.out;
    if (r.stdout) terminal(r.stdout);
    if (r.stderr) this.opts.err(r.stderr);
  }

  private freopen(file: string, f: FiringData, probe: ProbeName | undefined): void {
    const path = bytesToText(file);
    if (path === '') {
      this.redirect = undefined;
      return;
    }
    try {
      (this.opts.files ?? NODE_FILES).touch(path);
      this.redirect = path;
    } catch (e) {
      this.opts.err('dtrace: ' + libraryFaultText(f.epid, f.probeId, probe, `couldn't freopen() "${path}": ${errnoText(e)}`));
    }
  }

  private ftruncate(): void {
    // The current output file (freopen()'s, else -o's) is emptied; a terminal cannot be.
    const file = this.redirect ?? this.opts.outputFile;
    if (file !== undefined) (this.opts.files ?? NODE_FILES).truncate(file);
  }

  private write(bytes: string, final = false): void {
    // A UTF-8 character cut at the end waits for the rest of its bytes.
    const all = this.partial + bytes;
    const keep = final ? 0 : incompleteUtf8Tail(all);
    this.partial = all.slice(all.length - keep);
    const text = bytesToText(all.slice(0, all.length - keep));
    if (text === '') return;
    if (this.redirect !== undefined) (this.opts.files ?? NODE_FILES).append(this.redirect, text);
    else this.opts.out(text);
  }

  private env(): FormatEnv {
    const o = this.opts.options;
    return {
      histogram: { zoom: o.flag('aggzoom'), utf8: o.word('encoding') === 'utf8' },
      stackIndent: o.integer('stackindent') ?? 14,
      rawbytes: o.flag('rawbytes'),
    };
  }

  private sortOptions(): SortOptions {
    const o = this.opts.options;
    return {
      byKey: o.flag('aggsortkey'),
      reverse: o.flag('aggsortrev'),
      keyPos: Math.max(0, o.integer('aggsortkeypos') ?? 0),
      valuePos: Math.max(0, o.integer('aggsortpos') ?? 0),
    };
  }
}

/** The aggregation a library action or printa names: its record holds the 1-based id. */
function aggId(a: ActionDesc, v: RecordValue): number {
  if (a.aggregation !== undefined) return a.aggregation + 1;
  return Number(unsignedAt(v, 8));
}

/** printa(@a, @b): the later aggregations' records come from the same statement, without a format. */
function sameStatement(a: ActionDesc, b: ActionDesc): boolean {
  if (a.format !== undefined) return false;
  if (a.statement !== undefined && b.statement !== undefined) return a.statement === b.statement;
  return a.span.startIndex === b.span.startIndex && a.span.endIndex === b.span.endIndex;
}
