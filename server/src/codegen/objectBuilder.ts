// One DIF object under construction: its instructions, registers, tables and the variables it
// reads or writes. `finish` assembles it the way DTrace's dt_as does: labels resolved, then the
// variable table (every variable the code touched, with /r and /w flags), whose names join
// the string table after the strings of the code.
import { createDifo, type Difo, type DifType } from '../dif/difo';
import { makeIndexedWord, makeWord } from '../dif/encoding';
import * as op from '../dif/opcodes';
import { DIFV_F_MOD, DIFV_F_REF } from '../dif/variables';
import type { Span } from '../parse/ast';
import { InstructionList } from './instructionList';
import { RegisterSet } from './registers';
import { IntegerTable, StringTable } from './tables';

/** A variable as the variable table describes it. */
export interface VariableUse {
  name: string;
  id: number;
  /** DIFV_KIND_* */
  kind: number;
  /** DIFV_SCOPE_* */
  scope: number;
  type: DifType;
}

export class ObjectBuilder {
  readonly code = new InstructionList();
  readonly regs: RegisterSet;
  private readonly ints = new IntegerTable();
  private readonly strings = new StringTable();
  private readonly variables = new Map<string, VariableUse & { flags: number }>();

  constructor(nregs?: number) {
    this.regs = new RegisterSet(nregs);
  }

  alloc(span: Span): number {
    return this.regs.alloc(span);
  }

  free(r: number): void {
    this.regs.free(r);
  }

  setx(reg: number, value: bigint, label?: number): void {
    this.code.emit(makeIndexedWord(op.DIF_OP_SETX, this.ints.insert(value), reg), label);
  }

  sets(reg: number, text: string): void {
    this.code.emit(makeIndexedWord(op.DIF_OP_SETS, this.strings.insert(text), reg));
  }

  /** An R-format instruction (arithmetic, moves, loads, stores, compares). */
  r(opcode: number, r1: number, r2: number, rd: number, label?: number): number {
    return this.code.emit(makeWord(opcode, r1, r2, rd), label);
  }

  nop(label?: number): void {
    this.code.emit(makeWord(op.DIF_OP_NOP, 0, 0, 0), label);
  }

  /** A W-format instruction naming a variable, recording the use in the variable table. */
  variable(opcode: number, v: VariableUse, reg: number, write: boolean): void {
    this.code.emit(makeIndexedWord(opcode, v.id, reg));
    this.use(v, write);
  }

  use(v: VariableUse, write: boolean): void {
    const key = `${v.scope}:${v.kind}:${v.id}`;
    let entry = this.variables.get(key);
    if (!entry) {
      entry = { ...v, flags: 0 };
      this.variables.set(key, entry);
    }
    entry.flags |= write ? DIFV_F_MOD : DIFV_F_REF;
  }

  emitWord(word: number, label?: number): number {
    return this.code.emit(word, label);
  }

  finish(returnType: DifType, ret: number): Difo {
    this.r(op.DIF_OP_RET, 0, 0, ret);
    const instructions = this.code.words();
    const variables = [...this.variables.values()]
      .sort((a, b) => a.scope - b.scope || a.id - b.id)
      .map((v) => ({ name: this.strings.insert(v.name), id: v.id, kind: v.kind, scope: v.scope, flags: v.flags, type: { ...v.type } }));
    return createDifo({
      instructions,
      intTable: this.ints.toArray(),
      stringTable: this.strings.toBytes(),
      variables,
      returnType,
    });
  }
}
