// Temporary D script files for tests that drive the real command line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let dir: string | undefined;

export function scriptFile(text: string, name = 'x.d'): string {
  dir ??= mkdtempSync(join(tmpdir(), 'dtvm-test-'));
  const sub = mkdtempSync(join(dir, 's'));
  const file = join(sub, name);
  writeFileSync(file, text);
  return file;
}
