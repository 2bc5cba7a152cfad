// The DIF-to-JavaScript translator: one verified DIF object becomes one JavaScript function,
// built once (`new Function`) and cached per object, that computes exactly what `emulate()`
// computes, with the same faults at the same DIF offsets and the same calls into the runtime
// (variables, memory, built-ins, subroutines) in the same order.
//
// Representation: the registers stay unsigned 64-bit bigints, as in the interpreter, but as
// JavaScript locals (`r1`..`r7`) instead of an array, and every arithmetic result is wrapped
// with `BigInt.asUintN(64, ...)`. That form is exact by construction and it is the one V8's
// optimising compiler lowers to machine 64-bit arithmetic (a bigint that never escapes the
// function needs no heap allocation); every runtime function the object calls takes and
// returns bigints, so no conversion happens at the boundaries either. Pairs of int32 or
// doubles would need a conversion at every load, store, call and record.
//
// Control flow: DIF branches only move forward (the verifier refuses the rest), so each branch
// target T becomes a labelled block `LT: { ... }` opened at the start and closed just before
// instruction T, and a branch is `break LT`. The generated code has no loop at all.
//
// Condition codes are locals (`cN`, `cZ`, `cC`); the overflow flag is always false in DIF (cmp,
// tst and scmp all clear it), so it is folded away. Only instructions that can fault record
// their index in `at`; the one try/catch around the body turns a DifFault into the same
// EmulationFault (code, value, byte offset) the interpreter throws.

import type { Difo } from '../../dif/difo';
import { DTRACEFLT_BADADDR, DTRACEFLT_DIVZERO, DTRACEFLT_ILLOP, DTRACEFLT_NOSCRATCH, DTRACEFLT_TUPOFLOW } from '../../dif/faults';
import * as op from '../../dif/opcodes';
import { DIF_VAR_OTHER_UBASE, DIFV_SCOPE_GLOBAL, DIFV_SCOPE_THREAD } from '../../dif/variables';
import { compareStrings, EmulationFault, refTupleSlot, tupleKey, type DifMachine } from '../interpreter';
import { DifFault } from '../memory';

/** A translated DIF object: runs it on the machine, like `emulate(difo, m)`. */
export type CompiledDif = (m: DifMachine) => bigint;

/** What the generated code reaches outside its own locals. */
interface JitDeps {
  difo: Difo;
  DifFault: typeof DifFault;
  EmulationFault: typeof EmulationFault;
  compareStrings: typeof compareStrings;
  tupleKey: typeof tupleKey;
  refTupleSlot: typeof refTupleSlot;
}

const DEPS_BASE = { DifFault, EmulationFault, compareStrings, tupleKey, refTupleSlot };

/** Why an object was left to the interpreter (tests and the bench read it). */
export class Untranslatable extends Error {}

const cache = new WeakMap<Difo, CompiledDif | null>();

/** How many objects were translated, and how many were left to the interpreter (and why, last). */
export const jitStats = { translated: 0, refused: 0, lastRefusal: '' };

/** The object's translation, built on first use and cached; undefined: the interpreter runs it. */
export function compileDifo(difo: Difo): CompiledDif | undefined {
  const known = cache.get(difo);
  if (known !== undefined) return known ?? undefined;
  let fn: CompiledDif | null = null;
  try {
    const source = translateDifo(difo);
    const deps: JitDeps = { difo, ...DEPS_BASE };
    fn = new Function('deps', source)(deps) as CompiledDif;
    jitStats.translated++;
  } catch (e) {
    if (!(e instanceof Untranslatable)) throw e;
    jitStats.refused++;
    jitStats.lastRefusal = e.message;
  }
  cache.set(difo, fn);
  return fn ?? undefined;
}

const U64 = '0xffffffffffffffffn';

function lit(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}n`;
}

/** The JavaScript source of the factory: `deps` in, the object's function out. */
export function translateDifo(difo: Difo): string {
  const text = difo.instructions;
  const n = text.length;
  const nregs = op.DIF_DIR_NREGS;
  const used = new Set<number>();
  const targets = new Set<number>();
  let usesTuple = false;
  let usesCc = false;

  // Pass 1: check what the translation relies on (the verifier's guarantees).
  for (let pc = 0; pc < n; pc++) {
    const w = text[pc]!;
    const code = w >>> 24;
    if (code >= op.DIF_OP_BA && code <= op.DIF_OP_BLEU) {
      const t = w & 0xffffff;
      if (t <= pc) throw new Untranslatable(`backward branch at ${pc}`);
      targets.add(Math.min(t, n));
      usesCc = true;
      continue;
    }
    const r1 = (w >>> 16) & 0xff;
    const r2 = (w >>> 8) & 0xff;
    const rd = w & 0xff;
    switch (code) {
      case op.DIF_OP_SETX:
      case op.DIF_OP_SETS:
      case op.DIF_OP_LDGS:
      case op.DIF_OP_LDTS:
      case op.DIF_OP_LDLS:
      case op.DIF_OP_STGS:
      case op.DIF_OP_STTS:
      case op.DIF_OP_STLS:
      case op.DIF_OP_CALL:
      case op.DIF_OP_LDGAA:
      case op.DIF_OP_LDTAA:
      case op.DIF_OP_STGAA:
      case op.DIF_OP_STTAA:
      case op.DIF_OP_RET:
        if (rd >= nregs) throw new Untranslatable(`register ${rd} at ${pc}`);
        used.add(rd);
        break;
      case op.DIF_OP_LDGA:
        // r1 is the array's id, not a register.
        if (rd >= nregs || r2 >= nregs) throw new Untranslatable(`register at ${pc}`);
        used.add(rd).add(r2);
        break;
      case op.DIF_OP_PUSHTR:
      case op.DIF_OP_PUSHTV:
        // r1 is the type, not a register.
        if (rd >= nregs || r2 >= nregs) throw new Untranslatable(`register at ${pc}`);
        used.add(rd).add(r2);
        break;
      default:
        if (r1 >= nregs || r2 >= nregs || rd >= nregs) throw new Untranslatable(`register at ${pc}`);
        used.add(r1).add(r2).add(rd);
    }
    if (code === op.DIF_OP_SETX && ((w >>> 8) & 0xffff) >= difo.intTable.length) throw new Untranslatable(`integer table index at ${pc}`);
    if (code === op.DIF_OP_CMP || code === op.DIF_OP_TST || code === op.DIF_OP_SCMP) usesCc = true;
    if (code === op.DIF_OP_CALL || code === op.DIF_OP_PUSHTR || code === op.DIF_OP_PUSHTV || code === op.DIF_OP_POPTS || code === op.DIF_OP_FLUSHTS) usesTuple = true;
    if (code >= op.DIF_OP_LDGAA && code <= op.DIF_OP_STTAA) usesTuple = true;
  }

  const reg = (r: number): string => (r === 0 ? '0n' : `r${r}`);
  /** Assigns to rd (an expression statement when rd is %r0: its side effects still happen). */
  const put = (rd: number, expr: string): string => (rd === 0 ? `${expr};` : `r${rd} = ${expr};`);
  const fault = (code: number, value = '0n'): string => `throw new DifFault(${code}, ${value});`;

  const sorted = [...targets].sort((a, b) => b - a);
  const lines: string[] = [];
  // All blocks open at the top, the outermost closing last.
  if (sorted.length > 0) lines.push(sorted.map((t) => `L${t}: {`).join(' '));
  for (let pc = 0; pc < n; pc++) {
    if (targets.has(pc)) lines.push(`} // L${pc}`);
    const w = text[pc]!;
    const code = w >>> 24;
    const r1 = (w >>> 16) & 0xff;
    const r2 = (w >>> 8) & 0xff;
    const rd = w & 0xff;
    const a = reg(r1);
    const b = reg(r2);
    const d = reg(rd);
    const v16 = (w >>> 8) & 0xffff;
    const label = `L${Math.min(w & 0xffffff, n)}`;
    const at = `at = ${pc};`;
    let s: string;
    switch (code) {
      case op.DIF_OP_OR:
        s = put(rd, `${a} | ${b}`);
        break;
      case op.DIF_OP_XOR:
        s = put(rd, `${a} ^ ${b}`);
        break;
      case op.DIF_OP_AND:
        s = put(rd, `${a} & ${b}`);
        break;
      case op.DIF_OP_SLL:
        s = put(rd, `BigInt.asUintN(64, ${a} << (${b} & 63n))`);
        break;
      case op.DIF_OP_SRL:
        s = put(rd, `${a} >> (${b} & 63n)`);
        break;
      case op.DIF_OP_SRA:
        s = put(rd, `BigInt.asUintN(64, BigInt.asIntN(64, ${a}) >> (${b} & 63n))`);
        break;
      case op.DIF_OP_SUB:
        s = put(rd, `BigInt.asUintN(64, ${a} - ${b})`);
        break;
      case op.DIF_OP_ADD:
        s = put(rd, `BigInt.asUintN(64, ${a} + ${b})`);
        break;
      case op.DIF_OP_MUL:
        s = put(rd, `BigInt.asUintN(64, ${a} * ${b})`);
        break;
      case op.DIF_OP_SDIV:
      case op.DIF_OP_SREM: {
        const o = code === op.DIF_OP_SDIV ? '/' : '%';
        s = `if (${b} === 0n) { ${at} ${fault(DTRACEFLT_DIVZERO)} } ${put(rd, `BigInt.asUintN(64, BigInt.asIntN(64, ${a}) ${o} BigInt.asIntN(64, ${b}))`)}`;
        break;
      }
      case op.DIF_OP_UDIV:
      case op.DIF_OP_UREM: {
        const o = code === op.DIF_OP_UDIV ? '/' : '%';
        s = `if (${b} === 0n) { ${at} ${fault(DTRACEFLT_DIVZERO)} } ${put(rd, `${a} ${o} ${b}`)}`;
        break;
      }
      case op.DIF_OP_NOT:
        s = put(rd, `${a} ^ ${U64}`);
        break;
      case op.DIF_OP_MOV:
        s = put(rd, a);
        break;
      case op.DIF_OP_CMP:
        s = r1 === r2 ? 'cN = false; cZ = true; cC = false;' : `cN = BigInt.asIntN(64, ${a} - ${b}) < 0n; cZ = ${a} === ${b}; cC = ${a} < ${b};`;
        break;
      case op.DIF_OP_TST:
        s = `cN = false; cC = false; cZ = ${a} === 0n;`;
        break;
      case op.DIF_OP_BA:
        s = `break ${label};`;
        break;
      case op.DIF_OP_BE:
        s = `if (cZ) break ${label};`;
        break;
      case op.DIF_OP_BNE:
        s = `if (!cZ) break ${label};`;
        break;
      case op.DIF_OP_BG:
        s = `if (!(cZ || cN)) break ${label};`;
        break;
      case op.DIF_OP_BGU:
        s = `if (!(cC || cZ)) break ${label};`;
        break;
      case op.DIF_OP_BGE:
        s = `if (!cN) break ${label};`;
        break;
      case op.DIF_OP_BGEU:
        s = `if (!cC) break ${label};`;
        break;
      case op.DIF_OP_BL:
        s = `if (cN) break ${label};`;
        break;
      case op.DIF_OP_BLU:
        s = `if (cC) break ${label};`;
        break;
      case op.DIF_OP_BLE:
        s = `if (cZ || cN) break ${label};`;
        break;
      case op.DIF_OP_BLEU:
        s = `if (cC || cZ) break ${label};`;
        break;
      case op.DIF_OP_LDSB:
      case op.DIF_OP_RLDSB:
        s = `${at} ${put(rd, `m.space.load(${a}, 1, true)`)}`;
        break;
      case op.DIF_OP_LDSH:
      case op.DIF_OP_RLDSH:
        s = `${at} ${put(rd, `m.space.load(${a}, 2, true)`)}`;
        break;
      case op.DIF_OP_LDSW:
      case op.DIF_OP_RLDSW:
        s = `${at} ${put(rd, `m.space.load(${a}, 4, true)`)}`;
        break;
      case op.DIF_OP_LDUB:
      case op.DIF_OP_RLDUB:
        s = `${at} ${put(rd, `m.space.load(${a}, 1, false)`)}`;
        break;
      case op.DIF_OP_LDUH:
      case op.DIF_OP_RLDUH:
        s = `${at} ${put(rd, `m.space.load(${a}, 2, false)`)}`;
        break;
      case op.DIF_OP_LDUW:
      case op.DIF_OP_RLDUW:
        s = `${at} ${put(rd, `m.space.load(${a}, 4, false)`)}`;
        break;
      case op.DIF_OP_LDX:
      case op.DIF_OP_RLDX:
        s = `${at} ${put(rd, `m.space.load(${a}, 8, false)`)}`;
        break;
      case op.DIF_OP_ULDSB:
      case op.DIF_OP_ULDSH:
      case op.DIF_OP_ULDSW:
      case op.DIF_OP_ULDUB:
      case op.DIF_OP_ULDUH:
      case op.DIF_OP_ULDUW:
      case op.DIF_OP_ULDX:
        s = `${at} ${fault(DTRACEFLT_BADADDR, a)}`;
        break;
      case op.DIF_OP_RET:
        s = `return ${d};`;
        break;
      case op.DIF_OP_NOP:
        s = '';
        break;
      case op.DIF_OP_SETX:
        s = put(rd, lit(difo.intTable[v16]!));
        break;
      case op.DIF_OP_SETS:
        s = `${at} ${put(rd, `m.stringTable(difo) + ${v16}n`)}`;
        break;
      case op.DIF_OP_SCMP:
        s = `${at} { const c = compareStrings(m, ${a}, ${b}); cN = c < 0; cZ = c === 0; cC = false; }`;
        break;
      case op.DIF_OP_LDGA:
        s = `${at} ${put(rd, `m.builtinArray(${r1}, ${b})`)}`;
        break;
      case op.DIF_OP_LDTA:
        s = `${at} ${fault(DTRACEFLT_ILLOP)}`;
        break;
      case op.DIF_OP_LDGS:
        s = `${at} ${put(rd, v16 < DIF_VAR_OTHER_UBASE ? `m.builtin(${v16})` : `m.vars.loadGlobal(${v16})`)}`;
        break;
      case op.DIF_OP_STGS:
        s = `${at} m.vars.storeGlobal(${v16}, ${d});`;
        break;
      case op.DIF_OP_LDTS:
        s = `${at} ${put(rd, `m.vars.loadThread(${v16}, m.thread)`)}`;
        break;
      case op.DIF_OP_STTS:
        s = `${at} m.vars.storeThread(${v16}, m.thread, ${d});`;
        break;
      case op.DIF_OP_LDLS:
        s = `${at} ${put(rd, `m.vars.loadLocal(${v16}, m.cpu)`)}`;
        break;
      case op.DIF_OP_STLS:
        s = `${at} m.vars.storeLocal(${v16}, m.cpu, ${d});`;
        break;
      case op.DIF_OP_CALL:
        s = `${at} ${put(rd, `m.call(${v16}, tuple)`)}`;
        break;
      case op.DIF_OP_PUSHTV:
        s = `if (tuple.length >= ${op.DIF_DTR_NREGS}) { ${at} ${fault(DTRACEFLT_TUPOFLOW)} } tuple.push({ value: ${d}, size: 0, byRef: false, isString: false });`;
        break;
      case op.DIF_OP_PUSHTR:
        s = `${at} if (tuple.length >= ${op.DIF_DTR_NREGS}) ${fault(DTRACEFLT_TUPOFLOW)} tuple.push(refTupleSlot(m, ${r1}, ${r2}, ${b}, ${d}));`;
        break;
      case op.DIF_OP_POPTS:
        s = 'tuple.pop();';
        break;
      case op.DIF_OP_FLUSHTS:
        s = 'tuple.length = 0;';
        break;
      case op.DIF_OP_LDGAA:
      case op.DIF_OP_LDTAA: {
        const scope = code === op.DIF_OP_LDGAA ? DIFV_SCOPE_GLOBAL : DIFV_SCOPE_THREAD;
        s = `${at} ${put(rd, `m.vars.loadAssoc(${scope}, ${v16}, m.thread, tupleKey(m, tuple))`)}`;
        break;
      }
      case op.DIF_OP_STGAA:
      case op.DIF_OP_STTAA: {
        const scope = code === op.DIF_OP_STGAA ? DIFV_SCOPE_GLOBAL : DIFV_SCOPE_THREAD;
        s = `${at} m.vars.storeAssoc(${scope}, ${v16}, m.thread, tupleKey(m, tuple), ${d});`;
        break;
      }
      case op.DIF_OP_ALLOCS:
        s =
          `${at} { const size = ${a}; const addr = size > BigInt(m.scratch.remaining) ? undefined : m.scratch.allocate(Number(size));` +
          ` if (addr === undefined) ${fault(DTRACEFLT_NOSCRATCH)} ${put(rd, 'addr')} }`;
        break;
      case op.DIF_OP_COPYS:
        s = `${at} { const data = m.space.read(${a}, Number(${b} & 0xffffffffn)); m.space.write(${d}, data); }`;
        break;
      case op.DIF_OP_STB:
        s = `${at} m.space.store(${d}, 1, ${a});`;
        break;
      case op.DIF_OP_STH:
        s = `${at} m.space.store(${d}, 2, ${a});`;
        break;
      case op.DIF_OP_STW:
        s = `${at} m.space.store(${d}, 4, ${a});`;
        break;
      case op.DIF_OP_STX:
        s = `${at} m.space.store(${d}, 8, ${a});`;
        break;
      default:
        s = `${at} ${fault(DTRACEFLT_ILLOP)}`;
    }
    lines.push(`/* ${pc} */ ${s}`);
  }
  if (targets.has(n)) lines.push(`} // L${n}`);
  lines.push('return 0n;');

  const regDecl = [...used].filter((r) => r !== 0).sort((x, y) => x - y).map((r) => `r${r} = 0n`);
  const head = [
    `'use strict';`,
    `const { difo, DifFault, EmulationFault, compareStrings, tupleKey, refTupleSlot } = deps;`,
    `return function dif(m) {`,
    regDecl.length > 0 ? `let ${regDecl.join(', ')};` : '',
    usesCc ? 'let cN = false, cZ = false, cC = false;' : '',
    usesTuple ? 'const tuple = [];' : '',
    'let at = 0;',
    'try {',
  ];
  const tail = ['} catch (e) {', '  if (e instanceof DifFault) throw new EmulationFault(e.fault, e.value, at * 4);', '  throw e;', '}', '};'];
  return [...head, ...lines, ...tail].filter((l) => l !== '').join('\n');
}
