// `-C`: runs the system's cpp(1) over a script, as dtrace(1) does, with DTrace's predefined
// macros; cpp's line markers map rows of its output back to the user's files and lines.
import { spawnSync } from 'node:child_process';

export type LineMap = (row: number) => { file: string; line: number };

const PREDEFINED = ['-D__SUNW_D=1', '-D__SUNW_D_VERSION=0x010d0000', '-D__unix=1', '-D__amd64=1', '-D__x86_64=1'];

export function preprocess(text: string, path: string, args: string[]): { text: string; lineMap: LineMap } | { error: string } {
  const r = spawnSync('cpp', ['-undef', ...PREDEFINED, ...args, '-'], { input: text, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { error: `failed to run cpp: ${r.error.message}` };
  if (r.status !== 0) return { error: `preprocessor failed: ${(r.stderr || '').trim().split('\n')[0] ?? ''}` };
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
