// A text assembler for DIF in the syntax `dtrace -S` prints, so that a disassembly listing
// assembles back to the same words. It is deliberately permissive about meaning (writes to
// %r0, backward branches, dangling table references all assemble) because hand-written bad
// DIF is how the verifier is tested; only syntax and field widths are enforced.
//
// Accepted lines:
//   label:                         names the next instruction (branch targets may use it)
//   setx DT_INTEGER[0], %r1        any instruction in dtrace -S syntax; `!` or `;` starts a comment
//   .int VALUE                     append a 64-bit value to the integer table (negative = two's complement)
//   .string "text"                 add a string to the string table (stored once, like the compiler does)
//   .var NAME ID KND SCP [FLAG] TYPE   a vartab entry, columns as in the listing (ID decimal or 0x-hex)
//   .rtype TYPE | .rtype KIND CKIND FLAGS SIZE   the return type
//   .word VALUE                    a raw 32-bit instruction word (for opcodes no mnemonic can express)
// and the lines of a `dtrace -S` listing: the "DIFO ... returns TYPE" header (sets the return
// type), the column headers, "NN: xxxxxxxx    text" lines (the word is kept; the text must
// agree with it) and variable-table rows (ID in the platform's radix).

import { AssemblyError, LineCursor, stripComment } from './assembler-cursor.ts';
import { createDifo, integerType, toU64, type Difo, type DifType, type DifVariable } from './difo.ts';
import { instructionText, variableIdRadix } from './disassembler.ts';
import { encode, indexOf, opcodeOf, type InstructionOperands } from './encoding.ts';
import { DIF_OP_SETS, DIF_OP_SETX, opcodeByName, opcodeInfo, type OpcodeInfo } from './opcodes.ts';
import { DEFAULT_PLATFORM, type DifPlatform } from './platform.ts';
import { subroutineCode } from './subroutines.ts';
import { parseDifType } from './type-text.ts';
import {
  DIFV_F_MOD,
  DIFV_F_REF,
  DIFV_KIND_ARRAY,
  DIFV_KIND_SCALAR,
  DIFV_SCOPE_GLOBAL,
  DIFV_SCOPE_LOCAL,
  DIFV_SCOPE_THREAD,
} from './variables.ts';

export { AssemblyError } from './assembler-cursor.ts';

export interface AssembleOptions {
  /** Subroutine names accepted in DIF_SUBR(name) and the radix of listing vartab IDs. */
  platform?: DifPlatform;
}

interface LabelUse {
  pc: number;
  name: string;
  line: number;
  column: number;
}

type LabelOperand = number | { name: string; pos: number };

/** Assembles a whole program into a DIF object. Throws AssemblyError on the first error. */
export function assemble(source: string, options: AssembleOptions = {}): Difo {
  return new Assembler(options.platform ?? DEFAULT_PLATFORM).run(source);
}

/** Assembles one instruction (no labels, no directives) into its word. */
export function assembleInstruction(text: string, options: AssembleOptions = {}): number {
  const asm = new Assembler(options.platform ?? DEFAULT_PLATFORM);
  const cursor = new LineCursor(stripComment(text), 1);
  const { word } = asm.instruction(cursor, false);
  return word;
}

const LISTING_LINE = /^\s*(\d+):\s+([0-9a-fA-F]{8})(\s+|$)/;
const LABEL = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/;

class Assembler {
  private readonly words: number[] = [];
  private readonly ints: Array<bigint | undefined> = [];
  private readonly strings = new StringLayout();
  private readonly variables: DifVariable[] = [];
  private returnType: DifType = integerType();
  private readonly labels = new Map<string, number>();
  private readonly labelUses: LabelUse[] = [];
  private inVarTable = false;

  constructor(private readonly platform: DifPlatform) {}

  run(source: string): Difo {
    source.split(/\r?\n/).forEach((text, i) => this.line(text, i + 1));
    for (const use of this.labelUses) {
      const target = this.labels.get(use.name);
      if (target === undefined) throw new AssemblyError(`undefined label '${use.name}'`, use.line, use.column);
      this.words[use.pc] = (this.words[use.pc]! | target) >>> 0;
    }
    return createDifo({
      instructions: this.words,
      intTable: Array.from(this.ints, (v) => v ?? 0n),
      stringTable: this.strings.toBytes(),
      variables: this.variables,
      returnType: this.returnType,
    });
  }

  private line(raw: string, lineNo: number): void {
    const text = stripComment(raw);
    const cursor = new LineCursor(text, lineNo);
    if (cursor.atEnd()) {
      this.inVarTable = false;
      return;
    }
    const trimmed = text.trim();
    if (/^DIFO\s/.test(trimmed)) return this.header(cursor);
    if (/^OFF\s+OPCODE\s+INSTRUCTION$/.test(trimmed)) return;
    if (/^NAME\s+ID\s+KND\s+SCP\s+FLAG\s+TYPE$/.test(trimmed)) {
      this.inVarTable = true;
      return;
    }
    if (this.inVarTable) return this.variableRow(cursor, variableIdRadix(this.platform));
    if (LISTING_LINE.test(text)) return this.listingLine(cursor, raw.slice(text.length));
    let m: RegExpExecArray | null;
    while ((m = LABEL.exec(cursor.rest())) !== null) {
      const name = m[1]!;
      const at = cursor.pos + m[0].indexOf(name);
      if (this.labels.has(name)) throw cursor.error(`label '${name}' is already defined`, at);
      this.labels.set(name, this.words.length);
      cursor.pos += m[0].length;
    }
    if (cursor.atEnd()) return;
    if (cursor.peek() === '.') return this.directive(cursor);
    const { word, label } = this.instruction(cursor, true);
    if (label !== undefined && typeof label !== 'number') {
      this.labelUses.push({ pc: this.words.length, name: label.name, line: lineNo, column: cursor.column(label.pos) });
    }
    this.words.push(word);
  }

  private header(cursor: LineCursor): void {
    const m = /^\s*DIFO\s+\S+\s+returns\s+(.*)$/.exec(cursor.text);
    if (m === null) throw cursor.error("expected 'DIFO <address> returns <type>'");
    const at = cursor.text.length - m[1]!.length;
    const type = parseDifType(m[1]!);
    if (type === undefined) throw cursor.error(`unreadable type '${m[1]!.trim()}'`, at);
    this.returnType = type;
  }

  private listingLine(cursor: LineCursor, comment: string): void {
    const m = LISTING_LINE.exec(cursor.text)!;
    const offset = Number(m[1]);
    if (offset !== this.words.length) {
      throw cursor.error(`listing offset ${m[1]} is not instruction ${this.words.length}`, m[0].indexOf(m[1]!));
    }
    const word = parseInt(m[2]!, 16) >>> 0;
    cursor.pos = m[0].length;
    if (cursor.atEnd()) throw cursor.error('expected an instruction after the word');
    const textStart = cursor.pos;
    if (cursor.rest().trim() === '(illegal opcode)') {
      if (opcodeInfo(opcodeOf(word)) !== undefined) {
        throw cursor.error(`word ${m[2]} has a valid opcode, not '(illegal opcode)'`, textStart);
      }
    } else {
      const { word: assembled } = this.instruction(cursor, false);
      if (assembled !== word && instructionText(assembled) !== instructionText(word)) {
        throw cursor.error(`instruction does not match word ${m[2]}`, textStart);
      }
      this.tableComment(cursor, word, comment, cursor.text.length);
    }
    this.words.push(word);
  }

  private directive(cursor: LineCursor): void {
    cursor.skipSpaces();
    const at = cursor.pos;
    const name = cursor.word() ?? '';
    switch (name) {
      case '.int': {
        const { value, pos } = cursor.integer('an integer', true);
        if (value < -(1n << 63n) || value >= 1n << 64n) throw cursor.error(`${value} does not fit in 64 bits`, pos);
        this.ints.push(toU64(value));
        break;
      }
      case '.string':
        this.addString(cursor, cursor.quoted());
        break;
      case '.var':
        return this.variableRow(cursor, 'either');
      case '.rtype':
        this.returnType = this.typeOperand(cursor);
        return;
      case '.word':
        this.words.push(cursor.unsigned('a 32-bit word', 32));
        break;
      default:
        throw cursor.error(`unknown directive '${name}'`, at);
    }
    cursor.expectEnd();
  }

  private addString(cursor: LineCursor, text: string): number {
    if (text.includes('\0')) throw cursor.error('strings cannot contain NUL');
    return this.strings.add(text);
  }

  /** A listing's setx and sets comments carry the table contents; put them back in place. */
  private tableComment(cursor: LineCursor, word: number, comment: string, at: number): void {
    const op = opcodeOf(word);
    const index = indexOf(word);
    if (op === DIF_OP_SETX) {
      const m = /^!\s*0x([0-9a-fA-F]{1,16})\s*$/.exec(comment.trim());
      if (m === null) return;
      const value = BigInt(`0x${m[1]}`);
      const known = this.ints[index];
      if (known !== undefined && known !== value) {
        throw cursor.error(`DT_INTEGER[${index}] is already 0x${known.toString(16)}`, at);
      }
      this.ints[index] = value;
    } else if (op === DIF_OP_SETS) {
      const m = /^!\s*"(.*)"\s*$/.exec(comment.trim());
      if (m === null) return;
      const conflict = this.strings.place(index, m[1]!);
      if (conflict !== undefined) throw cursor.error(`DT_STRING[${index}] conflicts at byte ${conflict}`, at);
    }
  }

  private typeOperand(cursor: LineCursor): DifType {
    cursor.skipSpaces();
    const at = cursor.pos;
    const text = cursor.rest();
    const parsed = parseDifType(text);
    if (parsed !== undefined) return parsed;
    const numbers = text.trim().split(/\s+/);
    if (numbers.length === 4 && numbers.every((n) => /^(0x[0-9a-fA-F]+|\d+)$/.test(n))) {
      const [kind, ckind, flags, size] = numbers.map(Number) as [number, number, number, number];
      if (kind <= 0xff && ckind <= 0xff && flags <= 0xff && size <= 0xffffffff) return { kind, ckind, flags, size };
    }
    throw cursor.error(`unreadable type '${text.trim()}'`, at);
  }

  /** NAME ID KND SCP [FLAG] TYPE, as dt_dis() prints a vartab row. */
  private variableRow(cursor: LineCursor, radix: 10 | 16 | 'either'): void {
    const name = cursor.word();
    if (name === undefined) throw cursor.error('expected a variable name');
    cursor.skipSpaces();
    const idAt = cursor.pos;
    const idText = cursor.word() ?? '';
    const id = parseId(idText, radix);
    if (id === undefined) throw cursor.error(`expected a variable id, found '${idText}'`, idAt);
    const kind = this.named(cursor, 'kind', { arr: DIFV_KIND_ARRAY, scl: DIFV_KIND_SCALAR }, 0xff);
    const scope = this.named(
      cursor,
      'scope',
      { glb: DIFV_SCOPE_GLOBAL, tls: DIFV_SCOPE_THREAD, loc: DIFV_SCOPE_LOCAL },
      0xff,
    );
    cursor.skipSpaces();
    let flags = 0;
    let type = parseDifType(cursor.rest());
    if (type === undefined) {
      const flagsAt = cursor.pos;
      const flagText = cursor.word() ?? '';
      const parsed = parseVariableFlags(flagText);
      if (parsed === undefined) throw cursor.error(`unreadable variable flags '${flagText}'`, flagsAt);
      flags = parsed;
      cursor.skipSpaces();
      type = parseDifType(cursor.rest());
      if (type === undefined) throw cursor.error(`unreadable type '${cursor.rest().trim()}'`);
    }
    this.variables.push({ name: this.strings.add(name), id, kind, scope, flags, type });
  }

  private named(cursor: LineCursor, what: string, names: Record<string, number>, max: number): number {
    cursor.skipSpaces();
    const at = cursor.pos;
    const text = cursor.word() ?? '';
    const value = names[text] ?? (/^\d+$/.test(text) ? Number(text) : undefined);
    if (value === undefined || value > max) throw cursor.error(`unknown variable ${what} '${text}'`, at);
    return value;
  }

  /** Parses one instruction; `labels` allows a branch target to be a label name. */
  instruction(cursor: LineCursor, labels: boolean): { word: number; label?: LabelOperand } {
    cursor.skipSpaces();
    const at = cursor.pos;
    const mnemonic = cursor.word() ?? '';
    const info = opcodeByName(mnemonic);
    if (info === undefined) throw cursor.error(`unknown instruction '${mnemonic}'`, at);
    const ops: InstructionOperands = {};
    let label: LabelOperand | undefined;
    switch (info.syntax) {
      case 'binary':
        ops.r1 = reg(cursor);
        comma(cursor);
        ops.r2 = reg(cursor);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'unary':
        ops.r1 = reg(cursor);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'compare':
        ops.r1 = reg(cursor);
        comma(cursor);
        ops.r2 = reg(cursor);
        break;
      case 'test':
        ops.r1 = reg(cursor);
        break;
      case 'branch':
        label = branchTarget(cursor, labels);
        ops.label = typeof label === 'number' ? label : 0;
        break;
      case 'load':
        ops.r1 = memory(cursor);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'store':
        ops.r1 = reg(cursor);
        comma(cursor);
        ops.rd = memory(cursor);
        break;
      case 'return':
        ops.rd = reg(cursor);
        break;
      case 'bare':
        break;
      case 'setx':
        ops.integer = indexed(cursor, 'DT_INTEGER', '[', ']', 16);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'sets':
        ops.string = indexed(cursor, 'DT_STRING', '[', ']', 16);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'arrayLoad':
        ops.array = indexed(cursor, 'DT_VAR', '(', ')', 8);
        comma(cursor);
        ops.r2 = reg(cursor);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'varLoad':
        ops.var = indexed(cursor, 'DT_VAR', '(', ')', 16);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'varStore':
        ops.rs = reg(cursor);
        comma(cursor);
        ops.var = indexed(cursor, 'DT_VAR', '(', ')', 16);
        break;
      case 'call':
        ops.subr = this.subroutine(cursor);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
      case 'pushRef':
        ops.type = indexed(cursor, 'DT_TYPE', '(', ')', 8);
        comma(cursor);
        ops.r2 = reg(cursor);
        comma(cursor);
        ops.rs = reg(cursor);
        break;
      case 'pushValue': {
        ops.type = indexed(cursor, 'DT_TYPE', '(', ')', 8);
        comma(cursor);
        // dtrace prints pushtv without its (verified, unused) size register; we also read it.
        const first = reg(cursor);
        if (cursor.accept(',')) {
          ops.r2 = first;
          ops.rs = reg(cursor);
        } else {
          ops.rs = first;
        }
        break;
      }
      case 'translate':
        ops.xlref = indexed(cursor, 'DT_XLREF', '[', ']', 16);
        comma(cursor);
        ops.rd = reg(cursor);
        break;
    }
    cursor.expectEnd();
    return { word: encodeChecked(info, ops, cursor, at), ...(label === undefined ? {} : { label }) };
  }

  private subroutine(cursor: LineCursor): number {
    cursor.expect('DIF_SUBR');
    cursor.expect('(');
    cursor.skipSpaces();
    const at = cursor.pos;
    let code: number;
    if (/^[A-Za-z_]/.test(cursor.peek())) {
      const name = cursor.identifier()!;
      const known = subroutineCode(name, this.platform);
      if (known === undefined) throw cursor.error(`unknown subroutine '${name}' on ${this.platform}`, at);
      code = known;
    } else {
      code = cursor.unsigned('a subroutine number', 16);
    }
    cursor.expect(')');
    return code;
  }
}

function encodeChecked(info: OpcodeInfo, ops: InstructionOperands, cursor: LineCursor, at: number): number {
  try {
    return encode({ opcode: info.code, ...ops });
  } catch (e) {
    throw cursor.error(e instanceof Error ? e.message : String(e), at);
  }
}

function comma(cursor: LineCursor): void {
  cursor.expect(',');
}

function reg(cursor: LineCursor): number {
  cursor.expect('%r', 'a register');
  return cursor.unsigned('register number', 8);
}

function memory(cursor: LineCursor): number {
  cursor.expect('[', "'[' and a register");
  const r = reg(cursor);
  cursor.expect(']');
  return r;
}

function indexed(cursor: LineCursor, prefix: string, open: string, close: string, bits: number): number {
  cursor.expect(prefix, `${prefix}${open}...${close}`);
  cursor.expect(open);
  const value = cursor.unsigned(`${prefix} operand`, bits);
  cursor.expect(close);
  return value;
}

function branchTarget(cursor: LineCursor, labels: boolean): LabelOperand {
  cursor.skipSpaces();
  const pos = cursor.pos;
  if (labels && /^[A-Za-z_]/.test(cursor.peek())) return { name: cursor.identifier()!, pos };
  return cursor.unsigned(labels ? 'a branch target (instruction index or label)' : 'a branch target', 24);
}

function parseId(text: string, radix: 10 | 16 | 'either'): number | undefined {
  let value: number;
  if (radix === 16) {
    if (!/^(0x)?[0-9a-fA-F]+$/.test(text)) return undefined;
    value = parseInt(text.replace(/^0x/, ''), 16);
  } else if (/^0x[0-9a-fA-F]+$/.test(text) && radix === 'either') {
    value = parseInt(text.slice(2), 16);
  } else if (/^\d+$/.test(text)) {
    value = Number(text);
  } else {
    return undefined;
  }
  return value <= 0xffffffff ? value : undefined;
}

/** Reads the FLAG column ("r", "w", "r/w", "0x4/r", ...) back into DIFV_F_* bits. */
function parseVariableFlags(text: string): number | undefined {
  let flags = 0;
  for (const part of text.split('/')) {
    if (part === 'r') flags |= DIFV_F_REF;
    else if (part === 'w') flags |= DIFV_F_MOD;
    else if (/^0x[0-9a-fA-F]+$/.test(part) && parseInt(part, 16) <= 0xffff) flags |= parseInt(part, 16);
    else return undefined;
  }
  return flags;
}

/** A string table assembled from appended strings (stored once each, like the compiler) and
 *  strings placed at the offsets a listing shows. Bytes nobody defines read as NUL. */
class StringLayout {
  private readonly bytes: Array<number | undefined> = [];
  private readonly offsets = new Map<string, number>();

  add(text: string): number {
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const offset = this.bytes.length;
    this.place(offset, text);
    return offset;
  }

  /** Writes text and its NUL at offset; returns the offset of a conflicting byte, if any. */
  place(offset: number, text: string): number | undefined {
    const encoded = [...new TextEncoder().encode(text), 0];
    for (let i = 0; i < encoded.length; i++) {
      const known = this.bytes[offset + i];
      if (known !== undefined && known !== encoded[i]) return offset + i;
    }
    encoded.forEach((b, i) => (this.bytes[offset + i] = b));
    if (!this.offsets.has(text)) this.offsets.set(text, offset);
    return undefined;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes, (b) => b ?? 0);
  }
}
