// `-C`: runs the system's cpp(1) over a script, as dtrace(1) does, with DTrace's predefined
// macros; cpp's line markers map rows of its output back to the user's files and lines.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { libraryRoot } from '../analyze/flavour/flavourData';
import type { Flavour } from '../analyze/flavour/flavours';

export type LineMap = (row: number) => { file: string; line: number };

// `-undef` keeps the host's own macros (e.g. `linux`, `unix`) out of D text; in their place come
// the macros dtrace(1) adds and those the target's compiler predefines. Every target is LP64
// x86-64 (the type model's), so system headers pulled in with `#include` pick their 64-bit parts.
const PREDEFINED = [
  '-D__SUNW_D=1', '-D__SUNW_D_VERSION=0x010d0000', '-D__SUNW_D_64', '-D__unix=1',
  '-D__amd64=1', '-D__x86_64=1', '-D__amd64__=1', '-D__x86_64__=1', '-D__LP64__=1', '-D_LP64=1',
];

/** What each target's cpp adds: illumos's libdtrace defines __sun/__SVR4; the others come from cc. */
const FLAVOUR_PREDEFINED: Record<Flavour, string[]> = {
  illumos: ['-D__sun=1', '-D__SVR4=1'],
  freebsd: ['-D__FreeBSD__=14', '-D__unix__=1', '-D__ELF__=1'],
  macos: ['-D__APPLE__=1', '-D__MACH__=1'],
  linux: ['-D__linux=1', '-D__linux__=1', '-D__unix__=1', '-D__ELF__=1'],
};

export function preprocess(
  text: string,
  path: string,
  args: string[],
  flavour?: Flavour | 'auto',
): { text: string; lineMap: LineMap } | { error: string } {
  const target = flavour === undefined || flavour === 'auto' ? [] : [...FLAVOUR_PREDEFINED[flavour], ...targetHeaders(flavour)];
  const r = spawnSync('cpp', ['-undef', ...PREDEFINED, ...target, ...args, '-'], { input: withoutInterpreterLine(text), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { error: `failed to run cpp: ${r.error.message}` };
  if (r.status !== 0) {
    // cpp's first line may be an "In file included from" trail; the error line says what failed.
    const said = (r.stderr || '').trim().split('\n');
    const line = said.find((l) => /\berror\b/.test(l)) ?? said[0] ?? '';
    return { error: `preprocessor failed: ${line.replace(/^<stdin>:/, `${path}:`)}` };
  }
  const lines = r.stdout.split('\n');
  const map: { file: string; line: number }[] = [];
  let file = path;
  let line = 1;
  const kept: string[] = [];
  for (const l of lines) {
    const m = /^#\s*(\d+)\s+"([^"]*)"/.exec(l);
    if (m) {
      line = Number(m[1]);
      file = m[2] === '<stdin>' ? path : m[2]!;
      // Keep the row (as an empty line) so rows stay aligned with the map.
      kept.push('');
      map.push({ file, line: line - 1 });
      continue;
    }
    kept.push(l);
    map.push({ file, line });
    line++;
  }
  return { text: kept.join('\n'), lineMap: (row) => map[row] ?? { file: path, line: row + 1 } };
}

/**
 * The target's own system headers (`<sys/errno.h>` with its E* values, without glibc's
 * `#define errno` that would hide D's `errno`), searched before the host's; a header the
 * flavour does not ship still comes from the host.
 */
function targetHeaders(flavour: Flavour): string[] {
  const dir = join(libraryRoot(), 'flavours', flavour, 'include');
  return existsSync(dir) ? ['-isystem', dir] : [];
}

/**
 * cpp rejects a `#!` line, so dtrace(1) starts cpp just before the newline that ends it: the
 * interpreter text is gone and the newline keeps every later line at its own number.
 */
function withoutInterpreterLine(text: string): string {
  if (!text.startsWith('#!')) return text;
  const end = text.indexOf('\n');
  return end < 0 ? '' : text.slice(end);
}
