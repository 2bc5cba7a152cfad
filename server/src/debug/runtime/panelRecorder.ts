// What the trace panel shows, built from the execution at the pause: per-clause counts (fired,
// passed, faults, drops, summed over the clause's enablings), the recent firings with each
// clause's outcome, the output so far and the aggregations.
import type { AggregationDesc, CompiledProgram } from '../../codegen/program';
import { isAggregating } from '../../codegen/recordLayout';
import type { ClauseOutcome, PanelClause, PanelEvent, PanelState } from '../panelModel';
import { panelAggregations } from './aggregationView';
import type { ClauseInfo } from './api';
import type { ClauseMap } from './clauseMap';
import type { Execution, ProducedOutput } from './execution';

/** Output entries the panel state carries (the latest). */
const OUTPUT_WINDOW = 500;

export class PanelRecorder {
  private clauses: readonly ClauseInfo[] = [];
  private map: ClauseMap | undefined;

  reset(clauses: readonly ClauseInfo[], map: ClauseMap): void {
    this.clauses = clauses;
    this.map = map;
  }

  state(script: string, exec: Execution | undefined, program: CompiledProgram | undefined, output: readonly ProducedOutput[]): PanelState {
    const map = this.map;
    const clauses: PanelClause[] = this.clauses.map((c) => ({ index: c.index, probes: c.probes, line: c.spot.line, fired: 0, passed: 0, faults: 0, drops: 0 }));
    const events: PanelEvent[] = [];
    if (exec !== undefined && map !== undefined && program !== undefined) {
      // A clause split by `if` counts once per firing: its first enabling's outcome.
      const seen = new Set<number>();
      for (const e of program.enablings) {
        const clause = map.places(e).clause;
        const c = exec.counts.get(e);
        if (clause === undefined || c === undefined || seen.has(clause)) continue;
        seen.add(clause);
        const pc = clauses[clause]!;
        pc.fired += c.fired;
        pc.passed += c.passed;
        pc.faults += c.faults;
        pc.drops += c.drops;
      }
      for (const r of exec.recent) {
        const outcomes: ClauseOutcome[] = this.clauses.map(() => 'none');
        for (const [e, o] of r.outcomes) {
          const clause = map.places(e).clause;
          if (clause === undefined) continue;
          const mapped: ClauseOutcome = o === 'done' || o === 'discarded' ? 'passed' : o === 'fault' ? 'fault' : o === 'drop' ? 'drop' : 'false';
          // Any fault or pass of the clause's parts shows over a false one.
          if (outcomes[clause] === 'none' || outcomes[clause] === 'false' || mapped === 'fault') outcomes[clause] = mapped;
        }
        const f = r.facts;
        events.push({
          index: r.index,
          timestamp: f.timestamp.toString(),
          probe: `${f.probe.provider}:${f.probe.module}:${f.probe.function}:${f.probe.name}`,
          cpu: f.cpu,
          pid: f.pid,
          tid: String(f.tid),
          execname: f.execname,
          outcomes,
        });
      }
    }
    const lineOf = (desc: AggregationDesc): number | undefined => {
      if (program === undefined || map === undefined) return undefined;
      for (const e of program.enablings) {
        const i = e.actions.findIndex((a) => a.aggregation === desc.id - 1 && isAggregating(a.kind));
        if (i >= 0) return map.places(e).actions[i]?.spot.line ?? e.actions[i]!.line;
      }
      return undefined;
    };
    return {
      script,
      running: false,
      ...(exec?.pause !== undefined && exec.pause.kind !== 'end' ? { current: exec.pause.firing } : {}),
      clauses,
      events,
      totalEvents: exec === undefined ? 0 : exec.firingIndex + 1,
      output: output.slice(-OUTPUT_WINDOW).map((o) => ({ text: o.text, stream: o.stream, ...(o.firing !== undefined ? { firing: o.firing } : {}) })),
      aggregations: exec !== undefined && program !== undefined ? panelAggregations(exec, program, lineOf) : [],
    };
  }
}
