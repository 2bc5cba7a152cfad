// Which system a script is compiled for: the setting (or dtvm --flavour), then a
// `#pragma D depends_on` only one flavour satisfies, then a guess from what the script uses,
// then the default (FreeBSD); and what the choice changes (catalogue, curthread's type).
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createDParser, type Parser } from '../../server/src/parse/dParser';
import { compileProgram } from '../../server/src/analyze/frontEnd';
import { OptionSet } from '../../server/src/analyze/options/optionSet';
import { chooseFlavour, scriptFindings } from '../../server/src/analyze/flavour/choose';
import type { FlavourKnowledge } from '../../server/src/analyze/flavour/knowledge';
import { DEFAULT_FLAVOUR, type Flavour } from '../../server/src/analyze/flavour/flavours';
import { dtvm } from '../support/runDtvm';
import { scriptFile } from '../support/scripts';

let parser: Parser;
before(async () => {
  parser = await createDParser();
});

function choice(text: string, flavour?: 'auto' | Flavour) {
  const r = compileProgram(parser, { text, programName: 't.d', options: new OptionSet(), ...(flavour ? { flavour } : {}) });
  return { name: r.flavour.name, reason: r.flavour.reason, evidence: r.flavour.evidence };
}

/** A flavour's knowledge made up for a test: its providers, modules and probes. */
function known(flavour: Flavour, providers: Record<string, [string, string][]>, modules: string[] = [], kernelFunctions: string[] = [], libraryWords: string[] = []): FlavourKnowledge {
  const functions = new Map<string, Set<string>>();
  const names = new Map<string, Set<string>>();
  for (const [p, probes] of Object.entries(providers)) {
    functions.set(p, new Set(probes.map(([f]) => f)));
    names.set(p, new Set(probes.map(([, n]) => n)));
  }
  return { flavour, providers: new Set(Object.keys(providers)), modules: new Set(modules), functions, names, kernelFunctions: new Set(kernelFunctions), libraryWords: new Set(libraryWords) };
}

const WORLD: FlavourKnowledge[] = [
  known('freebsd', { syscall: [['read', 'entry'], ['kqueue', 'entry']], audit: [['', 'aue_open']] }, ['kernel'], ['vm_fault']),
  known('illumos', { syscall: [['read', 'entry'], ['lwp_create', 'entry']], mib: [['', 'tcpActiveOpens']] }, ['genunix'], ['fop_read']),
  known('macos', { syscall: [['read', 'entry'], ['kqueue', 'entry'], ['read_nocancel', 'entry']], mach_trap: [['', 'entry']] }, ['mach_kernel']),
  known('linux', { syscall: [['read', 'entry'], ['epoll_wait', 'entry']] }),
];

const ask = (text: string, descriptions: [string, string, string, string][] = [], requested?: 'auto' | Flavour) =>
  chooseFlavour({ text, descriptions: descriptions.map(([provider, module, fn, name]) => ({ provider, module, function: fn, name })), ...(requested ? { requested } : {}) }, WORLD);

describe('flavour rules, in order', () => {
  it('an explicit setting wins over everything', () => {
    assert.deepEqual(ask('#pragma D depends_on provider audit\n', [['mib', '', '', 'x']], 'illumos'), { name: 'illumos', reason: 'setting' });
  });
  it("'auto' decides from the script", () => {
    assert.equal(ask('', [], 'auto').reason, 'default');
  });
  it('a depends_on provider only one flavour has decides', () => {
    assert.deepEqual(ask('#pragma D depends_on provider mib\nBEGIN {}\n'), { name: 'illumos', reason: 'pragma', evidence: '#pragma D depends_on provider mib' });
  });
  it('a depends_on module only one flavour has decides', () => {
    assert.deepEqual(ask('  #  pragma D depends_on module mach_kernel\n'), { name: 'macos', reason: 'pragma', evidence: '#pragma D depends_on module mach_kernel' });
  });
  it('open providers count for depends_on (fbt is everywhere, sdt is not on FreeBSD)', () => {
    assert.equal(ask('#pragma D depends_on provider fbt\n').reason, 'default');
    assert.deepEqual(ask('#pragma D depends_on provider kinst\n'), { name: 'freebsd', reason: 'pragma', evidence: '#pragma D depends_on provider kinst' });
  });
  it('a pragma several flavours satisfy narrows the guess to them', () => {
    // kqueue: FreeBSD and macOS; read_nocancel then picks macOS.
    assert.deepEqual(ask('#pragma D depends_on provider sdt\n', [['syscall', '', 'read_nocancel', 'entry']]), { name: 'macos', reason: 'guess', evidence: 'syscall::read_nocancel:entry' });
  });
  it('a pragma no flavour satisfies says nothing', () => {
    assert.equal(ask('#pragma D depends_on provider nosuch\n').reason, 'default');
  });
  it('guesses from a provider only one flavour has', () => {
    assert.deepEqual(ask('', [['audit', '', '', 'aue_open']]), { name: 'freebsd', reason: 'guess', evidence: 'audit:::aue_open' });
    assert.deepEqual(ask('', [['mach_trap', '', '', 'entry']]), { name: 'macos', reason: 'guess', evidence: 'mach_trap:::entry' });
  });
  it('guesses from a probe only one flavour has (a Linux system call)', () => {
    assert.deepEqual(ask('', [['syscall', '', 'epoll_wait', 'entry']]), { name: 'linux', reason: 'guess', evidence: 'syscall::epoll_wait:entry' });
  });
  it('guesses from a typed kernel function of fbt', () => {
    assert.deepEqual(ask('', [['fbt', '', 'vm_fault', 'entry']]), { name: 'freebsd', reason: 'guess', evidence: 'fbt::vm_fault:entry' });
  });
  it('guesses from kernel member names and words', () => {
    assert.deepEqual(ask('BEGIN { trace(curthread->td_proc->p_pid); }'), { name: 'freebsd', reason: 'guess', evidence: '->td_proc' });
    assert.deepEqual(ask('BEGIN { trace(curthread->t_procp->p_pidp->pid_id); }'), { name: 'illumos', reason: 'guess', evidence: '->t_procp' });
    assert.deepEqual(ask('objc$target:NSObject:-init:entry { }'), { name: 'macos', reason: 'guess', evidence: 'objc$target:' });
    assert.deepEqual(ask('BEGIN { trace(curthread->real_parent->tgid); }'), { name: 'linux', reason: 'guess', evidence: '->real_parent' });
  });
  it('a probe the default flavour lacks moves the guess to the flavours that have it', () => {
    // kqueue: FreeBSD and macOS; with lwp_create only illumos has it.
    assert.deepEqual(ask('', [['syscall', '', 'lwp_create', 'entry']]), { name: 'illumos', reason: 'guess', evidence: 'syscall::lwp_create:entry' });
  });
  it('guesses from members and constants only one flavour library defines', () => {
    const world = [known('freebsd', {}, [], [], ['TCPS_CLOSED', 'td_proc']), known('illumos', {}, [], [], ['TCP_STATE_CLOSED', 'pr_clname'])];
    const q = (text: string) => chooseFlavour({ text, descriptions: [] }, world);
    assert.deepEqual(q('BEGIN { x = TCP_STATE_CLOSED; }'), { name: 'illumos', reason: 'guess', evidence: 'TCP_STATE_CLOSED' });
    assert.deepEqual(q('BEGIN { trace(curlwpsinfo->pr_clname); }'), { name: 'illumos', reason: 'guess', evidence: 'pr_clname' });
    assert.deepEqual(q('BEGIN { trace("TCP_STATE_CLOSED"); }'), { name: 'freebsd', reason: 'default' });
  });
  it('follows a script edited piece by piece (the editor asks after every edit)', () => {
    // Pieces end at a `}` line followed by a blank line; an edit that leaves a piece's findings
    // as they were keeps that piece, one that changes them is searched again.
    const pieces = (middle: string) => `BEGIN { x = 1; }\n\nsyscall::read:entry { y = ${middle}; }\n\nEND { z = 3; }\n`;
    assert.deepEqual(ask(pieces('2')), { name: DEFAULT_FLAVOUR, reason: 'default' });
    assert.deepEqual(ask(pieces('7')), { name: DEFAULT_FLAVOUR, reason: 'default' });
    assert.deepEqual(ask(pieces('curthread->t_procp')), { name: 'illumos', reason: 'guess', evidence: '->t_procp' });
    assert.deepEqual(ask(pieces('curthread->t_procp + 1')), { name: 'illumos', reason: 'guess', evidence: '->t_procp' });
    assert.deepEqual(ask(pieces('curthread->real_parent')), { name: 'linux', reason: 'guess', evidence: '->real_parent' });
    assert.deepEqual(ask(pieces('8')), { name: DEFAULT_FLAVOUR, reason: 'default' });
  });
  it('after random edits, the pieces kept from the last call find what a fresh search finds', () => {
    // Edits at the start, the middle and the end that make and break piece boundaries, open
    // comments and strings, type hints and words in and out, and undo; each answer against a
    // memo of its own.
    const bits = ['}\n\n', '}\n', '\n\n', '\n', 'a->t_procp', 'b.td_proc', '->real_parent', ' vm_fault ', 'mach_trap', 'FOO_BAR', '/*', '*/', '/', '*', '"', '\\', 'x = 1;', 'BEGIN {', ' ', '7', '}'];
    let seed = 7;
    const random = (n: number): number => (seed = (seed * 48271) % 2147483647) % n;
    let text = Array.from({ length: 40 }, (_, i) => `tick-${i}s { y = ${i}; }\n\n`).join('');
    const history: string[] = [];
    for (let step = 0; step < 3000; step++) {
      const where = [0, text.length, random(text.length + 1)][random(3)]!;
      if (history.length > 0 && random(5) === 0) text = history.pop()!;
      else {
        history.push(text);
        const cut = random(3) === 0 ? random(20) : 0;
        text = text.slice(0, where) + (cut > 0 ? '' : bits[random(bits.length)]) + text.slice(Math.min(text.length, where + cut));
      }
      assert.deepEqual(scriptFindings(text, WORLD), scriptFindings(text, [...WORLD]), `step ${step}`);
      assert.deepEqual(chooseFlavour({ text, descriptions: [] }, WORLD), chooseFlavour({ text, descriptions: [] }, [...WORLD]), `step ${step}`);
    }
  });
  it('a member name in a comment or as a plain variable does not count', () => {
    assert.equal(ask('/* curthread->td_proc */ BEGIN { td_proc = 1; printf("->td_proc mac_framework"); }').reason, 'default');
  });
  it('a tie is no guess: the default', () => {
    assert.deepEqual(ask('BEGIN { a = curthread->td_proc; b = curthread->t_procp; }'), { name: DEFAULT_FLAVOUR, reason: 'default' });
  });
  it('the default is FreeBSD', () => {
    assert.deepEqual(ask('BEGIN { trace(1); }', [['syscall', '', 'read', 'entry']]), { name: 'freebsd', reason: 'default' });
  });
});

describe('the front end reports its choice', () => {
  it('setting, guess and default through compileProgram', () => {
    assert.deepEqual(choice('BEGIN { exit(0); }', 'macos'), { name: 'macos', reason: 'setting', evidence: undefined });
    assert.deepEqual(choice('BEGIN { exit(0); }'), { name: 'freebsd', reason: 'default', evidence: undefined });
    assert.deepEqual(choice('BEGIN { trace(curthread->t_procp); }'), { name: 'illumos', reason: 'guess', evidence: '->t_procp' });
  });
  it('the guess sees descriptions after macro expansion', () => {
    assert.equal(choice('syscall::epoll_wait:entry { }').name, 'linux');
  });
});

describe('what the flavour changes', () => {
  it('curthread is struct thread * on FreeBSD, kthread_t * on illumos', async () => {
    const file = scriptFile('BEGIN { x = curthread; x = 1; }\n');
    const fb = await dtvm(['--flavour', 'freebsd', '-e', '-s', file]);
    assert.equal(fb.stderr, `dtrace: failed to compile script ${file}: line 1: operands have incompatible types: "struct thread *" = "int"\n`);
    const il = await dtvm(['--flavour', 'illumos', '-e', '-s', file]);
    assert.equal(il.stderr, `dtrace: failed to compile script ${file}: line 1: operands have incompatible types: "kthread_t *" = "int"\n`);
  });
  it('-l lists the chosen flavour catalogue', async () => {
    const fb = await dtvm(['--flavour', 'freebsd', '-l', '-n', 'syscall:freebsd:kqueue:entry']);
    assert.match(fb.stdout, /\n +\d+ +syscall +freebsd +kqueue entry\n$/);
    const il = await dtvm(['--flavour', 'illumos', '-l', '-n', 'syscall::kqueue:entry']);
    assert.deepEqual([il.status, il.stdout], [1, '']);
  });
  it('a closed catalogue of one flavour rejects another flavour system call, with DTrace text', async () => {
    const r = await dtvm(['--flavour', 'illumos', '-e', '-n', 'syscall::kqueue:entry { trace(1); }']);
    assert.deepEqual([r.status, r.stderr], [1, 'dtrace: invalid probe specifier syscall::kqueue:entry { trace(1); }: probe description syscall::kqueue:entry does not match any probes\n']);
  });
  it('programs given together are compiled for one flavour, chosen from all of them', async () => {
    // epoll_wait is Linux's alone: the tick program shares its catalogue.
    const r = await dtvm(['-e', '-n', 'tick-1s { exit(0); }', '-n', 'syscall::epoll_wait:entry { trace(arg0); }']);
    assert.deepEqual([r.status, r.stderr], [0, '']);
    const listed = await dtvm(['-l', '-n', 'tick-1s', '-n', 'syscall::epoll_wait:entry']);
    assert.match(listed.stdout, /\n +\d+ +syscall +linux +epoll_wait entry\n +\d+ +profile +tick-1s\n$/);
  });
  it('--flavour takes auto, and rejects an unknown name as a usage error', async () => {
    assert.equal((await dtvm(['--flavour=auto', '-e', '-n', 'BEGIN'])).status, 0);
    const r = await dtvm(['--flavour', 'solaris', '-n', 'BEGIN']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^dtvm: unknown flavour -- solaris \(expected freebsd, illumos, macos, linux or auto\)\n/);
    assert.match((await dtvm(['--flavour'])).stderr, /^dtvm: option requires an argument -- flavour\n/);
  });
});
