// When a trace replay may be split across worker threads: only when merging the workers'
// aggregations gives exactly what one thread would have printed. DTrace's own model is the
// argument (reference: aggregations are per-CPU buffers that the consumer merges exactly):
// count, sum, min, max, avg, stddev and the quantizations combine by addition or comparison,
// whatever order the snapshots arrive in, and the consumer sorts what it prints by value and
// key, never by arrival. So a firing may run in any worker when what it does is only that:
// aggregate, with nothing it reads depending on what other firings did.
//
// The rule, for the program as compiled (codegen/program.ts):
//
// Probe clauses (every enabling not on the dtrace provider):
// - aggregating actions only, with their keys and increments, and expression statements that
//   record nothing: no record in the principal buffer (recordSize 0, not speculative), so no
//   trace/printf/printa/exit/speculation/destructive action and no probe line per firing;
// - their DIF (predicate and actions) reads only the firing: integer and string arithmetic,
//   branches, constants, string comparison, args[] and these built-ins: timestamp,
//   walltimestamp, epid, id, arg0-arg9, probeprov/mod/func/name, pid, tid, ppid, uid, gid,
//   errno, execname, cpu. Not allowed: global and thread-local variables and associative
//   arrays (loaded or stored: another firing's store would be in another worker), any memory
//   load or store (copyin and the kernel image behind curthread/curpsinfo read the process
//   table a worker has only part of), every subroutine call (rand() has state; copyin*,
//   progenyof() read the process table), translators, tuple stacks;
// - clause-local (`this->`) variables only after a store that every path of the same enabling
//   has made before the load (the kernel keeps clause-locals per CPU between firings, so a
//   load before any store reads what the CPU's previous firing left, which may be in another
//   worker);
// - not on the io, sched and proc providers (their args[] are built from recorded memory at
//   addresses the VM hands out in firing order);
// - no tick-N or profile-N probe anywhere (the engine's clock fires them between firings).
// dtrace provider clauses (BEGIN, END, ERROR) run on the main thread, in order, and may do
// anything except:
// - exit() in BEGIN or ERROR (tracing would stop before or among the firings), and
//   bufpolicy=fill (a full buffer stops tracing after BEGIN);
// - aggregating in END or ERROR (their keys share the last aggregation buffer window with the
//   last firings, so whether a key drops depends on both: only the single thread knows);
// - setopt() (an option changed while tracing would not reach the workers, compiled before).
// An enabling may not mix dtrace probes with others.
//
// What the rule cannot see is decided at run time (replay.ts): a fault, a drop of any kind or
// a malformed record in any worker, or workers' aggregation buffers that could have dropped
// a key when they were one buffer, sends the run back to the single thread, from the start.
import type { ProbeCatalogue } from '../../analyze/catalogue/types';
import type { OptionSet } from '../../analyze/options/optionSet';
import { ACT, type CompiledProgram, type Enabling } from '../../codegen/program';
import type { Difo } from '../../dif/difo';
import { KERNEL_ARG_PROVIDERS } from '../../vm/engine';
import {
  DIF_OP_BA,
  DIF_OP_BLEU,
  DIF_OP_LDGA,
  DIF_OP_LDGS,
  DIF_OP_LDLS,
  DIF_OP_NOP,
  DIF_OP_RET,
  DIF_OP_SCMP,
  DIF_OP_SETS,
  DIF_OP_SETX,
  DIF_OP_SRA,
  DIF_OP_STLS,
  DIF_OP_TST,
} from '../../dif/opcodes';
import {
  DIF_VAR_ARG0,
  DIF_VAR_ARG9,
  DIF_VAR_ARGS,
  DIF_VAR_CPU,
  DIF_VAR_EPID,
  DIF_VAR_ERRNO,
  DIF_VAR_EXECNAME,
  DIF_VAR_GID,
  DIF_VAR_ID,
  DIF_VAR_PID,
  DIF_VAR_PPID,
  DIF_VAR_PROBEFUNC,
  DIF_VAR_PROBEMOD,
  DIF_VAR_PROBENAME,
  DIF_VAR_PROBEPROV,
  DIF_VAR_TID,
  DIF_VAR_TIMESTAMP,
  DIF_VAR_UID,
  DIF_VAR_WALLTIMESTAMP,
} from '../../dif/variables';

export type ParallelSafety = { safe: true } | { safe: false; reason: string };

/** Built-ins that are facts of the firing itself (the same in any worker). */
const FIRING_BUILTINS = new Set<number>([
  DIF_VAR_TIMESTAMP,
  DIF_VAR_WALLTIMESTAMP,
  DIF_VAR_EPID,
  DIF_VAR_ID,
  DIF_VAR_PROBEPROV,
  DIF_VAR_PROBEMOD,
  DIF_VAR_PROBEFUNC,
  DIF_VAR_PROBENAME,
  DIF_VAR_PID,
  DIF_VAR_TID,
  DIF_VAR_EXECNAME,
  DIF_VAR_PPID,
  DIF_VAR_UID,
  DIF_VAR_GID,
  DIF_VAR_ERRNO,
  DIF_VAR_CPU,
]);


const isAggregating = (kind: number): boolean => kind >= ACT.AGG_COUNT && kind <= ACT.AGG_LLQUANTIZE;

/** Whether merging per-worker aggregations of this program is exactly the single thread's result (the rule above). */
export function parallelSafety(program: CompiledProgram, catalogue: ProbeCatalogue, options: OptionSet): ParallelSafety {
  if (options.word('bufpolicy') === 'fill') return { safe: false, reason: 'bufpolicy=fill (a full buffer stops tracing)' };
  let probeClauses = 0;
  for (const e of program.enablings) {
    const probes = e.probes.map((id) => catalogue.probe(id));
    const dtrace = probes.filter((p) => p?.provider === 'dtrace').length;
    if (dtrace > 0 && dtrace < probes.length) return { safe: false, reason: `clause ${e.clause} enables dtrace probes with others` };
    if (dtrace > 0) {
      if (e.actions.some((a) => a.kind === ACT.LIBACT && a.library === 'setopt')) return { safe: false, reason: 'setopt()' };
      const names = new Set(probes.map((p) => p!.name));
      if ((names.has('BEGIN') || names.has('ERROR')) && e.actions.some((a) => a.kind === ACT.EXIT)) return { safe: false, reason: 'exit() in BEGIN or ERROR' };
      if ((names.has('END') || names.has('ERROR')) && e.actions.some((a) => isAggregating(a.kind))) return { safe: false, reason: 'aggregating in END or ERROR' };
      continue;
    }
    probeClauses++;
    for (const p of probes) {
      if (p === undefined) return { safe: false, reason: 'a probe the catalogue lacks' };
      if (p.provider === 'profile') return { safe: false, reason: `${p.provider}:::${p.name} fires on the engine's clock` };
      if (KERNEL_ARG_PROVIDERS.has(p.provider)) return { safe: false, reason: `the ${p.provider} provider's args[] come from recorded memory` };
    }
    const why = probeClauseProblem(e);
    if (why !== undefined) return { safe: false, reason: `clause ${e.clause}: ${why}` };
  }
  if (probeClauses === 0) return { safe: false, reason: 'no probe clause' };
  return { safe: true };
}

/** Why a probe clause is not only aggregation over the firing's own facts; undefined when it is. */
function probeClauseProblem(e: Enabling): string | undefined {
  if (e.speculative || e.recordSize !== 0) return 'records in the principal buffer';
  const inTuple = new Uint8Array(e.actions.length);
  e.actions.forEach((a, i) => {
    if (!isAggregating(a.kind)) return;
    const members = (a.keys ?? 0) + (a.increment === true ? 1 : 0);
    for (let k = i - members; k < i; k++) if (k >= 0) inTuple[k] = 1;
  });
  for (const [i, a] of e.actions.entries()) {
    if (isAggregating(a.kind)) continue;
    // Anything else must be an aggregation's key or increment, or a statement recording nothing.
    if (a.kind !== ACT.DIFEXPR || (inTuple[i] === 0 && a.size !== 0)) return `action ${i} is not an aggregation`;
  }
  const stored = new Set<number>();
  const difos = [e.predicate, ...e.actions.map((a) => a.difo)].filter((d): d is Difo => d !== undefined);
  for (const d of difos) {
    const why = difoProblem(d, stored);
    if (why !== undefined) return why;
  }
  return undefined;
}

/**
 * Why a DIF object may read more than its firing; undefined when it does not. `stored` holds the
 * clause-locals every path of the enabling has stored so far; this object's certain stores are added.
 */
function difoProblem(d: Difo, stored: Set<number>): string | undefined {
  const text = d.instructions;
  // DIF branches only forward (verifier): an instruction runs on every path through the object
  // when no earlier branch jumps past it and no earlier ret ends the object before it.
  let furthestJump = 0;
  let returned = false;
  for (let i = 0; i < text.length; i++) {
    const w = text[i]!;
    const op = w >>> 24;
    const certain = !returned && furthestJump <= i;
    if (op >= DIF_OP_BA && op <= DIF_OP_BLEU) {
      furthestJump = Math.max(furthestJump, w & 0xffffff);
      continue;
    }
    if (op === DIF_OP_LDGS) {
      const id = (w >>> 8) & 0xffff;
      if (!FIRING_BUILTINS.has(id) && !(id >= DIF_VAR_ARG0 && id <= DIF_VAR_ARG9)) return `it reads variable ${id.toString(16)}`;
      continue;
    }
    if (op === DIF_OP_LDGA) {
      if (((w >>> 16) & 0xff) !== DIF_VAR_ARGS) return 'it reads a built-in array other than args[]';
      continue;
    }
    if (op === DIF_OP_STLS) {
      if (certain) stored.add((w >>> 8) & 0xffff);
      continue;
    }
    if (op === DIF_OP_LDLS) {
      if (!stored.has((w >>> 8) & 0xffff)) return 'it may read a clause-local variable before storing it';
      continue;
    }
    if (op === DIF_OP_RET) {
      returned = true;
      continue;
    }
    // Arithmetic, logic, mov, cmp, tst (1..16), sra, nop, constants, string comparison.
    if ((op >= 1 && op <= DIF_OP_TST) || op === DIF_OP_SRA || op === DIF_OP_NOP || op === DIF_OP_SETX || op === DIF_OP_SETS || op === DIF_OP_SCMP) continue;
    return `it uses DIF opcode ${op}`;
  }
  return undefined;
}
