// Load-time verification of a DIF object, rule for rule as the kernel's dtrace_difo_validate()
// (reference §7.1), preceded by the DOF loader's checks on the same object. This is what makes
// the VM safe to run without bounds checks of its own: every register, table reference and
// variable id is in range, control flow only moves forward and the last instruction is `ret`,
// so every run ends within `instructions.length` steps.
//
// As in the kernel, the scan stops after the first instruction with a fault, but every message
// for that instruction is kept, and the checks on the last instruction and the return type
// still run. Messages are the kernel's (without its trailing newline).

import type { Difo } from './difo.ts';
import { makeWord, r1Of, r2Of, rdOf, labelOf, indexOf, opcodeOf } from './encoding.ts';
import * as op from './opcodes.ts';
import { DEFAULT_PLATFORM, type DifPlatform } from './platform.ts';
import { DIF_SUBR_COPYOUT, DIF_SUBR_COPYOUTSTR, subroutineCode, subroutineTable } from './subroutines.ts';
import type { VariableState } from './variable-state.ts';
import {
  DIF_TF_BYREF,
  DIF_TF_BYUREF,
  DIF_TYPE_CTF,
  DIF_TYPE_STRING,
  DIF_VAR_ARRAY_MAX,
  DIF_VAR_OTHER_MAX,
  DIF_VAR_OTHER_MIN,
  DIF_VAR_OTHER_UBASE,
  DIF_VARIABLE_MAX,
  DIFV_KIND_ARRAY,
  DIFV_KIND_SCALAR,
  DIFV_SCOPE_GLOBAL,
  DIFV_SCOPE_LOCAL,
  DIFV_SCOPE_THREAD,
  DTRACE_STATVAR_MAXSIZE,
  DTRACE_STRSIZE_DEFAULT,
} from './variables.ts';

/** Kernel limit on the total size of one DIF object's sections (dtrace_difo_maxsize). */
export const DTRACE_DIFO_MAXSIZE = 256 * 1024;

export interface VerifyOptions {
  /** Sets DIF_SUBR_MAX, whether by-user-ref return types count as by-reference (not on
   *  illumos) and whether getf() is refused (FreeBSD). illumos by default. */
  platform?: DifPlatform;
  /** Integer registers available (DIF_DIR_NREGS). */
  nregs?: number;
  /** Whether the consumer may see kernel memory. When false the kernel turns every plain
   *  load into its checked (rld*) twin, and so does this verifier, in place. Default true. */
  kernelVisible?: boolean;
  /** Definitions from objects verified earlier for the same consumer; updated on success. */
  state?: VariableState;
  /** Size the loader gives user string variables declared with size 0 (the strsize option). */
  strsize?: number;
  /** Largest by-reference global or clause-local variable (dtrace_statvar_maxsize). */
  statvarMaxSize?: number;
  /** Largest DIF object, all sections together. */
  maxSize?: number;
}

/** Where a finding points: the object as a whole, an instruction or a variable-table entry. */
export type VerifierSite = 'object' | 'instruction' | 'variable';

export interface VerifierFinding {
  readonly message: string;
  readonly site: VerifierSite;
  /** Instruction index (the last one for the `ret` and return-size rules), vartab index,
   *  or -1 for the object as a whole. */
  readonly index: number;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** The first finding: what the kernel prints first. */
  readonly error?: VerifierFinding;
  readonly findings: readonly VerifierFinding[];
}

/** Verifies `difo` in place: as the kernel does to its copy, this sets `destructive`, gives
 *  zero-sized string variables the strsize, and may rewrite loads (see kernelVisible). */
export function verifyDifo(difo: Difo, options: VerifyOptions = {}): VerifyResult {
  const v = new Verification(difo, options);
  v.run();
  const findings = v.findings;
  if (findings.length === 0) options.state?.record(difo);
  return findings.length === 0 ? { ok: true, findings } : { ok: false, error: findings[0]!, findings };
}

class Verification {
  readonly findings: VerifierFinding[] = [];
  private readonly platform: DifPlatform;
  private readonly nregs: number;
  private readonly subrMax: number;
  private readonly unsupportedSubr: number | undefined;

  constructor(
    private readonly difo: Difo,
    private readonly options: VerifyOptions,
  ) {
    this.platform = options.platform ?? DEFAULT_PLATFORM;
    this.nregs = options.nregs ?? op.DIF_DIR_NREGS;
    this.subrMax = subroutineTable(this.platform).max;
    // FreeBSD's kernel has the getf() number but refuses programs that call it.
    this.unsupportedSubr = this.platform === 'freebsd' ? subroutineCode('getf', 'freebsd') : undefined;
  }

  run(): void {
    if (!this.loaderChecks()) return;
    this.normaliseStringSizes();
    this.difo.destructive = false;
    this.instructions();
    this.lastInstruction();
    this.returnSize();
    if (this.findings.length > 0) return;
    const maxIds = this.variableTable();
    if (this.findings.length > 0 || maxIds === undefined) return;
    this.userVariableIds(maxIds);
  }

  private report(site: VerifierSite, index: number, message: string): void {
    this.findings.push({ message, site, index });
  }

  /** What dtrace_dof_slurp() and dtrace_dof_difo() refuse before validation starts. */
  private loaderChecks(): boolean {
    const d = this.difo;
    if (d.stringTable.length > 0 && d.stringTable[d.stringTable.length - 1] !== 0) {
      this.report('object', -1, 'non-terminating string table');
    } else if (
      d.instructions.length * 4 + d.intTable.length * 8 + d.stringTable.length + d.variables.length * 16 >
      (this.options.maxSize ?? DTRACE_DIFO_MAXSIZE)
    ) {
      this.report('object', -1, 'exceeds maximum size');
    } else if (d.instructions.length === 0) {
      this.report('object', -1, 'missing DIF text');
    }
    return this.findings.length === 0;
  }

  private normaliseStringSizes(): void {
    for (const v of this.difo.variables) {
      if (v.id >= DIF_VAR_OTHER_UBASE && v.type.kind === DIF_TYPE_STRING && v.type.size === 0) {
        v.type.size = this.options.strsize ?? DTRACE_STRSIZE_DEFAULT;
      }
    }
  }

  private instructions(): void {
    const code = this.difo.instructions;
    for (let pc = 0; pc < code.length && this.findings.length === 0; pc++) this.instruction(pc, code[pc]!);
  }

  private instruction(pc: number, word: number): void {
    const n = this.nregs;
    const r1 = r1Of(word);
    const r2 = r2Of(word);
    const rd = rdOf(word);
    const rs = rd;
    const index = indexOf(word);
    const code = opcodeOf(word);
    const fail = (message: string): void => this.report('instruction', pc, message);
    const reg = (r: number): void => {
      if (r >= n) fail(`invalid register ${r}`);
    };
    const dest = (message = 'cannot write to %r0'): void => {
      reg(rd);
      if (rd === 0) fail(message);
    };

    switch (code) {
      case op.DIF_OP_OR:
      case op.DIF_OP_XOR:
      case op.DIF_OP_AND:
      case op.DIF_OP_SLL:
      case op.DIF_OP_SRL:
      case op.DIF_OP_SRA:
      case op.DIF_OP_SUB:
      case op.DIF_OP_ADD:
      case op.DIF_OP_MUL:
      case op.DIF_OP_SDIV:
      case op.DIF_OP_UDIV:
      case op.DIF_OP_SREM:
      case op.DIF_OP_UREM:
      case op.DIF_OP_COPYS:
        reg(r1);
        reg(r2);
        dest();
        break;
      case op.DIF_OP_NOT:
      case op.DIF_OP_MOV:
      case op.DIF_OP_ALLOCS:
      case op.DIF_OP_RLDSB:
      case op.DIF_OP_RLDSH:
      case op.DIF_OP_RLDSW:
      case op.DIF_OP_RLDUB:
      case op.DIF_OP_RLDUH:
      case op.DIF_OP_RLDUW:
      case op.DIF_OP_RLDX:
      case op.DIF_OP_ULDSB:
      case op.DIF_OP_ULDSH:
      case op.DIF_OP_ULDSW:
      case op.DIF_OP_ULDUB:
      case op.DIF_OP_ULDUH:
      case op.DIF_OP_ULDUW:
      case op.DIF_OP_ULDX:
        reg(r1);
        if (r2 !== 0) fail('non-zero reserved bits');
        dest();
        break;
      case op.DIF_OP_LDSB:
      case op.DIF_OP_LDSH:
      case op.DIF_OP_LDSW:
      case op.DIF_OP_LDUB:
      case op.DIF_OP_LDUH:
      case op.DIF_OP_LDUW:
      case op.DIF_OP_LDX:
        reg(r1);
        if (r2 !== 0) fail('non-zero reserved bits');
        dest();
        if (this.options.kernelVisible === false) {
          this.difo.instructions[pc] = makeWord(op.restrictedLoadOf(code)!, r1, 0, rd);
        }
        break;
      case op.DIF_OP_STB:
      case op.DIF_OP_STH:
      case op.DIF_OP_STW:
      case op.DIF_OP_STX:
        reg(r1);
        if (r2 !== 0) fail('non-zero reserved bits');
        dest('cannot write to 0 address');
        break;
      case op.DIF_OP_CMP:
      case op.DIF_OP_SCMP:
        reg(r1);
        reg(r2);
        if (rd !== 0) fail('non-zero reserved bits');
        break;
      case op.DIF_OP_TST:
        reg(r1);
        if (r2 !== 0 || rd !== 0) fail('non-zero reserved bits');
        break;
      case op.DIF_OP_BA:
      case op.DIF_OP_BE:
      case op.DIF_OP_BNE:
      case op.DIF_OP_BG:
      case op.DIF_OP_BGU:
      case op.DIF_OP_BGE:
      case op.DIF_OP_BGEU:
      case op.DIF_OP_BL:
      case op.DIF_OP_BLU:
      case op.DIF_OP_BLE:
      case op.DIF_OP_BLEU: {
        const label = labelOf(word);
        if (label >= this.difo.instructions.length) fail(`invalid branch target ${label}`);
        if (label <= pc) fail(`backward branch to ${label}`);
        break;
      }
      case op.DIF_OP_RET:
        if (r1 !== 0 || r2 !== 0) fail('non-zero reserved bits');
        reg(rd);
        break;
      case op.DIF_OP_NOP:
      case op.DIF_OP_POPTS:
      case op.DIF_OP_FLUSHTS:
        if (r1 !== 0 || r2 !== 0 || rd !== 0) fail('non-zero reserved bits');
        break;
      case op.DIF_OP_SETX:
        if (index >= this.difo.intTable.length) fail(`invalid integer ref ${index}`);
        dest();
        break;
      case op.DIF_OP_SETS:
        if (index >= this.difo.stringTable.length) fail(`invalid string ref ${index}`);
        dest();
        break;
      case op.DIF_OP_LDGA:
      case op.DIF_OP_LDTA:
        // The array id is a byte, so this limit cannot be exceeded; kept because it is the rule.
        if (r1 > DIF_VAR_ARRAY_MAX) fail(`invalid array ${r1}`);
        reg(r2);
        dest();
        break;
      case op.DIF_OP_LDGS:
      case op.DIF_OP_LDTS:
      case op.DIF_OP_LDLS:
      case op.DIF_OP_LDGAA:
      case op.DIF_OP_LDTAA:
        if (index < DIF_VAR_OTHER_MIN || index > DIF_VAR_OTHER_MAX) fail(`invalid variable ${index}`);
        dest();
        break;
      case op.DIF_OP_STGS:
      case op.DIF_OP_STTS:
      case op.DIF_OP_STLS:
      case op.DIF_OP_STGAA:
      case op.DIF_OP_STTAA:
        if (index < DIF_VAR_OTHER_UBASE || index > DIF_VAR_OTHER_MAX) fail(`invalid variable ${index}`);
        reg(rs);
        break;
      case op.DIF_OP_CALL:
        if (index > this.subrMax) fail(`invalid subr ${index}`);
        dest();
        if (index === DIF_SUBR_COPYOUT || index === DIF_SUBR_COPYOUTSTR) this.difo.destructive = true;
        if (index === this.unsupportedSubr) fail('getf() not supported');
        break;
      case op.DIF_OP_PUSHTR:
        if (r1 !== DIF_TYPE_STRING && r1 !== DIF_TYPE_CTF) fail(`invalid ref type ${r1}`);
        reg(r2);
        reg(rs);
        break;
      case op.DIF_OP_PUSHTV:
        if (r1 !== DIF_TYPE_CTF) fail(`invalid val type ${r1}`);
        reg(r2);
        reg(rs);
        break;
      default:
        // 0, xlate/xlarg (resolved by libdtrace before download) and anything above 79.
        fail(`invalid opcode ${code}`);
    }
  }

  private lastInstruction(): void {
    const code = this.difo.instructions;
    if (code.length !== 0 && opcodeOf(code[code.length - 1]!) !== op.DIF_OP_RET) {
      this.report('instruction', code.length - 1, "expected 'ret' as last DIF instruction");
    }
  }

  private returnSize(): void {
    const t = this.difo.returnType;
    // FreeBSD and OpenDTrace also treat by-user-reference results as references; illumos
    // only looks at DIF_TF_BYREF.
    const byRef = this.platform === 'illumos' ? DIF_TF_BYREF : DIF_TF_BYREF | DIF_TF_BYUREF;
    if (t.flags & byRef) return;
    if (![0, 1, 2, 4, 8].includes(t.size)) {
      this.report('instruction', this.difo.instructions.length - 1, 'bad return size');
    }
  }

  /** Returns the highest user-variable index per scope, or undefined after a finding. */
  private variableTable(): Map<number, number> | undefined {
    const max = new Map<number, number>([
      [DIFV_SCOPE_GLOBAL, -1],
      [DIFV_SCOPE_THREAD, -1],
      [DIFV_SCOPE_LOCAL, -1],
    ]);
    const vars = this.difo.variables;
    for (let i = 0; i < vars.length; i++) {
      const v = vars[i]!;
      const fail = (message: string): void => this.report('variable', i, message);
      if (v.scope !== DIFV_SCOPE_GLOBAL && v.scope !== DIFV_SCOPE_THREAD && v.scope !== DIFV_SCOPE_LOCAL) {
        fail(`unrecognized variable scope ${v.scope}`);
        return undefined;
      }
      if (v.kind !== DIFV_KIND_ARRAY && v.kind !== DIFV_KIND_SCALAR) {
        fail(`unrecognized variable type ${v.kind}`);
        return undefined;
      }
      // The kernel prints these ids with %d: ids of 2^31 and above come out negative.
      const printed = v.id | 0;
      if (v.id > DIF_VARIABLE_MAX) {
        fail(`${printed} exceeds variable id limit`);
        return undefined;
      }
      if (v.id < DIF_VAR_OTHER_UBASE) continue;
      const ndx = v.id - DIF_VAR_OTHER_UBASE;
      if (ndx > max.get(v.scope)!) max.set(v.scope, ndx);

      if (v.type.flags & DIF_TF_BYREF) {
        if (v.type.size === 0) {
          fail('zero-sized variable');
          return undefined;
        }
        const isStatic = v.scope === DIFV_SCOPE_GLOBAL || v.scope === DIFV_SCOPE_LOCAL;
        if (isStatic && v.type.size > (this.options.statvarMaxSize ?? DTRACE_STATVAR_MAXSIZE)) {
          fail('oversized by-ref static');
          return undefined;
        }
      }

      const existing = this.options.state?.lookup(v.scope, v.id);
      if (existing === undefined) continue;
      if (existing.kind !== v.kind) fail(`${printed} changed variable kind`);
      if (existing.type.flags !== v.type.flags) {
        fail(`${printed} changed variable type flags`);
        return undefined;
      }
      if (v.type.size !== 0 && v.type.size !== existing.type.size) {
        fail(`${printed} changed variable type size`);
        return undefined;
      }
      if (this.findings.length > 0) return undefined;
    }
    return max;
  }

  /** Second pass: no instruction may name a user variable beyond those the vartab declares. */
  private userVariableIds(max: Map<number, number>): void {
    const code = this.difo.instructions;
    for (let pc = 0; pc < code.length && this.findings.length === 0; pc++) {
      const info = op.opcodeInfo(opcodeOf(code[pc]!));
      if (info === undefined || (info.syntax !== 'varLoad' && info.syntax !== 'varStore')) continue;
      const id = indexOf(code[pc]!);
      if (id > DIF_VAR_OTHER_UBASE + max.get(info.scope!)!) {
        this.report('instruction', pc, `invalid variable ${id}`);
      }
    }
  }
}
