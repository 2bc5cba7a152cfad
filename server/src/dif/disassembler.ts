// Disassembly in the layout of `dtrace -S` (libdtrace's dt_dis()): a blank line, the DIFO
// header, one line per instruction with the raw word, then the variable table. Platform
// differences that show in the text are reproduced: subroutine names in `call` comments,
// the vartab ID column (hexadecimal on illumos, decimal elsewhere) and the header address.

import type { Difo } from './difo.ts';
import { stringAt } from './difo.ts';
import { decode } from './encoding.ts';
import type { OpcodeInfo } from './opcodes.ts';
import { DEFAULT_PLATFORM, type DifPlatform } from './platform.ts';
import { subroutineName } from './subroutines.ts';
import { formatDifType } from './type-text.ts';
import {
  DIF_TYPE_CTF,
  DIF_TYPE_STRING,
  DIFV_F_MOD,
  DIFV_F_REF,
  DIFV_KIND_ARRAY,
  DIFV_KIND_SCALAR,
  DIFV_SCOPE_GLOBAL,
  DIFV_SCOPE_LOCAL,
  DIFV_SCOPE_THREAD,
} from './variables.ts';

export interface DisassembleOptions {
  /** Chooses subroutine names and number formats; illumos by default. */
  platform?: DifPlatform;
  /** The DIFO address printed in the header (dtrace prints its in-memory pointer); 0 by default. */
  address?: number | bigint;
}

/** Text that dt_dis() writes for one word, after the "NN: xxxxxxxx    " prefix. The DIFO, when
 *  given, supplies the symbolic comments (integer values, strings, variable names). */
export function instructionText(word: number, difo?: Difo, options: DisassembleOptions = {}): string {
  const d = decode(word);
  const info = d.info;
  if (info === undefined) return '(illegal opcode)';
  const op = info.name.padEnd(4);
  const r = (n: number | undefined): string => `%r${n ?? 0}`;
  switch (info.syntax) {
    case 'binary':
      return `${op} ${r(d.r1)}, ${r(d.r2)}, ${r(d.rd)}`;
    case 'unary':
      return `${op} ${r(d.r1)}, ${r(d.rd)}`;
    case 'compare':
      return `${op} ${r(d.r1)}, ${r(d.r2)}`;
    case 'test':
      return `${op} ${r(d.r1)}`;
    case 'branch':
      return `${op} ${d.label}`;
    case 'load':
      return `${op} [${r(d.r1)}], ${r(d.rd)}`;
    case 'store':
      return `${op} ${r(d.r1)}, [${r(d.rd)}]`;
    case 'return':
      return `${op} ${r(d.rd)}`;
    case 'bare':
      return info.name;
    case 'setx': {
      const index = d.integer ?? 0;
      const value = difo?.intTable[index];
      const comment = value === undefined ? '' : `\t\t! 0x${value.toString(16)}`;
      return `${op} DT_INTEGER[${index}], ${r(d.rd)}${comment}`;
    }
    case 'sets': {
      const offset = d.string ?? 0;
      const text = difo === undefined ? undefined : stringAt(difo.stringTable, offset);
      const comment = text === undefined ? '' : `\t\t! "${text}"`;
      return `${op} DT_STRING[${offset}], ${r(d.rd)}${comment}`;
    }
    case 'arrayLoad':
      return `${op} DT_VAR(${d.array}), ${r(d.r2)}, ${r(d.rd)}${variableComment(difo, info, d.array ?? 0)}`;
    case 'varLoad':
      return `${op} DT_VAR(${d.var}), ${r(d.rd)}${variableComment(difo, info, d.var ?? 0)}`;
    case 'varStore':
      return `${op} ${r(d.rs)}, DT_VAR(${d.var})${variableComment(difo, info, d.var ?? 0)}`;
    case 'call': {
      const subr = d.subr ?? 0;
      return `${op} DIF_SUBR(${subr}), ${r(d.rd)}\t\t! ${subroutineName(subr, options.platform)}`;
    }
    case 'pushRef':
      return `${op} DT_TYPE(${d.type}), ${r(d.r2)}, ${r(d.rs)}${typeComment('\t', d.type ?? 0)}`;
    case 'pushValue':
      return `${op} DT_TYPE(${d.type}), ${r(d.rs)}${typeComment('\t\t', d.type ?? 0)}`;
    case 'translate':
      // Translator member names live in the compiler's xlator table, which DIF objects here
      // do not carry; dtrace shows them only while it still has that table.
      return `${op} DT_XLREF[${d.xlref}], ${r(d.rd)}`;
  }
}

function variableComment(difo: Difo | undefined, info: OpcodeInfo, id: number): string {
  if (difo === undefined) return '';
  // dtrace names a variable only from the first vartab entry matching id and scope, and
  // only when that entry's name offset lies inside the string table.
  const entry = difo.variables.find((v) => v.id === id && v.scope === info.scope);
  if (entry === undefined || entry.name >= difo.stringTable.length) return '';
  return `\t\t! DT_VAR(${id}) = "${stringAt(difo.stringTable, entry.name) ?? ''}"`;
}

function typeComment(pad: string, type: number): string {
  if (type === DIF_TYPE_CTF) return `${pad}! DT_TYPE(${type}) = D type`;
  if (type === DIF_TYPE_STRING) return `${pad}! DT_TYPE(${type}) = string`;
  return '';
}

function headerAddress(address: number | bigint, platform: DifPlatform): string {
  const hex = BigInt(address).toString(16);
  // illumos prints "0x" before a bare %p; OpenDTrace prints %p alone, which BSD libc already
  // prefixes with 0x; FreeBSD kept illumos' literal prefix, so its header reads "0x0x...".
  return platform === 'freebsd' ? `0x0x${hex}` : `0x${hex}`;
}

const KIND_TEXT: Readonly<Record<number, string>> = { [DIFV_KIND_ARRAY]: 'arr', [DIFV_KIND_SCALAR]: 'scl' };
const SCOPE_TEXT: Readonly<Record<number, string>> = {
  [DIFV_SCOPE_GLOBAL]: 'glb',
  [DIFV_SCOPE_THREAD]: 'tls',
  [DIFV_SCOPE_LOCAL]: 'loc',
};

/** The FLAG column: unknown bits as /0x.., then /r and /w, printed without the first slash. */
export function variableFlagsText(flags: number): string {
  let text = '';
  const unknown = flags & ~(DIFV_F_REF | DIFV_F_MOD);
  if (unknown) text += `/0x${unknown.toString(16)}`;
  if (flags & DIFV_F_REF) text += '/r';
  if (flags & DIFV_F_MOD) text += '/w';
  return text.slice(1);
}

export function variableKindText(kind: number): string {
  return KIND_TEXT[kind] ?? String(kind);
}

export function variableScopeText(scope: number): string {
  return SCOPE_TEXT[scope] ?? String(scope);
}

/** The radix of the vartab ID column: illumos switched it to hexadecimal, the BSDs print decimal. */
export function variableIdRadix(platform: DifPlatform): 10 | 16 {
  return platform === 'illumos' ? 16 : 10;
}

export function disassemble(difo: Difo, options: DisassembleOptions = {}): string {
  const platform = options.platform ?? DEFAULT_PLATFORM;
  const lines: string[] = [
    '',
    `DIFO ${headerAddress(options.address ?? 0, platform)} returns ${formatDifType(difo.returnType)}`,
    `${'OFF'.padEnd(3)} ${'OPCODE'.padEnd(8)}    INSTRUCTION`,
  ];
  difo.instructions.forEach((word, pc) => {
    const prefix = `${String(pc).padStart(2, '0')}: ${word.toString(16).padStart(8, '0')}    `;
    lines.push(prefix + instructionText(word, difo, { platform }));
  });
  if (difo.variables.length > 0) {
    lines.push('', `${'NAME'.padEnd(16)} ${'ID'.padEnd(4)} KND SCP FLAG TYPE`);
    const radix = variableIdRadix(platform);
    for (const v of difo.variables) {
      const name = stringAt(difo.stringTable, v.name) ?? '';
      lines.push(
        [
          name.padEnd(16),
          v.id.toString(radix).padEnd(4),
          variableKindText(v.kind).padEnd(3),
          variableScopeText(v.scope).padEnd(3),
          variableFlagsText(v.flags).padEnd(4),
          formatDifType(v.type),
        ].join(' '),
      );
    }
  }
  return lines.join('\n') + '\n';
}
