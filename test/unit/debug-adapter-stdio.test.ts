// bin/dtvm-dap, the debug adapter other DAP clients (nvim-dap...) start: the built bundle
// (`node scripts/build.mjs`, which `npm test` runs first) speaking DAP over stdio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';

const root = join(__dirname, '..', '..');
const bin = join(root, 'bin', 'dtvm-dap');

function adapter(): DebugClient {
  assert.ok(existsSync(join(root, 'dist', 'dtvm-dap.js')), 'dist/dtvm-dap.js is missing: run `node scripts/build.mjs` first');
  const dc = new DebugClient(process.execPath, bin, 'dtrace', { stdio: ['pipe', 'pipe', 'pipe'] });
  dc.defaultTimeout = 20000;
  return dc;
}

test('bin/dtvm-dap answers initialize and refuses a launch without a program', { timeout: 30000 }, async () => {
  const dc = adapter();
  await dc.start();
  try {
    const init = await dc.initializeRequest();
    assert.equal(init.body?.supportsStepBack, true);
    assert.deepEqual(init.body?.exceptionBreakpointFilters?.map((f) => f.filter), ['fault', 'drop']);
    await assert.rejects(dc.launchRequest({ trace: 'x.ndjson' } as DebugProtocol.LaunchRequestArguments), {
      message: `dtrace launch configuration: 'program' (the .d file to run) is missing`,
    });
  } finally {
    await dc.stop();
  }
});

test('bin/dtvm-dap reports a compile error at its line and column', { timeout: 30000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-dap-stdio-'));
  const program = join(dir, 'broken.d');
  writeFileSync(program, 'BEGIN\n{\n\tx = ;\n}\n');
  const dc = adapter();
  await dc.start();
  try {
    await dc.initializeRequest();
    const output = dc.waitForEvent('output');
    await assert.rejects(dc.launchRequest({ program } as DebugProtocol.LaunchRequestArguments), (e: Error) => {
      assert.match(e.message, new RegExp(`^${program.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:\\d+: error: `));
      return true;
    });
    const e = await output;
    assert.equal(e.body.category, 'stderr');
    assert.equal(e.body.line, 3);
  } finally {
    await dc.stop();
  }
});
