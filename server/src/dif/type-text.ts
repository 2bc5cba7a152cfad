// The text `dtrace -S` prints for a dtrace_diftype_t ("D type (integer) (size 8)",
// "string (unknown) by ref (size 256)"), and the inverse used by the assembler.

import type { DifType } from './difo.ts';
import { CTF_KIND_NAMES, DIF_TF_BYREF, DIF_TF_BYUREF, DIF_TYPE_CTF, DIF_TYPE_STRING } from './variables.ts';

const KIND_NAMES: Readonly<Record<number, string>> = { [DIF_TYPE_CTF]: 'D type', [DIF_TYPE_STRING]: 'string' };

export function formatDifType(type: DifType): string {
  const kind = KIND_NAMES[type.kind] ?? `0x${type.kind.toString(16)}`;
  const ckind = CTF_KIND_NAMES[type.ckind] ?? `0x${type.ckind.toString(16)}`;
  if (type.flags & (DIF_TF_BYREF | DIF_TF_BYUREF)) {
    const user = type.flags & DIF_TF_BYUREF ? 'user ' : '';
    return `${kind} (${ckind}) by ${user}ref (size ${type.size})`;
  }
  return `${kind} (${ckind}) (size ${type.size})`;
}

const TYPE_TEXT = /^(D type|string|0x[0-9a-fA-F]+) \(([a-z]+|0x[0-9a-fA-F]+)\) (?:(by) (user )?ref )?\(size (\d+)\)$/;

/** Reads formatDifType's output back. The printed form keeps only the by-ref/by-user-ref
 *  distinction of the flags, so "by ref" reads as DIF_TF_BYREF and "by user ref" as
 *  DIF_TF_BYUREF. Returns undefined when the text is not a type. */
export function parseDifType(text: string): DifType | undefined {
  const m = TYPE_TEXT.exec(text.trim());
  if (m === null) return undefined;
  const [, kindText, ckindText, by, user, sizeText] = m;
  const kind =
    kindText === 'D type' ? DIF_TYPE_CTF : kindText === 'string' ? DIF_TYPE_STRING : parseInt(kindText!, 16);
  const named = CTF_KIND_NAMES.indexOf(ckindText!);
  const ckind = named >= 0 ? named : ckindText!.startsWith('0x') ? parseInt(ckindText!, 16) : NaN;
  const size = Number(sizeText);
  if (!Number.isInteger(ckind) || kind > 0xff || ckind > 0xff || size > 0xffffffff) return undefined;
  const flags = by === undefined ? 0 : user ? DIF_TF_BYUREF : DIF_TF_BYREF;
  return { kind, ckind, flags, size };
}
