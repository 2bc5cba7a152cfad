// Hover over the real protocol: built-in variables, subroutines, actions and aggregating
// functions with their signature and documentation; options of `#pragma D option`; probe
// descriptions with the probes they match and their argument types (from a provider file, so
// the catalogue is the test's own); variables with scope, type and first assignment;
// aggregations with function and keys; inlines, typedefs, enumerators, members, macro
// variables with their values. Exact ranges and texts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLanguageServer, pos, span, type LspClient } from '../support/lspClient';
import { BUILTIN_FUNCTIONS } from '../../server/src/analyze/builtins/functions';
import { BUILTIN_VARIABLES } from '../../server/src/analyze/builtins/variables';
import { FUNCTION_DOCS, VARIABLE_DOCS } from '../../server/src/analyze/builtins/docs';
import { optionSpec } from '../../server/src/analyze/options/optionTable';

const PROVIDERS = {
  providers: [
    {
      name: 'demo',
      probes: [
        { module: 'kmod', function: 'demo_read', name: 'entry', args: ['int', 'char *'] },
        { module: 'kmod', function: 'demo_read', name: 'return', args: ['int'] },
        { module: 'kmod', function: 'demo_write', name: 'entry', args: ['struct demo *'] },
      ],
    },
  ],
};

const SCRIPT = [
  '#pragma D option bufpolicy=ring', // 0
  '#pragma D option destructive', // 1
  'inline int LIMIT = 10;', // 2
  'typedef struct demo { int d_x; long d_y; } demo_t;', // 3
  'enum color { RED, GREEN = 5 };', // 4
  'demo:kmod:demo_read:entry', // 5
  '/execname == "ls" && arg0 < LIMIT/', // 6
  '{', // 7
  '\tself->ts = timestamp;', // 8
  '\tthis->n = args[0];', // 9
  '\t@counts[execname, pid] = count();', // 10
  '\t@lat = quantize(timestamp - self->ts);', // 11
  '\tx = copyinstr(arg1);', // 12
  '\tprintf("%s %d %d %d\\n", x, $1, GREEN, this->n);', // 13
  '\tstop();', // 14
  '}', // 15
  'BEGIN', // 16
  '{', // 17
  '\td = (demo_t *)alloca(sizeof (demo_t));', // 18
  '\ty = d->d_y + $target;', // 19
  '}', // 20
  'typedef struct info { int i_a; } info_t;', // 21
  'translator info_t < demo_t *P > { i_a = P->d_x; };', // 22
  'END { v = xlate <info_t *>(d)->i_a; }', // 23
  'nosuch:::entry {}', // 24
  'demo:kmod:demo_read:entry { w = args[1 - 1]; }', // 25
  '',
].join('\n');

const code = (text: string): string => '```dtrace\n' + text + '\n```';
const LINES = SCRIPT.split('\n');
/** The column of the `nth` occurrence of `needle` on a line of the script. */
const col = (line: number, needle: string, nth = 1): number => {
  let at = -1;
  for (let i = 0; i < nth; i++) at = LINES[line]!.indexOf(needle, at + 1);
  assert.ok(at >= 0, `${needle} on line ${line}`);
  return at;
};
/** The range of `needle` on a line. */
const word = (line: number, needle: string, nth = 1) => span(line, col(line, needle, nth), col(line, needle, nth) + needle.length);

let client: LspClient;
let uri: string;

async function hover(line: number, character: number): Promise<{ text: string; range: unknown } | null> {
  const h = await client.request<{ contents: { kind: string; value: string }; range: unknown } | null>('textDocument/hover', {
    textDocument: { uri },
    position: pos(line, character),
  });
  if (!h) return null;
  assert.equal(h.contents.kind, 'markdown');
  // Probe ids depend on the providers loaded before the test's own.
  return { text: h.contents.value.replace(/\(id \d+\)/g, '(id N)'), range: h.range };
}

describe('hover over the language server protocol', () => {
  before(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lsp-hover-'));
    const file = join(dir, 'demo.json');
    writeFileSync(file, JSON.stringify(PROVIDERS));
    client = await startLanguageServer({ settings: { flavour: 'freebsd', providerFiles: [file], macroArguments: ['42'] } });
    uri = await client.openNew(SCRIPT);
    const diagnostics = await client.diagnostics(uri);
    assert.deepEqual(
      diagnostics.filter((d) => d.severity === 1),
      [],
      'the script compiles',
    );
  });
  after(() => client.stop());

  it('shows a built-in variable with its type and documentation', async () => {
    assert.deepEqual(await hover(6, 3), {
      text: `${code('string execname')}\n\nBuilt-in variable (read-only).\n\n${VARIABLE_DOCS.execname}`,
      range: span(6, 1, 9),
    });
  });

  it('shows a subroutine with named parameters, that it is not destructive, and its documentation', async () => {
    assert.deepEqual(await hover(12, 7), {
      text: `${code('string copyinstr(uintptr_t addr, [size_t maxlen])')}\n\nSubroutine, not destructive.\n\n${FUNCTION_DOCS.copyinstr!.doc}`,
      range: span(12, 5, 14),
    });
  });

  it('shows a destructive action as destructive', async () => {
    assert.deepEqual(await hover(14, 2), {
      text: `${code('void stop()')}\n\nAction, **destructive**: needs \`-w\` or \`#pragma D option destructive\`.\n\n${FUNCTION_DOCS.stop!.doc}`,
      range: span(14, 1, 5),
    });
  });

  it('shows an aggregating function', async () => {
    assert.deepEqual(await hover(11, 10), {
      text: `${code('quantize(int64_t value, [int64_t increment])')}\n\nAggregating function (use as \`@name[keys] = quantize(...)\`), not destructive.\n\n${FUNCTION_DOCS.quantize!.doc}`,
      range: span(11, 8, 16),
    });
  });

  it('shows an option of #pragma D option: value kind, class and default', async () => {
    assert.deepEqual(await hover(0, 20), {
      text:
        code('#pragma D option bufpolicy=…') +
        `\n\n${optionSpec('bufpolicy')!.description}` +
        '\n\n- run-time option (fixed once tracing starts)\n- value: one of the words listed: `ring`, `fill`, `switch`\n- default: switch',
      range: span(0, 17, 26),
    });
    assert.deepEqual(await hover(1, 20), {
      text:
        code('#pragma D option destructive') +
        `\n\n${optionSpec('destructive')!.description} Same as \`-w\`.` +
        '\n\n- run-time option (fixed once tracing starts)\n- value: a switch: set it with no value (or `yes`/`no`, `on`/`off`, `true`/`false`, `enable`/`disable`, `set`/`unset`)\n- default: unset',
      range: span(1, 17, 28),
    });
    assert.equal(await hover(0, 3), null, 'nothing on the pragma keyword');
  });

  it('shows which probes a description matches, and their argument types', async () => {
    const expected = {
      text: '**demo:kmod:demo_read:entry** matches 1 probe:\n- `demo:kmod:demo_read:entry` (id N)\n\nArguments:\n' + code('args[0]: int\nargs[1]: char *'),
      range: span(5, 0, 25),
    };
    assert.deepEqual(await hover(5, 2), expected, 'on the provider');
    assert.deepEqual(await hover(5, 13), expected, 'on the function');
  });

  it('says when a description matches nothing because its provider is unknown', async () => {
    assert.deepEqual(await hover(24, 2), { text: '**nosuch:::entry** matches no probe of the catalogue (provider `nosuch` is unknown here).', range: span(24, 0, 14) });
  });

  it('shows the type of the args[N] of the clause, or all of them', async () => {
    assert.deepEqual(await hover(9, 12), {
      text: `${code('int args[0]')}\n\nArgument 0 of demo:kmod:demo_read:entry.\n\n${VARIABLE_DOCS.args}`,
      range: span(9, 11, 15),
    });
    assert.deepEqual(await hover(25, col(25, 'args') + 1), {
      text: `${code('args[0]: int\nargs[1]: char *')}\n\nBuilt-in array: the arguments of demo:kmod:demo_read:entry.\n\n${VARIABLE_DOCS.args}`,
      range: word(25, 'args'),
    });
  });

  it('shows variables with their scope, type and first assignment', async () => {
    assert.deepEqual(await hover(11, col(11, 'ts') + 1), {
      text: `${code('uint64_t self->ts')}\n\nThread-local variable: each thread has its own value; first assigned on line 9.`,
      range: word(11, 'ts'),
    });
    assert.deepEqual(await hover(11, col(11, 'self->ts') + 2), {
      text: `${code('uint64_t self->ts')}\n\nThread-local variable: each thread has its own value; first assigned on line 9.`,
      range: word(11, 'ts'),
    }, 'on self');
    assert.deepEqual(await hover(13, col(13, 'n);')), {
      text: `${code('int this->n')}\n\nClause-local variable: its value lasts for one probe firing; first assigned on line 10.`,
      range: span(13, col(13, 'n);'), col(13, 'n);') + 1),
    });
    assert.deepEqual(await hover(13, col(13, 'x,')), {
      text: `${code('string x')}\n\nGlobal variable; first assigned on line 13.`,
      range: word(13, 'x'),
    });
  });

  it('shows aggregations with their function and keys', async () => {
    assert.deepEqual(await hover(10, 3), {
      text: `${code('@counts[string, pid_t] = count()')}\n\nAggregation of \`count()\`, keyed by \`string\`, \`pid_t\`; first assigned on line 11.`,
      range: word(10, '@counts'),
    });
    assert.deepEqual(await hover(11, 2), {
      text: `${code('@lat = quantize(value)')}\n\nAggregation of \`quantize()\`; first assigned on line 12.`,
      range: word(11, '@lat'),
    });
  });

  it('shows inlines, typedefs, enumerators and members', async () => {
    assert.deepEqual(await hover(6, col(6, 'LIMIT') + 2), {
      text: `${code('inline int LIMIT = 10;')}\n\nInline (a named expression, substituted where used); defined on line 3.`,
      range: word(6, 'LIMIT'),
    });
    assert.deepEqual(await hover(18, col(18, 'demo_t') + 2), {
      text: `${code('typedef struct demo demo_t;')}\n\n${code('struct demo {\n\tint d_x;\n\tlong d_y;\n}')}`,
      range: word(18, 'demo_t'),
    });
    assert.deepEqual(await hover(13, col(13, 'GREEN') + 1), {
      text: `${code('enum color GREEN = 5')}\n\nEnumerator.`,
      range: word(13, 'GREEN'),
    });
    assert.deepEqual(await hover(19, col(19, 'd_y') + 1), {
      text: `${code('long d_y')}\n\nMember of \`struct demo\`.`,
      range: word(19, 'd_y'),
    });
  });

  it('shows the translator an xlate applies', async () => {
    assert.deepEqual(await hover(23, col(23, 'info_t') + 2), {
      text: `${code('translator info_t < demo_t *P >')}\n\nTranslator to \`info_t\`.`,
      range: word(23, 'info_t'),
    });
  });

  it('shows macro variables with their value when the settings give it', async () => {
    assert.deepEqual(await hover(13, col(13, '$1') + 1), {
      text: `${code('$1')}\n\nMacro argument 1: the 1st operand after the script on the command line.\n\nValue: \`42\``,
      range: word(13, '$1'),
    });
    assert.deepEqual(await hover(19, col(19, '$target') + 3), {
      text: `${code('$target')}\n\nMacro variable: The process ID of the command started with \`-c\`, or of the process given with \`-p\`. Its value is known only when dtrace runs.`,
      range: word(19, '$target'),
    });
  });

  it('has nothing to say about punctuation or literals', async () => {
    assert.equal(await hover(7, 0), null);
    assert.equal(await hover(6, col(6, '"ls"') + 1), null);
  });
});

describe('built-in documentation', () => {
  it('documents every built-in variable and function, with a signature naming as many parameters as the prototype has', () => {
    for (const v of BUILTIN_VARIABLES) assert.ok(VARIABLE_DOCS[v.name], `no doc for ${v.name}`);
    for (const f of BUILTIN_FUNCTIONS) {
      const doc = FUNCTION_DOCS[f.name];
      assert.ok(doc, `no doc for ${f.name}()`);
      assert.match(doc.signature, new RegExp(`(^|[ *])${f.name}\\(`), `${f.name}: signature names the function`);
      const fixed = f.prototype.slice(f.prototype.indexOf('(') + 1, -1).split(',').filter((p) => p.trim() !== '' && p.trim() !== '...' && p.trim() !== '@').length;
      const named = doc.signature.slice(doc.signature.indexOf('(') + 1, -1).split(',').filter((p) => p.trim() !== '' && p.trim() !== '...').length;
      if (!f.prototype.includes('...') && !f.prototype.includes('@')) assert.equal(named, fixed, `${f.name}: ${doc.signature} vs ${f.prototype}`);
    }
  });
});
