// The client side of the debugger: settings to launch configurations and dtvm command lines,
// and the manifest's contributions agreeing with the adapter and the extension's code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeSource, dtvmArguments, launchConfigurationFor, type RunSettings } from '../../client/src/runConfiguration';
import { checkLaunchArguments, type DTraceLaunchArguments } from '../../server/src/debug/adapter/launchArguments';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const settings = (over: Partial<RunSettings> = {}): RunSettings => ({ firingsSource: {}, options: {}, macroArguments: [], flavour: 'auto', ...over });

test('settings become a launch configuration with one firings source', () => {
  const c = launchConfigurationFor('/w/reads.d', '/w', settings({ firingsSource: { trace: 'traces/reads.ndjson', command: 'ls' }, options: { bufsize: '8m', flowindent: true }, macroArguments: ['42'], flavour: 'linux' }), 'Debug reads.d');
  assert.deepEqual(c, {
    type: 'dtrace',
    request: 'launch',
    name: 'Debug reads.d',
    program: '/w/reads.d',
    trace: 'traces/reads.ndjson',
    cwd: '/w',
    options: { bufsize: '8m', flowindent: true },
    macroArguments: ['42'],
    flavour: 'linux',
  });
  assert.deepEqual(launchConfigurationFor('/w/t.d', undefined, settings({ firingsSource: { workload: 'load.json', seed: 7 } }), 'n'), {
    type: 'dtrace', request: 'launch', name: 'n', program: '/w/t.d', workload: 'load.json', seed: 7,
  });
});

test('the same run as a dtvm command line', () => {
  const base = launchConfigurationFor('/w/reads.d', '/w', settings({ options: { bufsize: '8m', quiet: true, off: false }, macroArguments: ['-1', 'x y'], flavour: 'freebsd' }), 'r');
  assert.deepEqual(dtvmArguments({ ...base, trace: 't.ndjson' }), ['-s', '/w/reads.d', '--trace', 't.ndjson', '-x', 'bufsize=8m', '-x', 'quiet', '--flavour', 'freebsd', '--', '-1', 'x y']);
  assert.deepEqual(dtvmArguments({ ...base, options: {}, macroArguments: [], flavour: 'auto', workload: 'w.json', seed: 3 }), ['-s', '/w/reads.d', '--workload', 'w.json', '--seed', '3']);
  assert.deepEqual(dtvmArguments({ ...base, options: {}, macroArguments: [], flavour: undefined, command: 'ls -l' }), ['-s', '/w/reads.d', '-c', 'ls -l']);
  assert.deepEqual(dtvmArguments({ ...base, options: {}, macroArguments: [], flavour: undefined, pid: 12 }), ['-s', '/w/reads.d', '-p', '12']);
  assert.equal(describeSource({ ...base, workload: 'w.json', seed: 3 }), 'workload w.json (seed 3)');
  assert.equal(describeSource(base), 'no firings source (BEGIN, END and tick probes only)');
});

test('the manifest contributes the dtrace debugger, its breakpoints and the run commands', () => {
  const c = manifest.contributes;
  const debuggers = c.debuggers as { type: string; languages: string[]; configurationAttributes: Record<string, { properties: Record<string, unknown> }>; initialConfigurations: DTraceLaunchArguments[] }[];
  assert.deepEqual(debuggers.map((d) => [d.type, d.languages]), [['dtrace', ['dtrace']]]);
  assert.deepEqual(c.breakpoints, [{ language: 'dtrace' }]);
  const commands = (c.commands as { command: string; title: string; enablement?: string }[]).filter((x) => x.command === 'dtrace.runScript' || x.command === 'dtrace.debugScript');
  assert.deepEqual(commands.map((x) => [x.command, x.title, x.enablement]), [
    ['dtrace.runScript', 'Run Script', 'isWorkspaceTrusted'],
    ['dtrace.debugScript', 'Debug Script', 'isWorkspaceTrusted'],
  ]);
  assert.ok((manifest.activationEvents as string[]).includes('onDebugResolve:dtrace'));
  // Every command the extension registers is contributed, and the other way round.
  const registered = new Set<string>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.ts')) for (const m of readFileSync(join(dir, e.name), 'utf8').matchAll(/registerCommand\('([\w.]+)'/g)) registered.add(m[1]!);
    }
  };
  walk(join(root, 'client', 'src'));
  for (const cmd of ['dtrace.runScript', 'dtrace.debugScript']) assert.ok(registered.has(cmd), cmd);
});

test('every launch attribute the schema offers is one the adapter reads, and the initial configuration is valid', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-dap-schema-'));
  const program = join(dir, 'x.d');
  const trace = join(dir, 'trace.ndjson');
  writeFileSync(program, 'BEGIN { exit(0); }\n');
  writeFileSync(trace, '');
  const d = manifest.contributes.debuggers[0];
  const known = ['program', 'text', 'trace', 'workload', 'seed', 'command', 'pid', 'options', 'quiet', 'destructive', 'macroArguments', 'stopOnEntry', 'stopAtLine', 'flavour', 'providerFiles', 'cwd', 'noDebug'];
  for (const request of ['launch', 'attach']) {
    for (const name of Object.keys(d.configurationAttributes[request].properties)) assert.ok(known.includes(name), `${request}.${name}`);
  }
  const initial = JSON.parse(JSON.stringify(d.initialConfigurations[0]).replace(/\$\{file\}/g, program).replace(/\$\{workspaceFolder\}/g, dir));
  const checked = checkLaunchArguments(initial);
  assert.deepEqual(checked.spec, { program, source: { kind: 'trace', file: trace } });
  assert.equal(checked.stopOnEntry, false);
});

test('launch arguments: mistakes are named, options and paths are normalised', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dtvm-dap-args-'));
  const program = join(dir, 'x.d');
  writeFileSync(program, 'BEGIN { exit(0); }\n');
  const bad = (args: DTraceLaunchArguments, message: string) => assert.throws(() => checkLaunchArguments(args), { message });
  bad({ program, pid: -3 }, `'pid' must be a positive process id`);
  bad({ program, seed: 4 }, `'seed' needs a 'workload'`);
  bad({ program, options: 'bufsize=8m' }, `'options' must be a list like ["bufsize=8m"] or an object like {"bufsize": "8m"}`);
  bad({ program, flavour: 'solaris' }, `'flavour' must be one of freebsd, illumos, macos, linux, auto, not 'solaris'`);
  bad({ program, stopAtLine: 0 }, `'stopAtLine' must be a line number (1 or more)`);
  bad({ program: join(dir, 'nope.d') }, `program '${join(dir, 'nope.d')}' does not exist`);
  const ok = checkLaunchArguments({ program: 'x.d', cwd: dir, command: 'sleep 1', options: ['bufsize=8m'], quiet: true, destructive: true, flavour: 'auto', stopAtLine: 3 });
  assert.deepEqual(ok, {
    spec: { program, source: { kind: 'command', command: 'sleep 1' }, options: ['bufsize=8m', 'quiet'], destructive: true },
    stopOnEntry: false,
    noDebug: false,
    stopAtLine: 3,
  });
  assert.deepEqual(checkLaunchArguments({ program, pid: '77', text: 'BEGIN {}' }).spec, { program, text: 'BEGIN {}', source: { kind: 'attach', pid: 77 } });
});
