// Code generation over the corpora: every front-end case DTrace accepts
// (test/fixtures/frontend/**, `expect: ok`) and every realistic script that compiles with
// `-e -Z` (test/fixtures/scripts/**) becomes a program whose every DIF object passes the
// kernel's load-time verifier, with no backward branch, and whose record layout is consistent.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Parser } from 'web-tree-sitter';
import { createDParser } from '../../server/src/parse/dParser';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { applyCliFlag, applyCliOption } from '../../server/src/analyze/options/optionMessages';
import { desugarProgram } from '../../server/src/desugar/ifDesugar';
import { generateProgram } from '../../server/src/codegen/index';
import type { CompiledProgram } from '../../server/src/codegen/program';
import { verifyDifo } from '../../server/src/dif/verifier';
import { VariableState } from '../../server/src/dif/variable-state';
import { isBranch } from '../../server/src/dif/opcodes';
import { labelOf, opcodeOf } from '../../server/src/dif/encoding';
import type { Difo } from '../../server/src/dif/difo';
import { preprocess } from '../../server/src/cli/preprocess';
import { readHeader } from '../support/corpusHeader';

const FIXTURES = join(__dirname, '..', 'fixtures');

function files(dir: string): string[] {
  let out: string[] = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out = out.concat(files(p));
    else if (e.endsWith('.d')) out.push(p);
  }
  return out;
}

let parser: Parser;

/** Compiles as `dtvm -e` would, with the header's arguments; undefined when the front end rejects it. */
function compile(path: string, args: string[], operands: string[]): CompiledProgram | undefined {
  const options = new OptionSet();
  let cpp = false;
  const cppArgs: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '-x') applyCliOption(options, args[++i]!, 'dtrace');
    else if (a === '-C') cpp = true;
    else if (a === '-D' || a === '-U' || a === '-I') cppArgs.push(`${a}${args[++i]!}`);
    else if (/^-[DUI]./.test(a)) cppArgs.push(a);
    else applyCliFlag(options, a, undefined, 'dtrace');
  }
  let text = readFileSync(path, 'utf8');
  if (cpp || options.flag('cpp')) {
    const p = preprocess(text, path, cppArgs);
    if ('error' in p) return undefined;
    text = p.text;
  }
  const result = compileProgram(parser, { text, programName: path, options, operands });
  if (!result.analysis || result.firstError) return undefined;
  if (result.analysis.diagnostics.some((d) => d.severity === 'error' && d.code !== 'DTVM_DESTRUCTIVE')) return undefined;
  const desugared = desugarProgram(result.analysis.clauses.map((c) => c.clause));
  return generateProgram(result, desugared.clauses, options);
}

function objects(p: CompiledProgram): Difo[] {
  const out: Difo[] = [];
  for (const e of p.enablings) {
    if (e.predicate) out.push(e.predicate);
    for (const a of e.actions) if (a.difo) out.push(a.difo);
  }
  return out;
}

/** Every object verifies (sharing one variable state, as one consumer's objects do) and branches forward only. */
function check(name: string, p: CompiledProgram): number {
  const state = new VariableState();
  let n = 0;
  for (const d of objects(p)) {
    const copy = { ...d, instructions: Uint32Array.from(d.instructions), variables: d.variables.map((v) => ({ ...v, type: { ...v.type } })) };
    const r = verifyDifo(copy, { state, ...(p.platform ? { platform: p.platform } : {}) });
    assert.ok(r.ok, `${name}: object ${n} fails verification: ${r.error?.message} at ${r.error?.site} ${r.error?.index}`);
    d.instructions.forEach((w, pc) => {
      if (isBranch(opcodeOf(w))) assert.ok(labelOf(w) > pc, `${name}: backward branch at ${pc}`);
    });
    n++;
  }
  for (const e of p.enablings) {
    assert.ok(e.recordSize % 4 === 0, `${name}: record size ${e.recordSize} is not a multiple of 4`);
    assert.ok(e.recordSize === 0 || e.recordSize >= 12, `${name}: record size ${e.recordSize} has no room for the header`);
  }
  return n;
}

describe('code generation over the corpora', () => {
  before(async () => {
    parser = await createDParser();
  });

  it('front-end corpus: every accepted case generates verifiable DIF', () => {
    const cases = files(join(FIXTURES, 'frontend'));
    let programs = 0;
    let accepted = 0;
    let difos = 0;
    const failures: string[] = [];
    for (const file of cases) {
      const h = readHeader(readFileSync(file, 'utf8'));
      if (h.expect !== 'ok') continue;
      accepted++;
      const name = relative(FIXTURES, file);
      try {
        const p = compile(file, h.args, h.operands);
        assert.ok(p, `${name} should compile`);
        difos += check(name, p);
        programs++;
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.equal(programs, accepted);
    assert.ok(accepted > 200, `only ${accepted} accepted cases`);
    process.stdout.write(`# front-end corpus: ${programs} programs, ${difos} DIF objects verified\n`);
  });

  it('script corpus: every script that compiles with -e -Z generates verifiable DIF', () => {
    const scripts = files(join(FIXTURES, 'scripts'));
    let programs = 0;
    let difos = 0;
    const failures: string[] = [];
    for (const file of scripts) {
      const name = relative(FIXTURES, file);
      const cpp = /CPP_ONLY|^\s*#\s*(include|define|if)/m.test(readFileSync(file, 'utf8'));
      let p: CompiledProgram | undefined;
      try {
        p = compile(file, ['-Z', '-w', ...(cpp ? ['-C'] : [])], []);
        if (!p) continue;
        difos += check(name, p);
        programs++;
      } catch (e) {
        failures.push(`${name}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(programs > 200, `only ${programs} scripts compiled`);
    process.stdout.write(`# script corpus: ${programs} of ${scripts.length} scripts, ${difos} DIF objects verified\n`);
  });
});
