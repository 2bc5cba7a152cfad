// Which DIF opcode an operator, a load or a store of a given size and signedness becomes.
import * as op from '../dif/opcodes';

/** The opcode of a binary arithmetic or bitwise operator; `signed` picks sdiv/srem/sra. */
export function arithmeticOpcode(operator: string, signed: boolean): number {
  switch (operator) {
    case '|':
      return op.DIF_OP_OR;
    case '^':
      return op.DIF_OP_XOR;
    case '&':
      return op.DIF_OP_AND;
    case '<<':
      return op.DIF_OP_SLL;
    case '>>':
      return signed ? op.DIF_OP_SRA : op.DIF_OP_SRL;
    case '+':
      return op.DIF_OP_ADD;
    case '-':
      return op.DIF_OP_SUB;
    case '*':
      return op.DIF_OP_MUL;
    case '/':
      return signed ? op.DIF_OP_SDIV : op.DIF_OP_UDIV;
    case '%':
      return signed ? op.DIF_OP_SREM : op.DIF_OP_UREM;
  }
  throw new Error(`internal error: no DIF opcode for operator ${operator}`);
}

const LOADS: Record<1 | 2 | 4 | 8, readonly [number, number, number, number]> = {
  // unsigned, signed, user unsigned, user signed
  1: [op.DIF_OP_LDUB, op.DIF_OP_LDSB, op.DIF_OP_ULDUB, op.DIF_OP_ULDSB],
  2: [op.DIF_OP_LDUH, op.DIF_OP_LDSH, op.DIF_OP_ULDUH, op.DIF_OP_ULDSH],
  4: [op.DIF_OP_LDUW, op.DIF_OP_LDSW, op.DIF_OP_ULDUW, op.DIF_OP_ULDSW],
  8: [op.DIF_OP_LDX, op.DIF_OP_LDX, op.DIF_OP_ULDX, op.DIF_OP_ULDX],
};

/** dt_cg_load: by size, sign-extending or not, from kernel or user memory. */
export function loadOpcode(size: 1 | 2 | 4 | 8, signed: boolean, user: boolean): number {
  return LOADS[size][(user ? 2 : 0) + (signed ? 1 : 0)]!;
}

/** dt_cg_store: stb, sth, stw or stx by size. */
export function storeOpcode(size: number): number {
  return size === 1 ? op.DIF_OP_STB : size === 2 ? op.DIF_OP_STH : size === 4 ? op.DIF_OP_STW : op.DIF_OP_STX;
}
