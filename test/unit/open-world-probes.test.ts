// The open world: fbt, pid and USDT probes are accepted however many we cannot list (typed
// when we know the function, untyped otherwise), closed catalogues still reject what cannot
// exist (with a "did you mean" for the editor, DTrace's exact text on the command line), and
// kernel types we have no information about are opaque instead of errors.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { compileProgram, type FrontEndRequest } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { typeName } from '../../server/src/analyze/types/ctype';
import type * as A from '../../server/src/parse/ast';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

let parser: Parser;
before(async () => {
  parser = await createDParser();
});

function compile(text: string, extra: Partial<FrontEndRequest> = {}) {
  return compileProgram(parser, { text, programName: 't.d', options: new OptionSet(), flavour: 'freebsd', ...extra });
}

const errors = (text: string, extra: Partial<FrontEndRequest> = {}) =>
  (compile(text, extra).analysis?.diagnostics ?? []).filter((d) => d.severity === 'error' && d.file === undefined).map((d) => ({ code: d.code, message: d.message, detail: d.detail }));

/** dtvm -e on a one-clause program: '' when it compiles, else the message after the specifier. */
async function compiles(program: string, flavour = 'freebsd'): Promise<string> {
  const r = await dtvm(['--flavour', flavour, '-e', '-x', 'errtags', '-n', program]);
  return r.status === 0 ? '' : r.stderr.replace(`dtrace: invalid probe specifier ${program}: `, '').trimEnd();
}

/** The first member expression (`a->b`, `a.b`) of a program, searched depth first. */
function firstMember(node: unknown): A.Expr | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if ((node as { k?: string }).k === 'member') return node as A.Expr;
  for (const v of Object.values(node)) {
    const found = Array.isArray(v) ? v.map(firstMember).find((x) => x) : firstMember(v);
    if (found) return found;
  }
  return undefined;
}

describe('fbt', () => {
  it('accepts any kernel function, its arguments untyped when we have no prototype', async () => {
    assert.equal(await compiles('fbt::mydrv_intr:entry { trace(args[0]->sc_flags); trace(args[7]); }'), '');
    assert.equal(await compiles('fbt:mydrv:mydrv_intr:return { trace(args[1]); }'), '');
    assert.equal(await compiles('fbt::mydrv_*:entry { trace(arg0); }'), '');
  });
  it('creates and lists the probe a description names, in the kernel module unless one is given', async () => {
    const r = await dtvm(['--flavour', 'freebsd', '-l', '-n', 'fbt::mydrv_intr:']);
    assert.deepEqual(
      r.stdout.split('\n').slice(1, 3).map((l) => l.trim().split(/\s+/).slice(1)),
      [
        ['fbt', 'kernel', 'mydrv_intr', 'entry'],
        ['fbt', 'kernel', 'mydrv_intr', 'return'],
      ],
    );
    const il = await dtvm(['--flavour', 'illumos', '-l', '-n', 'fbt::mydrv_intr:entry']);
    assert.match(il.stdout, /fbt +genunix +mydrv_intr entry\n$/);
  });
  it('dtrace -lv shows no argument types for an unknown function', async () => {
    const r = await dtvm(['--flavour', 'freebsd', '-lv', '-n', 'fbt::mydrv_intr:entry']);
    assert.match(r.stdout, /\tArgument Types\n\t\tNone\n\n$/);
  });
  it('types the arguments of a kernel function we know: entry its parameters, return the offset and the value', async () => {
    const r = await dtvm(['--flavour', 'freebsd', '-lv', '-n', 'fbt::vm_fault:entry']);
    assert.match(r.stdout, /\tArgument Types\n\t\targs\[0\]: vm_map_t\n\t\targs\[1\]: vm_offset_t\n\t\targs\[2\]: vm_prot_t\n\t\targs\[3\]: int\n\t\targs\[4\]: vm_page_t \*\n\n$/);
    const ret = await dtvm(['--flavour', 'freebsd', '-lv', '-n', 'fbt::vm_fault:return']);
    assert.match(ret.stdout, /\tArgument Types\n\t\targs\[0\]: int\n\t\targs\[1\]: int\n\n$/);
    assert.equal(await compiles('fbt::vm_fault:entry { trace(args[3]); }'), '');
    assert.equal(await compiles('fbt::vm_fault:entry { trace(args[5]); }'), '[D_ARGS_IDX] in action list: index 5 is out of range for fbt::vm_fault:entry args[ ]');
  });
  it('fbt probes are only entry and return', async () => {
    assert.equal(await compiles('fbt::mydrv_intr:entyr { }'), '[D_PDESC_ZERO] probe description fbt::mydrv_intr:entyr does not match any probes');
    assert.deepEqual(errors('fbt::mydrv_intr:entyr { }'), [
      { code: 'D_PDESC_ZERO', message: 'probe description fbt::mydrv_intr:entyr does not match any probes', detail: 'did you mean fbt::mydrv_intr:entry?' },
    ]);
  });
});

describe('other open kernel providers', () => {
  it('FreeBSD kinst takes any function and instruction offset', async () => {
    assert.equal(await compiles('kinst::vm_fault:4 { trace(arg0); }', 'freebsd'), '');
  });
  it('illumos sdt takes any probe name; FreeBSD has no sdt provider', async () => {
    assert.equal(await compiles('sdt:::callout-start { trace(arg0); }', 'illumos'), '');
    assert.equal(await compiles('sdt:::callout-start { }', 'freebsd'), '[D_PDESC_ZERO] probe description sdt:::callout-start does not match any probes');
  });
});

describe('pid and USDT providers', () => {
  it('accepts pid probes: entry, return and instruction offsets, in any module', async () => {
    assert.equal(await compiles('pid$target::malloc:entry { trace(args[0]); }'), '');
    assert.equal(await compiles('pid123:libc.so.7:malloc:return { trace(arg1); }'), '');
    assert.equal(await compiles('pid123:a.out:main:1c { trace(uregs[R_PC]); }'), '');
    assert.equal(await compiles('pid$target:::entry { @[probefunc] = count(); }'), '');
  });
  it('rejects a pid probe name that is no entry, return or offset', async () => {
    assert.equal(await compiles('pid123::malloc:start { }'), '[D_PDESC_ZERO] probe description pid123::malloc:start does not match any probes');
  });
  it('accepts USDT providers written name$target, name<pid> and name*', async () => {
    assert.equal(await compiles('python$target:::function-entry { trace(copyinstr(arg0)); }'), '');
    assert.equal(await compiles('myapp4242:myapp:handle:request-start { trace(args[2]); }'), '');
    assert.equal(await compiles('ruby*:::method-entry { trace(arg1); }'), '');
  });
  it('a glob that names closed providers stays closed', async () => {
    assert.equal(await compiles('sys*:::nosuch { }'), '[D_PDESC_ZERO] probe description sys*:::nosuch does not match any probes');
  });
  it('a name ending in digits that some flavour uses as a provider is no process provider', async () => {
    // nfsv3 is illumos's provider: on FreeBSD it is absent, not USDT provider "nfsv" of process 3.
    assert.equal(await compiles('nfsv3:::op-read-start { }', 'freebsd'), '[D_PDESC_ZERO] probe description nfsv3:::op-read-start does not match any probes');
    assert.equal(await compiles('nosuch:::probe { }'), '[D_PDESC_ZERO] probe description nosuch:::probe does not match any probes');
  });
});

describe('closed catalogues', () => {
  it('a misspelt system call: DTrace text on the command line, did you mean in the editor', async () => {
    assert.equal(await compiles('syscall::opne:entry { }'), '[D_PDESC_ZERO] probe description syscall::opne:entry does not match any probes');
    assert.deepEqual(errors('syscall::opne:entry { }'), [
      { code: 'D_PDESC_ZERO', message: 'probe description syscall::opne:entry does not match any probes', detail: 'did you mean syscall::open:entry?' },
    ]);
  });
  it('a misspelt provider is corrected too', () => {
    assert.equal(errors('syscal::read:entry { }')[0]?.detail, 'did you mean syscall::read:entry?');
  });
  it('an unknown sched probe', () => {
    assert.deepEqual(errors('sched:::on_cpu { }'), [
      { code: 'D_PDESC_ZERO', message: 'probe description sched:::on_cpu does not match any probes', detail: 'did you mean sched:::on-cpu?' },
    ]);
  });
  it("another flavour's provider is an error that names the flavours that have it, even in the editor", () => {
    const text = 'mac_framework:::vnode-check-open { }';
    const expected = {
      code: 'D_PDESC_ZERO',
      message: 'probe description mac_framework:::vnode-check-open does not match any probes',
      detail:
        'provider mac_framework exists on FreeBSD, not on illumos (the flavour this script is compiled for): choose the flavour with the dtrace.flavour setting, dtvm --flavour, or #pragma D depends_on provider mac_framework',
    };
    assert.deepEqual(errors(text, { flavour: 'illumos' }), [expected]);
    assert.deepEqual(errors(text, { flavour: 'illumos', lenientProviders: true }), [expected]);
  });
  it('a provider no flavour knows stays a warning in the editor, with a did you mean when one is near', () => {
    const script = (text: string) => compile(text, { lenientProviders: true }).analysis!.diagnostics.filter((d) => d.file === undefined).map((d) => [d.severity, d.code, d.detail]);
    assert.deepEqual(script('nosuch:::probe { }'), [['warning', 'D_PDESC_ZERO', undefined]]);
    assert.deepEqual(script('syscal::read:entry { }'), [['warning', 'D_PDESC_ZERO', 'did you mean syscall::read:entry?']]);
  });
  it('open providers are no warning in the editor either', () => {
    const r = compile('ruby*:::method-entry { } pid$target::malloc:entry { } fbt::mydrv_intr:entry { }', { lenientProviders: true });
    assert.deepEqual(r.analysis!.diagnostics.filter((d) => d.file === undefined), []);
  });
});

describe('kernel types', () => {
  it('curthread chains compile per flavour', async () => {
    assert.equal(await compiles('BEGIN { trace(curthread->td_proc->p_pid); }', 'freebsd'), '');
    assert.equal(await compiles('BEGIN { trace(curthread->t_procp->p_pidp->pid_id); }', 'illumos'), '');
  });
  it('member access on a kernel structure the library does not define is accepted and typed unknown', async () => {
    assert.equal(await compiles('fbt::kqueue_register:entry { trace(((struct knote *)arg0)->kn_status); }'), '');
    const r = compile('BEGIN { trace(((struct knote *)arg0)->kn_status); }');
    const m = firstMember(r.program)!;
    assert.equal(typeName(r.analysis!.compilation.typed.get(m)!.type), 'unknown (no kernel type information)');
  });
  it('a kernel typedef the library does not define is opaque, in casts and through pointers', async () => {
    assert.equal(await compiles('BEGIN { trace(((vm_page_t)arg0)->flags); }', 'freebsd'), '');
    assert.equal(await compiles('BEGIN { trace(((vnode_t *)arg0)->v_path); }', 'illumos'), '');
  });
  it('backquoted kernel symbols are untyped values', async () => {
    assert.equal(await compiles('BEGIN { trace(`ticks + `hz); }'), '');
  });
  it('user-declared incomplete types keep their errors', async () => {
    const file = scriptFile('struct fx_opaque *fx_handle;\n\nBEGIN\n{\n\ttrace(fx_handle->a);\n}\n');
    assert.equal(
      (await dtvm(['-e', '-x', 'errtags', '-s', file])).stderr,
      `dtrace: failed to compile script ${file}: [D_OP_INCOMPLETE] line 5: operator -> cannot be applied to a forward declaration: no struct fx_opaque definition is available\n`,
    );
    assert.equal(
      await compiles('BEGIN { trace(((struct fx_later *)arg0)->len); }'),
      '[D_OP_INCOMPLETE] in action list: operator -> cannot be applied to a forward declaration: no struct fx_later definition is available',
    );
  });
  it('an unknown type name that is no kernel type is still an error', async () => {
    assert.equal(await compiles('BEGIN { trace((nosuch_t)arg0); }'), '[D_TYPE_ERR] in action list: failed to resolve type nosuch_t: Unknown type name');
  });
});
