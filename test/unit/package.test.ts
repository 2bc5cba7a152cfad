// What the extension ships: the .vsix that `vsce package --no-dependencies` makes holds exactly
// the run-time files and the user documents (see .vscodeignore), and the language configuration
// it ships is valid and behaves. Run: node --import tsx --test test/unit/package.test.ts
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';

const root = join(__dirname, '..', '..');
const MAX_VSIX_BYTES = 5 * 1024 * 1024;

interface ZipEntry {
  readonly name: string;
  readonly size: number;
}

/** Lists a zip through its central directory (no unzip needed). */
function listZip(zip: Buffer): ZipEntry[] {
  // The end-of-central-directory record is the last thing in the file, before a comment of up to 64 KiB.
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'not a zip file: no end of central directory');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, `bad central directory entry ${n}`);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({ name: zip.toString('utf8', at + 46, at + 46 + nameLength), size });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

function filesUnder(dir: string, prefix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`],
  );
}

const inDir = (dir: string, pattern: RegExp): string[] =>
  filesUnder(join(root, dir), `${dir}/`).filter((f) => pattern.test(posix.basename(f)) && !f.slice(dir.length + 1).includes('/'));

/** The vsix entries .vscodeignore should let through, computed from the work tree after a build. */
function expectedEntries(): Set<string> {
  const files = [
    'package.json',
    'language-configuration.json',
    ...inDir('dist', /\.js$/),
    ...inDir('dist', /\.css$/), // the trace panel's stylesheet
    ...inDir('dist', /\.wasm$/),
    // The D library files and probe catalogues the language server loads (like /usr/lib/dtrace).
    ...(existsSync(join(root, 'dist', 'lib')) ? filesUnder(join(root, 'dist', 'lib'), 'dist/lib/') : []),
    ...inDir('syntaxes', /\.json$/),
    ...filesUnder(join(root, 'docs'), 'docs/'),
    ...['ARCHITECTURE.md'].filter((f) => existsSync(join(root, f))),
  ];
  const entries = new Set(['extension.vsixmanifest', '[Content_Types].xml', ...files.map((f) => `extension/${f}`)]);
  // vsce renames these two: the readme to lower case, an extension-less licence to .txt.
  if (existsSync(join(root, 'README.md'))) entries.add('extension/readme.md');
  for (const licence of ['LICENSE', 'LICENSE.md', 'LICENSE.txt']) {
    if (existsSync(join(root, licence))) entries.add(`extension/${licence === 'LICENSE' ? 'LICENSE.txt' : licence}`);
  }
  return entries;
}

function run(command: string, args: readonly string[]): string {
  const r = spawnSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
  assert.equal(r.status, 0, `${command} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

describe('vsix package', { timeout: 300_000 }, () => {
  let out = '';
  let vsix = '';
  let entries: ZipEntry[] = [];

  before(() => {
    out = mkdtempSync(join(tmpdir(), 'dtrace-d-vsix-'));
    vsix = join(out, 'dtrace-d.vsix');
    run(process.execPath, [join(root, 'scripts', 'build.mjs')]);
    const hasLicence = ['LICENSE', 'LICENSE.md', 'LICENSE.txt'].some((f) => existsSync(join(root, f)));
    // Same flags as `npm run package`, into a temporary file. Without a licence file vsce would
    // stop at a y/N prompt: the manifest says MIT, so say so and go on.
    const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
    run(process.execPath, [vsce, 'package', '--no-dependencies', '-o', vsix, ...(hasLicence ? [] : ['--skip-license'])]);
    entries = listZip(readFileSync(vsix));
  });

  after(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it('holds exactly the run-time files and the documents', () => {
    const names = entries.map((e) => e.name).sort();
    assert.deepEqual(names, [...expectedEntries()].sort());
  });

  it('holds every file the manifest points at', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      main: string;
      contributes: { languages: { configuration?: string }[]; grammars: { path: string }[] };
    };
    const referenced = [
      manifest.main,
      ...manifest.contributes.languages.flatMap((l) => (l.configuration ? [l.configuration] : [])),
      ...manifest.contributes.grammars.map((g) => g.path),
      './dist/server.js',
      './dist/tree-sitter-d.wasm',
      './dist/web-tree-sitter.wasm',
      './dist/tracePanel.js',
      './dist/tracePanel.css',
      './dist/lib/dtrace/unistd.d',
      './dist/lib/flavours/freebsd/dtrace/procfs.d',
      './dist/lib/flavours/freebsd/providers/syscall.json',
    ];
    const names = new Set(entries.map((e) => e.name));
    for (const file of referenced) assert.ok(names.has(posix.join('extension', file)), `${file} is missing from the vsix`);
  });

  it('ships no sources, maps, tests or dependencies', () => {
    // The target systems' headers for `-C` scripts (dist/lib/flavours/*/include) are data.
    const header = /^extension\/dist\/lib\/flavours\/[a-z]+\/include\/.*\.h$/;
    const bad = entries.filter((e) => !header.test(e.name) && /\.(?:ts|map|c|h|cc|gyp)$|(?:^|\/)(?:node_modules|test|src|tree-sitter-d|client|server)\//.test(e.name));
    assert.deepEqual(bad, []);
  });

  it(`is smaller than ${MAX_VSIX_BYTES / 1024 / 1024} MB`, (t) => {
    const size = statSync(vsix).size;
    t.diagnostic(`${posix.basename(vsix)}: ${(size / 1024).toFixed(0)} KiB packed, ${entries.length} entries`);
    assert.ok(size < MAX_VSIX_BYTES, `${size} bytes`);
  });
});

describe('language-configuration.json', () => {
  // VS Code reads the file as JSON with comments; the comments here are whole lines.
  const text = readFileSync(join(root, 'language-configuration.json'), 'utf8');
  const config = JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as {
    comments: { lineComment: string; blockComment: [string, string] };
    brackets: [string, string][];
    folding: { markers: { start: string; end: string } };
    indentationRules: { increaseIndentPattern: string; decreaseIndentPattern: string };
    onEnterRules: { beforeText: string; afterText?: string; previousLineText?: string }[];
    wordPattern: string;
  };

  it('declares D comments and brackets', () => {
    assert.deepEqual(config.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
    assert.deepEqual(config.brackets, [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ]);
  });

  it('has patterns that compile', () => {
    const patterns = [
      config.folding.markers.start,
      config.folding.markers.end,
      config.indentationRules.increaseIndentPattern,
      config.indentationRules.decreaseIndentPattern,
      config.wordPattern,
      ...config.onEnterRules.flatMap((r) => [r.beforeText, r.afterText, r.previousLineText].filter((p): p is string => !!p)),
    ];
    for (const p of patterns) assert.doesNotThrow(() => new RegExp(p), p);
  });

  it('keeps D words whole and splits self->x', () => {
    const words = (s: string): string[] => s.match(new RegExp(config.wordPattern, 'g')) ?? [];
    assert.deepEqual(words('self->ts = timestamp;'), ['self', 'ts', 'timestamp']);
    assert.deepEqual(words('@bytes[execname] = sum(this->n);'), ['@bytes', 'execname', 'sum', 'this', 'n']);
    assert.deepEqual(words('/pid == $target && $1 > $$2/'), ['pid', '$target', '$1', '$$2']);
    assert.deepEqual(words('trace(`freemem + genunix`ncpus);'), ['trace', '`freemem', 'genunix`ncpus']);
    assert.deepEqual(words('x = 0x1fUL + 42;'), ['x', '0x1fUL', '42']);
    assert.ok(!new RegExp(config.wordPattern).test(''), 'the word pattern must not match the empty string');
  });

  it('folds /* region */ ... /* endregion */ and indents blocks', () => {
    const start = new RegExp(config.folding.markers.start);
    const end = new RegExp(config.folding.markers.end);
    assert.ok(start.test('/* region syscalls */'));
    assert.ok(start.test('// #region syscalls'));
    assert.ok(end.test('  /* endregion */'));
    assert.ok(!start.test('/* endregion */'));
    assert.ok(!start.test('#pragma region x'));
    assert.ok(new RegExp(config.indentationRules.increaseIndentPattern).test('syscall::read:entry {'));
    assert.ok(new RegExp(config.indentationRules.increaseIndentPattern).test('\tif (arg0 > 0) {'));
    assert.ok(!new RegExp(config.indentationRules.increaseIndentPattern).test('BEGIN { exit(0); }'));
    assert.ok(new RegExp(config.indentationRules.decreaseIndentPattern).test('}'));
  });
});
