// Hand-built compiled programs for VM tests: assembled DIF objects wired into enablings the way
// the code generator wires them, run through the real engine entry point.
import { ComposedCatalogue } from '../../server/src/analyze/catalogue/catalogue';
import { dtraceProvider } from '../../server/src/analyze/catalogue/dtrace-provider';
import { profileProvider } from '../../server/src/analyze/catalogue/profile-provider';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { ACT, type ActionDesc, type AggregationDesc, type CompiledProgram, type Enabling, type RecordType } from '../../server/src/codegen/program';
import { layoutEnabling } from '../../server/src/codegen/recordLayout';
import { assemble } from '../../server/src/dif/assembler';
import type { Difo } from '../../server/src/dif/difo';
import { DIF_TYPE_STRING } from '../../server/src/dif/variables';
import { VariableState } from '../../server/src/dif/variable-state';
import { runProgram, type EngineInput, type ProbeFiring } from '../../server/src/vm/engine';
import type { FaultReport, RecordValue } from '../../server/src/vm/records';
import { firingsOf, RecordingSink } from './vmRun';

/** dtrace (BEGIN 1, END 2, ERROR 3), profile, and `test:::fire` / `test:::other`. */
export function testCatalogue(): ComposedCatalogue {
  const c = new ComposedCatalogue([dtraceProvider(), profileProvider()]);
  c.add({ name: 'test', probes: [{ module: 'mod', function: 'func', name: 'fire' }, { module: 'mod', function: 'func', name: 'other' }] });
  return c;
}

export const span = { start: { row: 0, column: 0 }, end: { row: 0, column: 0 } } as unknown as ActionDesc['span'];

export function recordTypeOf(difo: Difo): RecordType {
  if (difo.returnType.kind === DIF_TYPE_STRING) return { k: 'string', size: difo.returnType.size };
  if (difo.returnType.flags & 1) return { k: 'bytes', size: difo.returnType.size };
  const size = difo.returnType.size;
  return { k: 'int', size: size === 1 || size === 2 || size === 4 ? size : 8, signed: true };
}

/** An action computing `difo` (DIFEXPR unless another kind is given). */
export function action(difo: Difo | string | undefined, kind: number = ACT.DIFEXPR, extra: Partial<ActionDesc> = {}): ActionDesc {
  const d = typeof difo === 'string' ? assemble(difo) : difo;
  const record = d ? recordTypeOf(d) : ({ k: 'int', size: 8, signed: true } as RecordType);
  return { kind, ...(d ? { difo: d } : {}), record, size: d ? d.returnType.size : 0, span, line: 1, ...extra };
}

export function enabling(epid: number, probes: number[], actions: ActionDesc[], predicate?: Difo | string): Enabling {
  const e: Enabling = {
    epid,
    clause: epid - 1,
    originSpan: span,
    probes,
    actions,
    recordSize: 0,
    speculative: actions.some((a) => a.kind === ACT.SPECULATE),
  };
  if (predicate !== undefined) e.predicate = typeof predicate === 'string' ? assemble(predicate) : predicate;
  e.recordSize = layoutEnabling(actions);
  return e;
}

export function program(enablings: Enabling[], aggregations: AggregationDesc[] = []): CompiledProgram {
  return { enablings, aggregations, formats: [], variables: new VariableState() };
}

export interface RunOptions {
  x?: Record<string, string>;
  firings?: ProbeFiring[];
  catalogue?: ComposedCatalogue;
  engine?: Partial<EngineInput>;
}

export async function runCompiled(p: CompiledProgram, o: RunOptions = {}) {
  const options = new OptionSet();
  for (const [k, v] of Object.entries(o.x ?? {})) {
    const r = options.set(k, v);
    if (!r.ok) throw new Error(`${k}: ${r.reason}`);
  }
  const sink = new RecordingSink();
  const result = await runProgram({
    program: p,
    options,
    catalogue: o.catalogue ?? testCatalogue(),
    sink,
    destructive: false,
    startWallTime: 1_000_000_000_000n,
    consumer: { pid: 100, tid: 101, ppid: 1, uid: 0, gid: 0, execname: 'dtrace' },
    ...(o.firings ? { firings: firingsOf(o.firings) } : {}),
    ...o.engine,
  });
  return { sink, result };
}

export function firing(over: Partial<ProbeFiring> = {}): ProbeFiring {
  return { probeId: 17, timestamp: 1000n, cpu: 0, pid: 7, tid: 8, ppid: 6, uid: 5, gid: 4, execname: 'ls', errno: 0, args: [], ...over };
}

/** Runs one DIF object as BEGIN's only action: its record, or the fault it raised. */
export async function evalDif(source: string, o: RunOptions = {}): Promise<{ value?: RecordValue; fault?: FaultReport }> {
  const e = enabling(1, [1], [action(source)]);
  const { sink } = await runCompiled(program([e]), o);
  const fault = sink.faults()[0];
  if (fault) return { fault };
  return { value: sink.firings()[0]?.records[0] };
}

/** Runs one DIF object on a `test:::fire` firing with the given facts. */
export async function evalOnFiring(source: string, f: Partial<ProbeFiring>, o: RunOptions = {}) {
  const cat = o.catalogue ?? testCatalogue();
  const id = cat.match({ provider: 'test', module: '', function: '', name: 'fire' })[0]!.id;
  const e = enabling(1, [id], [action(source)]);
  const { sink } = await runCompiled(program([e]), { ...o, catalogue: cat, firings: [firing({ probeId: id, ...f })] });
  const fault = sink.faults()[0];
  if (fault) return { fault };
  return { value: sink.firings()[0]?.records[0], firing: sink.firings()[0] };
}
