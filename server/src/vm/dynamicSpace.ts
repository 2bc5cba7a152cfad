// Accounting of DTrace's dynamic variable space (dynvarsize bytes shared by thread-locals and
// associative array elements). The kernel cuts the space into a hash table and equal chunks,
// one chunk per live element, sized for the largest element any DIF object can create
// (dtrace_difo_chunksize / dtrace_dstate_init). A freed chunk goes to a dirty list and only
// becomes free again when the cleaner runs (every `cleanrate`); an allocation that finds no
// free chunk is a drop: "with non-empty dirty list" when chunks were waiting for the cleaner.
//
// Simplification: the kernel splits the chunks between per-CPU free lists and lets a CPU
// steal from the others before dropping; stealing makes the split invisible except for
// rounding, so one pool is kept.

import type { Difo } from '../dif/difo';
import { indexOf, opcodeOf, r2Of, rdOf } from '../dif/encoding';
import * as op from '../dif/opcodes';

// Read once: under a CommonJS transform every namespace access is a getter call, and these
// sit on the hottest path.
const {
  DIF_OP_FLUSHTS,
  DIF_OP_LDGAA,
  DIF_OP_LDTAA,
  DIF_OP_LDTS,
  DIF_OP_PUSHTR,
  DIF_OP_PUSHTV,
  DIF_OP_SETX,
  DIF_OP_STGAA,
  DIF_OP_STTAA,
  DIF_OP_STTS,
} = op;

/** sizeof (dtrace_dynvar_t) on LP64: hash value, next, data pointer, and a tuple of one key. */
export const DYNVAR_HEADER_SIZE = 48;
/** sizeof (dtrace_key_t): value and size. */
export const DYNVAR_KEY_SIZE = 16;
/** sizeof (dtrace_dynhash_t): chain pointer and lock. */
export const DYNHASH_SIZE = 16;

const roundUp8 = (n: number): number => (n + 7) & ~7;

export type DynamicDropKind = 'DYNAMIC' | 'DYNDIRTY';

export class DynamicSpace {
  readonly chunkSize: number;
  readonly capacity: number;
  private inUse = 0;
  private dirty = 0;

  constructor(size: number, chunkSize: number) {
    this.chunkSize = Math.max(chunkSize, DYNVAR_HEADER_SIZE);
    const min = this.chunkSize + DYNHASH_SIZE;
    const total = Math.max(size, min);
    let hashSize = Math.floor(total / (this.chunkSize + DYNHASH_SIZE));
    if (hashSize !== 1 && (hashSize & 1) === 1) hashSize--;
    this.capacity = Math.max(0, Math.floor((total - hashSize * DYNHASH_SIZE) / this.chunkSize));
  }

  /** Takes a chunk; on exhaustion returns the kind of drop to count. */
  allocate(): true | DynamicDropKind {
    if (this.inUse + this.dirty < this.capacity) {
      this.inUse++;
      return true;
    }
    return this.dirty > 0 ? 'DYNDIRTY' : 'DYNAMIC';
  }

  free(): void {
    this.inUse--;
    this.dirty++;
  }

  /** The cleaner's pass: dirty chunks become free. */
  clean(): void {
    this.dirty = 0;
  }

  get live(): number {
    return this.inUse;
  }
}

/**
 * The chunk size the kernel derives from the program: for every dynamic variable access, the
 * element header, one key per tuple entry (plus the variable id, plus the thread for
 * thread-locals), the by-reference key bytes and the value, maximised over all objects.
 * `valueSize(scope, id)` gives a variable's value bytes (8 for by-value variables).
 */
export function dynamicChunkSize(
  difos: readonly Difo[],
  valueSize: (scope: number, id: number) => number,
  strsize: number,
): number {
  let max = 0;
  for (const difo of difos) {
    let nkeys = 0;
    let keyBytes = 0;
    let lastConstant = 0n;
    const regConst = new Map<number, bigint>();
    for (const word of difo.instructions) {
      const code = opcodeOf(word);
      switch (code) {
        case DIF_OP_SETX:
          lastConstant = difo.intTable[indexOf(word)] ?? 0n;
          regConst.set(rdOf(word), lastConstant);
          break;
        case DIF_OP_FLUSHTS:
          nkeys = 0;
          keyBytes = 0;
          break;
        case DIF_OP_PUSHTV:
          nkeys++;
          break;
        case DIF_OP_PUSHTR: {
          nkeys++;
          const sizeReg = r2Of(word);
          const known = sizeReg === 0 ? undefined : regConst.get(sizeReg);
          const bytes = known === undefined ? strsize : Number(known);
          keyBytes += roundUp8(bytes);
          break;
        }
        case DIF_OP_LDTS:
        case DIF_OP_STTS:
          max = Math.max(max, DYNVAR_HEADER_SIZE + DYNVAR_KEY_SIZE + roundUp8(valueSize(1, indexOf(word))));
          break;
        case DIF_OP_LDGAA:
        case DIF_OP_STGAA:
        case DIF_OP_LDTAA:
        case DIF_OP_STTAA: {
          const thread = code === DIF_OP_LDTAA || code === DIF_OP_STTAA;
          const keys = nkeys + 1 + (thread ? 1 : 0);
          const scope = thread ? 1 : 0;
          const size =
            DYNVAR_HEADER_SIZE + DYNVAR_KEY_SIZE * (keys - 1) + keyBytes + roundUp8(valueSize(scope, indexOf(word)));
          max = Math.max(max, size);
          break;
        }
        default:
          break;
      }
    }
  }
  return roundUp8(max);
}
