// The DIF emulator (dtrace_dif_emulate): runs one verified DIF object to its `ret` with exact
// 64-bit semantics. Registers hold unsigned 64-bit bigints (two's complement); %r0 reads 0.
// The condition codes follow the kernel exactly, including its quirk that the signed
// condition comes from the wrapped difference (so INT64_MIN < 1 is false after `cmp`).
// A fault stops the object: DifFault carries the code, the offending value and the byte
// offset of the faulting instruction.

import type { Difo } from '../dif/difo';
import {
  DTRACEFLT_BADADDR,
  DTRACEFLT_DIVZERO,
  DTRACEFLT_ILLOP,
  DTRACEFLT_NOSCRATCH,
  DTRACEFLT_TUPOFLOW,
} from '../dif/faults';
import * as op from '../dif/opcodes';

// Read once: under a CommonJS transform every namespace access is a getter call, and these
// sit on the hottest path.
const {
  DIF_DTR_NREGS,
  DIF_OP_ADD,
  DIF_OP_ALLOCS,
  DIF_OP_AND,
  DIF_OP_BA,
  DIF_OP_BE,
  DIF_OP_BG,
  DIF_OP_BGE,
  DIF_OP_BGEU,
  DIF_OP_BGU,
  DIF_OP_BL,
  DIF_OP_BLE,
  DIF_OP_BLEU,
  DIF_OP_BLU,
  DIF_OP_BNE,
  DIF_OP_CALL,
  DIF_OP_CMP,
  DIF_OP_COPYS,
  DIF_OP_FLUSHTS,
  DIF_OP_LDGA,
  DIF_OP_LDGAA,
  DIF_OP_LDGS,
  DIF_OP_LDLS,
  DIF_OP_LDSB,
  DIF_OP_LDSH,
  DIF_OP_LDSW,
  DIF_OP_LDTA,
  DIF_OP_LDTAA,
  DIF_OP_LDTS,
  DIF_OP_LDUB,
  DIF_OP_LDUH,
  DIF_OP_LDUW,
  DIF_OP_LDX,
  DIF_OP_MOV,
  DIF_OP_MUL,
  DIF_OP_NOP,
  DIF_OP_NOT,
  DIF_OP_OR,
  DIF_OP_POPTS,
  DIF_OP_PUSHTR,
  DIF_OP_PUSHTV,
  DIF_OP_RET,
  DIF_OP_RLDSB,
  DIF_OP_RLDSH,
  DIF_OP_RLDSW,
  DIF_OP_RLDUB,
  DIF_OP_RLDUH,
  DIF_OP_RLDUW,
  DIF_OP_RLDX,
  DIF_OP_SCMP,
  DIF_OP_SDIV,
  DIF_OP_SETS,
  DIF_OP_SETX,
  DIF_OP_SLL,
  DIF_OP_SRA,
  DIF_OP_SREM,
  DIF_OP_SRL,
  DIF_OP_STB,
  DIF_OP_STGAA,
  DIF_OP_STGS,
  DIF_OP_STH,
  DIF_OP_STLS,
  DIF_OP_STTAA,
  DIF_OP_STTS,
  DIF_OP_STW,
  DIF_OP_STX,
  DIF_OP_SUB,
  DIF_OP_TST,
  DIF_OP_UDIV,
  DIF_OP_ULDSB,
  DIF_OP_ULDSH,
  DIF_OP_ULDSW,
  DIF_OP_ULDUB,
  DIF_OP_ULDUH,
  DIF_OP_ULDUW,
  DIF_OP_ULDX,
  DIF_OP_UREM,
  DIF_OP_XOR,
} = op;
import {
  DIF_TF_BYREF,
  DIF_TYPE_STRING,
  DIF_VAR_OTHER_UBASE,
  DIFV_SCOPE_GLOBAL,
  DIFV_SCOPE_THREAD,
} from '../dif/variables';
import { DifFault, type AddressSpace, type Scratch } from './memory';
import type { TupleEntry, VariableStore } from './variables';

const U64 = (1n << 64n) - 1n;
const toU = (v: bigint): bigint => BigInt.asUintN(64, v);
const toS = (v: bigint): bigint => BigInt.asIntN(64, v);

/** A tuple-stack entry as pushed: the value (an address for by-ref), its size and kind. */
export interface TupleSlot {
  value: bigint;
  /** pushtr size (bytes); 0 for pushtv. */
  size: number;
  byRef: boolean;
  isString: boolean;
}

/** What the emulator needs from the firing it runs in. */
export interface DifMachine {
  readonly space: AddressSpace;
  readonly scratch: Scratch;
  readonly vars: VariableStore;
  readonly strsize: number;
  readonly cpu: number;
  /** Identifies the thread (and interrupt level) for thread-local variables. */
  readonly thread: number;
  /** Address of the object's string table. */
  stringTable(difo: Difo): bigint;
  /** Built-in scalar (ids below 0x500). */
  builtin(id: number): bigint;
  /** Built-in array element (args[], regs[], uregs[]). */
  builtinArray(id: number, index: bigint): bigint;
  /** Runs subroutine `code` with the tuple stack as its arguments. */
  call(code: number, args: readonly TupleSlot[]): bigint;
}

/** Thrown out of `emulate`: the fault plus the byte offset of the faulting instruction. */
export class EmulationFault extends Error {
  constructor(
    readonly fault: number,
    readonly value: bigint,
    readonly offset: number,
  ) {
    super(`DIF fault ${fault} at offset ${offset}`);
  }
}

/** Safety net beyond the verifier: more steps than instructions means something is wrong. */
const STEP_SLACK = 1;

/** Called before each instruction a watched emulation runs (the debugger's instruction stepping). */
export type InstructionWatch = (pc: number, regs: readonly bigint[]) => void;

export function emulate(difo: Difo, m: DifMachine, watch?: InstructionWatch): bigint {
  const text = difo.instructions;
  const regs: bigint[] = [0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
  const tuple: TupleSlot[] = [];
  let ccN = false;
  let ccZ = false;
  let ccV = false;
  let ccC = false;
  let pc = 0;
  let steps = 0;
  const maxSteps = text.length + STEP_SLACK;


  while (pc < text.length) {
    if (++steps > maxSteps) throw new EmulationFault(DTRACEFLT_ILLOP, 0n, pc * 4);
    const opc = pc;
    if (watch !== undefined) watch(opc, regs);
    const w = text[pc++]!;
    const code = w >>> 24;
    const r1 = (w >>> 16) & 0xff;
    const r2 = (w >>> 8) & 0xff;
    const rd = w & 0xff;
    try {
      switch (code) {
        case DIF_OP_OR:
          set(regs, rd, regs[r1]! | regs[r2]!);
          break;
        case DIF_OP_XOR:
          set(regs, rd, regs[r1]! ^ regs[r2]!);
          break;
        case DIF_OP_AND:
          set(regs, rd, regs[r1]! & regs[r2]!);
          break;
        case DIF_OP_SLL:
          set(regs, rd, (regs[r1]! << (regs[r2]! & 63n)) & U64);
          break;
        case DIF_OP_SRL:
          set(regs, rd, regs[r1]! >> (regs[r2]! & 63n));
          break;
        case DIF_OP_SRA:
          set(regs, rd, toU(toS(regs[r1]!) >> (regs[r2]! & 63n)));
          break;
        case DIF_OP_SUB:
          set(regs, rd, toU(regs[r1]! - regs[r2]!));
          break;
        case DIF_OP_ADD:
          set(regs, rd, toU(regs[r1]! + regs[r2]!));
          break;
        case DIF_OP_MUL:
          set(regs, rd, toU(regs[r1]! * regs[r2]!));
          break;
        case DIF_OP_SDIV:
        case DIF_OP_SREM: {
          const d = regs[r2]!;
          if (d === 0n) {
            set(regs, rd, 0n);
            throw new DifFault(DTRACEFLT_DIVZERO);
          }
          const a = toS(regs[r1]!);
          const b = toS(d);
          set(regs, rd, toU(code === DIF_OP_SDIV ? a / b : a % b));
          break;
        }
        case DIF_OP_UDIV:
        case DIF_OP_UREM: {
          const d = regs[r2]!;
          if (d === 0n) {
            set(regs, rd, 0n);
            throw new DifFault(DTRACEFLT_DIVZERO);
          }
          set(regs, rd, code === DIF_OP_UDIV ? regs[r1]! / d : regs[r1]! % d);
          break;
        }
        case DIF_OP_NOT:
          set(regs, rd, regs[r1]! ^ U64);
          break;
        case DIF_OP_MOV:
          set(regs, rd, regs[r1]!);
          break;
        case DIF_OP_CMP: {
          const diff = toS(regs[r1]! - regs[r2]!);
          ccN = diff < 0n;
          ccZ = diff === 0n;
          ccV = false;
          ccC = regs[r1]! < regs[r2]!;
          break;
        }
        case DIF_OP_TST:
          ccN = ccV = ccC = false;
          ccZ = regs[r1] === 0n;
          break;
        case DIF_OP_BA:
          pc = w & 0xffffff;
          break;
        case DIF_OP_BE:
          if (ccZ) pc = w & 0xffffff;
          break;
        case DIF_OP_BNE:
          if (!ccZ) pc = w & 0xffffff;
          break;
        case DIF_OP_BG:
          if (!(ccZ || ccN !== ccV)) pc = w & 0xffffff;
          break;
        case DIF_OP_BGU:
          if (!(ccC || ccZ)) pc = w & 0xffffff;
          break;
        case DIF_OP_BGE:
          if (ccN === ccV) pc = w & 0xffffff;
          break;
        case DIF_OP_BGEU:
          if (!ccC) pc = w & 0xffffff;
          break;
        case DIF_OP_BL:
          if (ccN !== ccV) pc = w & 0xffffff;
          break;
        case DIF_OP_BLU:
          if (ccC) pc = w & 0xffffff;
          break;
        case DIF_OP_BLE:
          if (ccZ || ccN !== ccV) pc = w & 0xffffff;
          break;
        case DIF_OP_BLEU:
          if (ccC || ccZ) pc = w & 0xffffff;
          break;
        case DIF_OP_LDSB:
        case DIF_OP_RLDSB:
          set(regs, rd, m.space.load(regs[r1]!, 1, true));
          break;
        case DIF_OP_LDSH:
        case DIF_OP_RLDSH:
          set(regs, rd, m.space.load(regs[r1]!, 2, true));
          break;
        case DIF_OP_LDSW:
        case DIF_OP_RLDSW:
          set(regs, rd, m.space.load(regs[r1]!, 4, true));
          break;
        case DIF_OP_LDUB:
        case DIF_OP_RLDUB:
          set(regs, rd, m.space.load(regs[r1]!, 1, false));
          break;
        case DIF_OP_LDUH:
        case DIF_OP_RLDUH:
          set(regs, rd, m.space.load(regs[r1]!, 2, false));
          break;
        case DIF_OP_LDUW:
        case DIF_OP_RLDUW:
          set(regs, rd, m.space.load(regs[r1]!, 4, false));
          break;
        case DIF_OP_LDX:
        case DIF_OP_RLDX:
          set(regs, rd, m.space.load(regs[r1]!, 8, false));
          break;
        case DIF_OP_ULDSB:
        case DIF_OP_ULDSH:
        case DIF_OP_ULDSW:
        case DIF_OP_ULDUB:
        case DIF_OP_ULDUH:
        case DIF_OP_ULDUW:
        case DIF_OP_ULDX:
          // No user address space is replayed yet: every user load misses.
          throw new DifFault(DTRACEFLT_BADADDR, regs[r1]!);
        case DIF_OP_RET:
          return regs[rd]!;
        case DIF_OP_NOP:
          break;
        case DIF_OP_SETX:
          set(regs, rd, difo.intTable[(w >>> 8) & 0xffff]!);
          break;
        case DIF_OP_SETS:
          set(regs, rd, m.stringTable(difo) + BigInt((w >>> 8) & 0xffff));
          break;
        case DIF_OP_SCMP: {
          const cmp = compareStrings(m, regs[r1]!, regs[r2]!);
          ccN = cmp < 0;
          ccZ = cmp === 0;
          ccV = ccC = false;
          break;
        }
        case DIF_OP_LDGA:
          set(regs, rd, m.builtinArray(r1, regs[r2]!));
          break;
        case DIF_OP_LDTA:
          throw new DifFault(DTRACEFLT_ILLOP);
        case DIF_OP_LDGS: {
          const id = (w >>> 8) & 0xffff;
          set(regs, rd, id < DIF_VAR_OTHER_UBASE ? m.builtin(id) : m.vars.loadGlobal(id));
          break;
        }
        case DIF_OP_STGS:
          m.vars.storeGlobal((w >>> 8) & 0xffff, regs[rd]!);
          break;
        case DIF_OP_LDTS:
          set(regs, rd, m.vars.loadThread((w >>> 8) & 0xffff, m.thread));
          break;
        case DIF_OP_STTS:
          m.vars.storeThread((w >>> 8) & 0xffff, m.thread, regs[rd]!);
          break;
        case DIF_OP_LDLS:
          set(regs, rd, m.vars.loadLocal((w >>> 8) & 0xffff, m.cpu));
          break;
        case DIF_OP_STLS:
          m.vars.storeLocal((w >>> 8) & 0xffff, m.cpu, regs[rd]!);
          break;
        case DIF_OP_CALL:
          set(regs, rd, m.call((w >>> 8) & 0xffff, tuple));
          break;
        case DIF_OP_PUSHTR:
        case DIF_OP_PUSHTV: {
          if (tuple.length >= DIF_DTR_NREGS) throw new DifFault(DTRACEFLT_TUPOFLOW);
          const type = r1;
          if (code === DIF_OP_PUSHTV) {
            tuple.push({ value: regs[rd]!, size: 0, byRef: false, isString: false });
          } else {
            tuple.push(refTupleSlot(m, type, r2, regs[r2]!, regs[rd]!));
          }
          break;
        }
        case DIF_OP_POPTS:
          tuple.pop();
          break;
        case DIF_OP_FLUSHTS:
          tuple.length = 0;
          break;
        case DIF_OP_LDGAA:
        case DIF_OP_LDTAA: {
          const scope = code === DIF_OP_LDGAA ? DIFV_SCOPE_GLOBAL : DIFV_SCOPE_THREAD;
          set(regs, rd, m.vars.loadAssoc(scope, (w >>> 8) & 0xffff, m.thread, tupleKey(m, tuple)));
          break;
        }
        case DIF_OP_STGAA:
        case DIF_OP_STTAA: {
          const scope = code === DIF_OP_STGAA ? DIFV_SCOPE_GLOBAL : DIFV_SCOPE_THREAD;
          m.vars.storeAssoc(scope, (w >>> 8) & 0xffff, m.thread, tupleKey(m, tuple), regs[rd]!);
          break;
        }
        case DIF_OP_ALLOCS: {
          const size = regs[r1]!;
          const addr = size > BigInt(m.scratch.remaining) ? undefined : m.scratch.allocate(Number(size));
          if (addr === undefined) {
            set(regs, rd, 0n);
            throw new DifFault(DTRACEFLT_NOSCRATCH);
          }
          set(regs, rd, addr);
          break;
        }
        case DIF_OP_COPYS: {
          const size = Number(regs[r2]! & 0xffffffffn);
          const data = m.space.read(regs[r1]!, size);
          m.space.write(regs[rd]!, data);
          break;
        }
        case DIF_OP_STB:
          m.space.store(regs[rd]!, 1, regs[r1]!);
          break;
        case DIF_OP_STH:
          m.space.store(regs[rd]!, 2, regs[r1]!);
          break;
        case DIF_OP_STW:
          m.space.store(regs[rd]!, 4, regs[r1]!);
          break;
        case DIF_OP_STX:
          m.space.store(regs[rd]!, 8, regs[r1]!);
          break;
        default:
          // xlate/xlarg and unknown opcodes never pass the verifier; refuse them anyway.
          throw new DifFault(DTRACEFLT_ILLOP);
      }
    } catch (e) {
      if (e instanceof DifFault) throw new EmulationFault(e.fault, e.value, opc * 4);
      throw e;
    }
  }
  // The verifier guarantees a final `ret`; falling off the end returns 0 like an empty object.
  return 0n;
}

/** Writes a register; %r0 stays zero (the verifier refuses writes to it anyway). */
function set(regs: bigint[], rd: number, v: bigint): void {
  if (rd !== 0) regs[rd] = v;
}

/** pushtr's tuple entry: `sizeReg` is the size register's number, `size` its value. */
export function refTupleSlot(m: DifMachine, type: number, sizeReg: number, size: bigint, value: bigint): TupleSlot {
  const isString = type === DIF_TYPE_STRING;
  // A string's size is its length bounded by the size register (or strsize), plus NUL.
  let n = Number(size > BigInt(0x7fffffff) ? BigInt(0x7fffffff) : size);
  if (isString) {
    const bound = sizeReg === 0 ? m.strsize : Math.min(n, m.strsize);
    n = m.space.readString(value, bound).length + 1;
  }
  return { value, size: n, byRef: true, isString };
}

/** The tuple as an associative-array key: by-ref entries contribute their bytes. */
export function tupleKey(m: DifMachine, tuple: readonly TupleSlot[]): TupleEntry[] {
  return tuple.map((t) => {
    if (!t.byRef) return { value: t.value };
    const bytes = t.isString ? m.space.readString(t.value, Math.max(0, t.size - 1)) : m.space.read(t.value, t.size);
    return { value: 0n, bytes };
  });
}

/** dtrace_strncmp over at most strsize bytes; NULL compares as the empty string. */
export function compareStrings(m: DifMachine, a: bigint, b: bigint): number {
  if (a === b) return 0;
  const sa = a === 0n ? new Uint8Array(0) : m.space.readString(a, m.strsize);
  const sb = b === 0n ? new Uint8Array(0) : m.space.readString(b, m.strsize);
  const n = Math.min(m.strsize, Math.max(sa.length, sb.length) + 1);
  for (let i = 0; i < n; i++) {
    const ca = sa[i] ?? 0;
    const cb = sb[i] ?? 0;
    if (ca !== cb) return ca - cb;
    if (ca === 0) return 0;
  }
  return 0;
}

/** Whether a return type is passed by reference (the action records the bytes it points at). */
export function returnsByRef(difo: Difo): boolean {
  return (difo.returnType.flags & DIF_TF_BYREF) !== 0;
}
