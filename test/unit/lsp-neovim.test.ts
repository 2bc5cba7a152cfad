// A real third-party LSP client: Neovim's built-in client (headless, Debian package `neovim`)
// starts bin/dtrace-language-server, opens a D file with a syntax error after non-ASCII text,
// receives the diagnostic (which Neovim turns into byte columns), fixes it with an incremental
// edit and receives the type error the front end then finds, then formats the buffer. The Lua
// side is test/neovim/diagnostics.lua.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');

function nvimPath(): string {
  try {
    return execFileSync('sh', ['-c', 'command -v nvim'], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error('nvim is not installed: this test needs the Debian package `neovim` (apt-get install neovim)');
  }
}

test('Neovim\'s LSP client receives the expected diagnostics and formats the file', () => {
  const nvim = nvimPath();
  const dir = mkdtempSync(join(tmpdir(), 'dtrace-nvim-'));
  const file = join(dir, 'broken.d');
  const out = join(dir, 'out.json');
  writeFileSync(file, 'BEGIN\n{\n\tx = execname;\n\ts = "héllo😀"; y = (2;\n\tx = 1;\n}\n');
  const run = spawnSync(nvim, ['--headless', '--clean', '-n', '-c', `luafile ${join(repo, 'test', 'neovim', 'diagnostics.lua')}`], {
    cwd: dir,
    env: { ...process.env, DTRACE_NODE: process.execPath, DTRACE_LS: join(repo, 'bin', 'dtrace-language-server'), DTRACE_FILE: file, DTRACE_OUT: out, HOME: dir, XDG_STATE_HOME: dir, XDG_DATA_HOME: dir },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(run.status, 0, `nvim failed: ${run.stderr}`);
  const result = JSON.parse(readFileSync(out, 'utf8')) as { opened: boolean; edited: boolean; error?: string; steps: unknown[]; formatted: string[] };
  assert.equal(result.error, undefined);
  assert.equal(result.opened, true);
  assert.equal(result.edited, true);
  assert.deepEqual(result.steps, [
    // UTF-16 column 22 on the server's side: Neovim counts bytes (é is 2, 😀 is 4).
    [{ lnum: 3, col: 25, end_lnum: 3, end_col: 25, message: 'expected `)`', code: 'D_SYNTAX', severity: 1, source: 'dtrace' }],
    [{ lnum: 4, col: 1, end_lnum: 4, end_col: 6, message: 'operands have incompatible types: "string" = "int"', code: 'D_OP_INCOMPAT', severity: 1, source: 'dtrace' }],
  ]);
  assert.deepEqual(result.formatted, ['BEGIN', '{', '\tx = execname;', '\ts = "héllo😀";', '\ty = (2);', '\tx = 1;', '}']);
});
