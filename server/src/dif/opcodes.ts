// The DIF instruction set (reference §6): opcode numbers, mnemonics, word formats and the
// operand fields each instruction encodes. Numbers and names are facts shared by illumos,
// FreeBSD and OpenDTrace; they must never be renumbered.

export const DIF_OP_OR = 1;
export const DIF_OP_XOR = 2;
export const DIF_OP_AND = 3;
export const DIF_OP_SLL = 4;
export const DIF_OP_SRL = 5;
export const DIF_OP_SUB = 6;
export const DIF_OP_ADD = 7;
export const DIF_OP_MUL = 8;
export const DIF_OP_SDIV = 9;
export const DIF_OP_UDIV = 10;
export const DIF_OP_SREM = 11;
export const DIF_OP_UREM = 12;
export const DIF_OP_NOT = 13;
export const DIF_OP_MOV = 14;
export const DIF_OP_CMP = 15;
export const DIF_OP_TST = 16;
export const DIF_OP_BA = 17;
export const DIF_OP_BE = 18;
export const DIF_OP_BNE = 19;
export const DIF_OP_BG = 20;
export const DIF_OP_BGU = 21;
export const DIF_OP_BGE = 22;
export const DIF_OP_BGEU = 23;
export const DIF_OP_BL = 24;
export const DIF_OP_BLU = 25;
export const DIF_OP_BLE = 26;
export const DIF_OP_BLEU = 27;
export const DIF_OP_LDSB = 28;
export const DIF_OP_LDSH = 29;
export const DIF_OP_LDSW = 30;
export const DIF_OP_LDUB = 31;
export const DIF_OP_LDUH = 32;
export const DIF_OP_LDUW = 33;
export const DIF_OP_LDX = 34;
export const DIF_OP_RET = 35;
export const DIF_OP_NOP = 36;
export const DIF_OP_SETX = 37;
export const DIF_OP_SETS = 38;
export const DIF_OP_SCMP = 39;
export const DIF_OP_LDGA = 40;
export const DIF_OP_LDGS = 41;
export const DIF_OP_STGS = 42;
export const DIF_OP_LDTA = 43;
export const DIF_OP_LDTS = 44;
export const DIF_OP_STTS = 45;
export const DIF_OP_SRA = 46;
export const DIF_OP_CALL = 47;
export const DIF_OP_PUSHTR = 48;
export const DIF_OP_PUSHTV = 49;
export const DIF_OP_POPTS = 50;
export const DIF_OP_FLUSHTS = 51;
export const DIF_OP_LDGAA = 52;
export const DIF_OP_LDTAA = 53;
export const DIF_OP_STGAA = 54;
export const DIF_OP_STTAA = 55;
export const DIF_OP_LDLS = 56;
export const DIF_OP_STLS = 57;
export const DIF_OP_ALLOCS = 58;
export const DIF_OP_COPYS = 59;
export const DIF_OP_STB = 60;
export const DIF_OP_STH = 61;
export const DIF_OP_STW = 62;
export const DIF_OP_STX = 63;
export const DIF_OP_ULDSB = 64;
export const DIF_OP_ULDSH = 65;
export const DIF_OP_ULDSW = 66;
export const DIF_OP_ULDUB = 67;
export const DIF_OP_ULDUH = 68;
export const DIF_OP_ULDUW = 69;
export const DIF_OP_ULDX = 70;
export const DIF_OP_RLDSB = 71;
export const DIF_OP_RLDSH = 72;
export const DIF_OP_RLDSW = 73;
export const DIF_OP_RLDUB = 74;
export const DIF_OP_RLDUH = 75;
export const DIF_OP_RLDUW = 76;
export const DIF_OP_RLDX = 77;
export const DIF_OP_XLATE = 78;
export const DIF_OP_XLARG = 79;

/** Highest opcode any DTrace defines; 0 and everything above this are illegal. */
export const LAST_DIF_OPCODE = 79;

/** DIF version 2 is the only one the kernel accepts today (version 1 was a Solaris 10 beta). */
export const DIF_VERSION_1 = 1;
export const DIF_VERSION_2 = 2;
export const DIF_VERSION = DIF_VERSION_2;

/** Integer registers %r0..%r7 (%r0 reads as zero) and tuple-stack depth. */
export const DIF_DIR_NREGS = 8;
export const DIF_DTR_NREGS = 8;
export const DIF_REG_R0 = 0;

export const DIF_INTOFF_MAX = 0xffff;
export const DIF_STROFF_MAX = 0xffff;
export const DIF_REGISTER_MAX = 0xff;
export const DIF_SUBROUTINE_MAX = 0xffff;

/** Word layouts (reference §6): R three 8-bit fields, B a 24-bit label, W a 16-bit index and a
 *  register, A an 8-bit array id and two registers, T a type byte and two registers. */
export type DifFormat = 'R' | 'B' | 'W' | 'A' | 'T';

/** Named bit fields of a word; see FIELD_LAYOUT in encoding.ts for their positions. */
export type DifField =
  | 'r1'
  | 'r2'
  | 'rd'
  | 'rs'
  | 'label'
  | 'array'
  | 'var'
  | 'integer'
  | 'string'
  | 'subr'
  | 'type'
  | 'xlref';

/** How an instruction's operands are written by `dtrace -S` (and read by our assembler). */
export type OperandSyntax =
  | 'binary' //      op %r1, %r2, %rd
  | 'unary' //       op %r1, %rd
  | 'compare' //     op %r1, %r2
  | 'test' //        op %r1
  | 'branch' //      op label
  | 'load' //        op [%r1], %rd
  | 'store' //       op %r1, [%rd]
  | 'return' //      op %rd
  | 'bare' //        op
  | 'setx' //        op DT_INTEGER[i], %rd
  | 'sets' //        op DT_STRING[o], %rd
  | 'arrayLoad' //   op DT_VAR(a), %r2, %rd
  | 'varLoad' //     op DT_VAR(v), %rd
  | 'varStore' //    op %rs, DT_VAR(v)
  | 'call' //        op DIF_SUBR(s), %rd
  | 'pushRef' //     op DT_TYPE(t), %r2, %rs
  | 'pushValue' //   op DT_TYPE(t), %rs   (r2 is encoded and verified but not printed)
  | 'translate'; //  op DT_XLREF[i], %rd

export interface OpcodeInfo {
  readonly code: number;
  readonly name: string;
  readonly format: DifFormat;
  readonly syntax: OperandSyntax;
  /** Fields the instruction encodes; every other bit of the low 24 is reserved (must be 0). */
  readonly fields: readonly DifField[];
  /** Variable scope addressed by variable loads/stores (DIFV_SCOPE_*), else undefined. */
  readonly scope?: number;
}

const FIELDS_BY_SYNTAX: Record<OperandSyntax, readonly DifField[]> = {
  binary: ['r1', 'r2', 'rd'],
  unary: ['r1', 'rd'],
  compare: ['r1', 'r2'],
  test: ['r1'],
  branch: ['label'],
  load: ['r1', 'rd'],
  store: ['r1', 'rd'],
  return: ['rd'],
  bare: [],
  setx: ['integer', 'rd'],
  sets: ['string', 'rd'],
  arrayLoad: ['array', 'r2', 'rd'],
  varLoad: ['var', 'rd'],
  varStore: ['var', 'rs'],
  call: ['subr', 'rd'],
  pushRef: ['type', 'r2', 'rs'],
  pushValue: ['type', 'r2', 'rs'],
  translate: ['xlref', 'rd'],
};

const FORMAT_BY_SYNTAX: Record<OperandSyntax, DifFormat> = {
  binary: 'R',
  unary: 'R',
  compare: 'R',
  test: 'R',
  branch: 'B',
  load: 'R',
  store: 'R',
  return: 'R',
  bare: 'R',
  setx: 'W',
  sets: 'W',
  arrayLoad: 'A',
  varLoad: 'W',
  varStore: 'W',
  call: 'W',
  pushRef: 'T',
  pushValue: 'T',
  translate: 'W',
};

// Scope numbers duplicate DIFV_SCOPE_* (variables.ts) to keep this module free of imports.
const GLOBAL = 0;
const THREAD = 1;
const LOCAL = 2;

const DEFINITIONS: ReadonlyArray<readonly [number, string, OperandSyntax, number?]> = [
  [DIF_OP_OR, 'or', 'binary'],
  [DIF_OP_XOR, 'xor', 'binary'],
  [DIF_OP_AND, 'and', 'binary'],
  [DIF_OP_SLL, 'sll', 'binary'],
  [DIF_OP_SRL, 'srl', 'binary'],
  [DIF_OP_SUB, 'sub', 'binary'],
  [DIF_OP_ADD, 'add', 'binary'],
  [DIF_OP_MUL, 'mul', 'binary'],
  [DIF_OP_SDIV, 'sdiv', 'binary'],
  [DIF_OP_UDIV, 'udiv', 'binary'],
  [DIF_OP_SREM, 'srem', 'binary'],
  [DIF_OP_UREM, 'urem', 'binary'],
  [DIF_OP_NOT, 'not', 'unary'],
  [DIF_OP_MOV, 'mov', 'unary'],
  [DIF_OP_CMP, 'cmp', 'compare'],
  [DIF_OP_TST, 'tst', 'test'],
  [DIF_OP_BA, 'ba', 'branch'],
  [DIF_OP_BE, 'be', 'branch'],
  [DIF_OP_BNE, 'bne', 'branch'],
  [DIF_OP_BG, 'bg', 'branch'],
  [DIF_OP_BGU, 'bgu', 'branch'],
  [DIF_OP_BGE, 'bge', 'branch'],
  [DIF_OP_BGEU, 'bgeu', 'branch'],
  [DIF_OP_BL, 'bl', 'branch'],
  [DIF_OP_BLU, 'blu', 'branch'],
  [DIF_OP_BLE, 'ble', 'branch'],
  [DIF_OP_BLEU, 'bleu', 'branch'],
  [DIF_OP_LDSB, 'ldsb', 'load'],
  [DIF_OP_LDSH, 'ldsh', 'load'],
  [DIF_OP_LDSW, 'ldsw', 'load'],
  [DIF_OP_LDUB, 'ldub', 'load'],
  [DIF_OP_LDUH, 'lduh', 'load'],
  [DIF_OP_LDUW, 'lduw', 'load'],
  [DIF_OP_LDX, 'ldx', 'load'],
  [DIF_OP_RET, 'ret', 'return'],
  [DIF_OP_NOP, 'nop', 'bare'],
  [DIF_OP_SETX, 'setx', 'setx'],
  [DIF_OP_SETS, 'sets', 'sets'],
  [DIF_OP_SCMP, 'scmp', 'compare'],
  [DIF_OP_LDGA, 'ldga', 'arrayLoad', GLOBAL],
  [DIF_OP_LDGS, 'ldgs', 'varLoad', GLOBAL],
  [DIF_OP_STGS, 'stgs', 'varStore', GLOBAL],
  [DIF_OP_LDTA, 'ldta', 'arrayLoad', THREAD],
  [DIF_OP_LDTS, 'ldts', 'varLoad', THREAD],
  [DIF_OP_STTS, 'stts', 'varStore', THREAD],
  [DIF_OP_SRA, 'sra', 'binary'],
  [DIF_OP_CALL, 'call', 'call'],
  [DIF_OP_PUSHTR, 'pushtr', 'pushRef'],
  [DIF_OP_PUSHTV, 'pushtv', 'pushValue'],
  [DIF_OP_POPTS, 'popts', 'bare'],
  [DIF_OP_FLUSHTS, 'flushts', 'bare'],
  [DIF_OP_LDGAA, 'ldgaa', 'varLoad', GLOBAL],
  [DIF_OP_LDTAA, 'ldtaa', 'varLoad', THREAD],
  [DIF_OP_STGAA, 'stgaa', 'varStore', GLOBAL],
  [DIF_OP_STTAA, 'sttaa', 'varStore', THREAD],
  [DIF_OP_LDLS, 'ldls', 'varLoad', LOCAL],
  [DIF_OP_STLS, 'stls', 'varStore', LOCAL],
  [DIF_OP_ALLOCS, 'allocs', 'unary'],
  [DIF_OP_COPYS, 'copys', 'binary'],
  [DIF_OP_STB, 'stb', 'store'],
  [DIF_OP_STH, 'sth', 'store'],
  [DIF_OP_STW, 'stw', 'store'],
  [DIF_OP_STX, 'stx', 'store'],
  [DIF_OP_ULDSB, 'uldsb', 'load'],
  [DIF_OP_ULDSH, 'uldsh', 'load'],
  [DIF_OP_ULDSW, 'uldsw', 'load'],
  [DIF_OP_ULDUB, 'uldub', 'load'],
  [DIF_OP_ULDUH, 'ulduh', 'load'],
  [DIF_OP_ULDUW, 'ulduw', 'load'],
  [DIF_OP_ULDX, 'uldx', 'load'],
  [DIF_OP_RLDSB, 'rldsb', 'load'],
  [DIF_OP_RLDSH, 'rldsh', 'load'],
  [DIF_OP_RLDSW, 'rldsw', 'load'],
  [DIF_OP_RLDUB, 'rldub', 'load'],
  [DIF_OP_RLDUH, 'rlduh', 'load'],
  [DIF_OP_RLDUW, 'rlduw', 'load'],
  [DIF_OP_RLDX, 'rldx', 'load'],
  [DIF_OP_XLATE, 'xlate', 'translate'],
  [DIF_OP_XLARG, 'xlarg', 'translate'],
];

function buildTable(): ReadonlyArray<OpcodeInfo | undefined> {
  const table: Array<OpcodeInfo | undefined> = new Array(LAST_DIF_OPCODE + 1).fill(undefined);
  for (const [code, name, syntax, scope] of DEFINITIONS) {
    const info: OpcodeInfo = {
      code,
      name,
      format: FORMAT_BY_SYNTAX[syntax],
      syntax,
      fields: FIELDS_BY_SYNTAX[syntax],
      ...(scope === undefined ? {} : { scope }),
    };
    table[code] = Object.freeze(info);
  }
  return Object.freeze(table);
}

/** OPCODES[n] describes opcode n; index 0 is undefined because opcode 0 is illegal. */
export const OPCODES: ReadonlyArray<OpcodeInfo | undefined> = buildTable();

const BY_NAME: ReadonlyMap<string, OpcodeInfo> = new Map(
  OPCODES.filter((info): info is OpcodeInfo => info !== undefined).map((info) => [info.name, info]),
);

export function opcodeInfo(code: number): OpcodeInfo | undefined {
  return Number.isInteger(code) && code >= 0 && code < OPCODES.length ? OPCODES[code] : undefined;
}

export function opcodeByName(name: string): OpcodeInfo | undefined {
  return BY_NAME.get(name);
}

export function isBranch(code: number): boolean {
  return code >= DIF_OP_BA && code <= DIF_OP_BLEU;
}

/** The checked ("restricted") twin of a plain kernel load, as the kernel rewrites loads for
 *  consumers without kernel visibility; undefined for anything that is not ldsb..ldx. */
export function restrictedLoadOf(code: number): number | undefined {
  return code >= DIF_OP_LDSB && code <= DIF_OP_LDX ? code + (DIF_OP_RLDSB - DIF_OP_LDSB) : undefined;
}

// The brief names opcodes.ts as the home of every DIF constant; the tables live in their own
// modules and are re-exported so that either import path works.
export * from './variables.ts';
export * from './subroutines.ts';
export * from './faults.ts';
