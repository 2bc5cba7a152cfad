// 32-bit DIF instruction words: opcode in bits 31..24, operands in the low 24 bits laid out per
// format (reference §6). Every word leaving this module is an unsigned 32-bit number: JS
// bitwise operators yield signed int32, so results are normalised with `>>> 0`.

import { opcodeInfo, type DifField, type OpcodeInfo } from './opcodes.ts';

/** Bit position and width of each named field. Several names share bits on purpose: rd and
 *  rs are the same byte, and W-format indexes (var, integer, string, subr, xlref) overlap r1/r2. */
export const FIELD_LAYOUT: Readonly<Record<DifField, { readonly shift: number; readonly width: number }>> =
  Object.freeze({
    r1: { shift: 16, width: 8 },
    r2: { shift: 8, width: 8 },
    rd: { shift: 0, width: 8 },
    rs: { shift: 0, width: 8 },
    label: { shift: 0, width: 24 },
    array: { shift: 16, width: 8 },
    var: { shift: 8, width: 16 },
    integer: { shift: 8, width: 16 },
    string: { shift: 8, width: 16 },
    subr: { shift: 8, width: 16 },
    type: { shift: 16, width: 8 },
    xlref: { shift: 8, width: 16 },
  });

const OPERAND_MASK = 0x00ffffff;

export function fieldMask(field: DifField): number {
  const { shift, width } = FIELD_LAYOUT[field];
  return (((1 << width) - 1) << shift) >>> 0;
}

export function getField(word: number, field: DifField): number {
  const { shift, width } = FIELD_LAYOUT[field];
  return ((word >>> shift) & ((1 << width) - 1)) >>> 0;
}

export const opcodeOf = (word: number): number => word >>> 24;
export const r1Of = (word: number): number => (word >>> 16) & 0xff;
export const r2Of = (word: number): number => (word >>> 8) & 0xff;
export const rdOf = (word: number): number => word & 0xff;
export const rsOf = rdOf;
export const labelOf = (word: number): number => word & 0xffffff;
/** The 16-bit W-format operand: variable id, integer/string table index, subroutine, xlref. */
export const indexOf = (word: number): number => (word >>> 8) & 0xffff;
export const typeOf = r1Of;

function checkUnsigned(value: number, bits: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new RangeError(`${what} ${value} does not fit in ${bits} bits`);
  }
}

/** R, A and T words: opcode and three bytes. */
export function makeWord(op: number, a: number, b: number, c: number): number {
  checkUnsigned(op, 8, 'opcode');
  checkUnsigned(a, 8, 'field');
  checkUnsigned(b, 8, 'field');
  checkUnsigned(c, 8, 'field');
  return ((op << 24) | (a << 16) | (b << 8) | c) >>> 0;
}

/** B words: opcode and a 24-bit instruction index. */
export function makeBranchWord(op: number, label: number): number {
  checkUnsigned(op, 8, 'opcode');
  checkUnsigned(label, 24, 'branch label');
  return ((op << 24) | label) >>> 0;
}

/** W words: opcode, a 16-bit index and a register byte. */
export function makeIndexedWord(op: number, index: number, reg: number): number {
  checkUnsigned(op, 8, 'opcode');
  checkUnsigned(index, 16, 'index');
  checkUnsigned(reg, 8, 'register');
  return ((op << 24) | (index << 8) | reg) >>> 0;
}

/** Operand values by field name; fields the opcode does not encode must be absent or 0. */
export type InstructionOperands = Partial<Record<DifField, number>>;

export interface Instruction extends InstructionOperands {
  readonly opcode: number;
}

/** Bits of the low 24 that the opcode does not use; the kernel rejects words with any set. */
export function reservedMask(info: OpcodeInfo): number {
  let used = 0;
  for (const field of info.fields) used |= fieldMask(field);
  return (OPERAND_MASK & ~used) >>> 0;
}

/** Encodes an instruction of a known opcode from its named operands (missing ones are 0). */
export function encode(instruction: Instruction): number {
  const info = opcodeInfo(instruction.opcode);
  if (info === undefined) throw new RangeError(`unknown DIF opcode ${instruction.opcode}`);
  let word = (info.code << 24) >>> 0;
  for (const field of info.fields) {
    const value = instruction[field] ?? 0;
    const { shift, width } = FIELD_LAYOUT[field];
    checkUnsigned(value, width, field);
    word = (word | (value << shift)) >>> 0;
  }
  for (const field of Object.keys(FIELD_LAYOUT) as DifField[]) {
    if (info.fields.includes(field)) continue;
    if ((instruction[field] ?? 0) !== 0) throw new RangeError(`${info.name} has no ${field} operand`);
  }
  return word;
}

export interface DecodedInstruction extends Instruction {
  readonly word: number;
  /** Undefined for opcode 0 and for opcodes above 79. */
  readonly info: OpcodeInfo | undefined;
  /** Value of the reserved bits (0 in every well-formed word). */
  readonly reserved: number;
}

/** Splits a word into the operands its opcode defines; unknown opcodes keep only the word. */
export function decode(word: number): DecodedInstruction {
  checkUnsigned(word, 32, 'instruction word');
  const opcode = opcodeOf(word);
  const info = opcodeInfo(opcode);
  if (info === undefined) return { word, opcode, info, reserved: word & OPERAND_MASK };
  const operands: InstructionOperands = {};
  for (const field of info.fields) operands[field] = getField(word, field);
  return { ...operands, word, opcode, info, reserved: (word & reservedMask(info)) >>> 0 };
}
