// The integer and string tables of one DIF object, filled as DTrace's assembler fills them:
// each distinct integer once (in order of first use); strings once each, after the NUL that
// DTrace's string table always keeps at offset 0 (the empty string's offset).
import { toU64 } from '../dif/difo';
import { DIF_INTOFF_MAX, DIF_STROFF_MAX } from '../dif/opcodes';
import { LIBRARY_ERROR_MESSAGES } from './errors';

/**
 * A DIF object's table overflowed: DTrace's library errors EDT_INT2BIG / EDT_STR2BIG, which
 * it prints without a line. The object's builder does not know the node: the caller places it.
 */
export class TableLimitExceeded extends Error {
  constructor(readonly tag: 'EDT_INT2BIG' | 'EDT_STR2BIG') {
    super(LIBRARY_ERROR_MESSAGES[tag]);
  }
}

export class IntegerTable {
  private readonly values: bigint[] = [];
  private readonly index = new Map<bigint, number>();

  insert(value: bigint): number {
    const v = toU64(value);
    let i = this.index.get(v);
    if (i === undefined) {
      i = this.values.length;
      if (i > DIF_INTOFF_MAX) throw new TableLimitExceeded('EDT_INT2BIG');
      this.values.push(v);
      this.index.set(v, i);
    }
    return i;
  }

  toArray(): bigint[] {
    return [...this.values];
  }
}

export class StringTable {
  private readonly bytes: number[] = [0];
  private readonly offsets = new Map<string, number>([['', 0]]);

  insert(full: string): number {
    // The table holds C strings: a literal with a NUL in it ends there, as in DTrace.
    const text = full.split('\0')[0]!;
    const known = this.offsets.get(text);
    if (known !== undefined) return known;
    const offset = this.bytes.length;
    if (offset > DIF_STROFF_MAX) throw new TableLimitExceeded('EDT_STR2BIG');
    // The front end keeps a literal's bytes one per character (latin1).
    for (const b of Buffer.from(text, 'latin1')) this.bytes.push(b);
    this.bytes.push(0);
    this.offsets.set(text, offset);
    return offset;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}
