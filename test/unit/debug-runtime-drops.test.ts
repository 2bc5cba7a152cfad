// The debugger shows each firing's output at once, yet its buffers fill and drop exactly as
// dtvm's do: a per-firing look hands records over without freeing their space before the
// real switch (switchrate) or snapshot (aggrate).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { launch } from '../support/debugRuntime';
import { dtvm } from '../support/runDtvm';

// dtvm's drop hints are beyond the debugger's scope: compare dtrace's own lines.
process.env.DTVM_HINTS = '0';

const text = (o: { stream: string; text: string }[], stream: string): string =>
  o
    .filter((x) => x.stream === stream)
    .map((x) => x.text)
    .join('');

async function both(script: string, options: string[]): Promise<{ debugger: { stdout: string; stderr: string }; dtvm: { stdout: string; stderr: string } }> {
  const h = await launch(script, { options });
  await h.rt.continue();
  const cli = await dtvm(['-q', ...options.flatMap((o) => ['-x', o]), '-n', script.replace(/#pragma D option quiet\n/, ''), '--trace', h.trace]);
  return { debugger: { stdout: text(h.output, 'stdout'), stderr: text(h.output, 'stderr') }, dtvm: { stdout: cli.stdout, stderr: cli.stderr } };
}

test('principal buffer drops: the same records and drop counts as dtvm', async () => {
  const r = await both('#pragma D option quiet\nsyscall::read:entry { printf("read %d\\n", arg0); }\n', ['bufsize=48', 'switchrate=10s']);
  assert.equal(r.dtvm.stderr, 'dtrace: 2 drops on CPU 0\n');
  assert.deepEqual(r.debugger, r.dtvm);
});

test('aggregation drops: the same keys and drop counts as dtvm', async () => {
  const r = await both('#pragma D option quiet\nsyscall::read:entry { @[arg0] = count(); }\n', ['aggsize=160', 'aggrate=10s']);
  assert.match(r.dtvm.stderr, /aggregation drops on CPU 0/);
  assert.deepEqual(r.debugger, r.dtvm);
});
