// Stacks and symbols without symbol tables: dtvm replays no kernel and no process images, so
// every program counter prints as dtrace(1) prints an address it cannot resolve, "0x%llx".
import type { FormatRecord } from './printfFormat';
import { recordBytes, unsignedAt } from './recordValues';

function word(bytes: Uint8Array, i: number): bigint {
  return unsignedAt(bytes.subarray(i * 8, i * 8 + 8), 8);
}

/**
 * stack()/ustack()/jstack(): a newline, then one line per frame (until a zero pc), each
 * indented and passed through the caller's format.
 */
export function formatStack(r: FormatRecord, format: (frame: string) => string, indent: number): string {
  if (r.type.k !== 'stack') return '';
  const { frames, user } = r.type;
  if (user && frames === 0) return '';
  const bytes = recordBytes(r.value, frames * 8 + (user ? 8 : 0));
  let out = '\n';
  // A user stack starts with the pid.
  const first = user ? 1 : 0;
  for (let i = 0; i < frames; i++) {
    const pc = word(bytes, first + i);
    if (pc === 0n) break;
    out += ' '.repeat(indent) + format('0x' + pc.toString(16)) + '\n';
  }
  return out;
}

/** sym()/mod()/usym()/umod()/uaddr(): the address text ("0x%llx"); user ones hold [pid, pc]. */
export function symbolText(r: FormatRecord): string {
  const user = r.type.k === 'symbol' && r.type.user;
  const bytes = recordBytes(r.value, user ? 16 : 8);
  const pc = user ? word(bytes, 1) : word(bytes, 0);
  return '0x' + pc.toString(16);
}
