// The D library (server/lib/dtrace) as the front end will load it: every file parses, defines
// exactly the names listed here, and only refers to what it defines or names with
// `#pragma D depends_on library`. Nothing else compiles these files yet, so this test is what
// keeps a deleted definition, a misspelt member or a missing dependency from going unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDParser, type Node, type Tree } from '../../server/src/parse/dParser';
import { findSyntaxErrors } from '../../server/src/parse/syntaxErrors';
import { builtinVariableByName } from '../../server/src/dif/variables';
import { subroutineCode } from '../../server/src/dif/subroutines';

const libraryDir = join(__dirname, '..', '..', 'server', 'lib', 'dtrace');

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w.length > 0);

interface Expected {
  inlines?: string;
  typedefs?: string;
  /** Tags declared with a body: `struct proc`, `enum td_states`. */
  tags?: string;
  enumerators?: string;
  /** `output < input >` with the input's type as written. */
  translators?: string[];
}

// The catalogue: what each file must define, no more and no less.
const EXPECTED: Record<string, Expected> = {
  'types.d': {
    typedefs:
      'uid_t gid_t lwpid_t taskid_t projid_t poolid_t zoneid_t processorid_t psetid_t dev_t ino_t off_t ' +
      'offset_t daddr_t caddr_t time_t hrtime_t timespec_t timestruc_t',
    tags: 'struct timespec',
  },
  'kernel.d': {
    inlines: 'SV_ILP32 SV_LP64 P_SYSTEM TDI_SUSPENDED TDI_SLEEPING TDI_SWAPPED TDI_LOCK TDI_IWAIT',
    typedefs: 'proc_t kthread_t',
    tags:
      'struct prison struct ucred struct session struct pgrp struct pargs struct sysentvec struct statfs ' +
      'struct mount struct vnode struct file struct filedesc enum p_states struct proc enum td_states ' +
      'struct syscall_args struct thread struct bio struct devstat',
    enumerators: 'PRS_NEW PRS_NORMAL PRS_ZOMBIE TDS_INACTIVE TDS_INHIBITED TDS_CAN_RUN TDS_RUNQ TDS_RUNNING',
  },
  'procfs.d': {
    inlines:
      'SSLEEP SRUN SZOMB SSTOP SIDL SONPROC SWAIT ' +
      'PR_STOPPED PR_ISTOP PR_DSTOP PR_STEP PR_ASLEEP PR_PCINVAL PR_ASLWP PR_AGENT PR_DETACH PR_DAEMON ' +
      'PR_IDLE PR_ISSYS PR_VFORKP PR_ORPHAN PR_NOSIGCHLD PR_WAITPID PR_FORK PR_RLC PR_KLC PR_ASYNC ' +
      'PR_MSACCT PR_BPTADJ PR_PTRACE PR_MSFORK PR_MODEL_ILP32 PR_MODEL_LP64 ' +
      'SOBJ_NONE SOBJ_MUTEX SOBJ_RWLOCK SOBJ_CV SOBJ_SEMA SOBJ_USER SOBJ_USER_PI SOBJ_SHUTTLE ' +
      'curpsinfo curlwpsinfo',
    typedefs: 'psinfo_t lwpsinfo_t',
    tags: 'struct psinfo struct lwpsinfo',
    translators: ['psinfo_t < struct proc * >', 'psinfo_t < struct thread * >', 'lwpsinfo_t < struct thread * >'],
  },
  'io.d': {
    inlines:
      'O_ACCMODE O_RDONLY O_WRONLY O_RDWR O_NONBLOCK O_NDELAY O_APPEND O_SYNC O_CREAT O_TRUNC O_EXCL O_NOCTTY ' +
      'BIO_READ BIO_WRITE BIO_DELETE BIO_GETATTR BIO_FLUSH fds',
    typedefs: 'bufinfo_t devinfo_t fileinfo_t',
    tags: 'struct bufinfo struct devinfo struct fileinfo',
    translators: [
      'bufinfo_t < struct bio * >',
      'devinfo_t < struct devstat * >',
      'fileinfo_t < struct file * >',
      'fileinfo_t < struct vnode * >',
    ],
  },
  'errno.d': {
    inlines:
      'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EDEADLK ENOMEM EACCES EFAULT ENOTBLK ' +
      'EBUSY EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE ' +
      'EROFS EMLINK EPIPE EDOM ERANGE EAGAIN EWOULDBLOCK EINPROGRESS EALREADY ENOTSOCK EDESTADDRREQ ' +
      'EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP ENOTSUP EPFNOSUPPORT ' +
      'EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ' +
      'ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED ELOOP ENAMETOOLONG ' +
      'EHOSTDOWN EHOSTUNREACH ENOTEMPTY EPROCLIM EUSERS EDQUOT ESTALE EREMOTE EBADRPC ERPCMISMATCH ' +
      'EPROGUNAVAIL EPROGMISMATCH EPROCUNAVAIL ENOLCK ENOSYS EFTYPE EAUTH ENEEDAUTH EIDRM ENOMSG ' +
      'EOVERFLOW ECANCELED EILSEQ ENOATTR EDOOFUS EBADMSG EMULTIHOP ENOLINK EPROTO ENOTCAPABLE ECAPMODE ' +
      'ENOTRECOVERABLE EOWNERDEAD EINTEGRITY ELAST ERESTART EJUSTRETURN ENOIOCTL EDIRIOCTL ERELOOKUP',
  },
  'signal.d': {
    inlines:
      'SIGHUP SIGINT SIGQUIT SIGILL SIGTRAP SIGABRT SIGIOT SIGEMT SIGFPE SIGKILL SIGBUS SIGSEGV SIGSYS ' +
      'SIGPIPE SIGALRM SIGTERM SIGURG SIGSTOP SIGTSTP SIGCONT SIGCHLD SIGTTIN SIGTTOU SIGIO SIGXCPU ' +
      'SIGXFSZ SIGVTALRM SIGPROF SIGWINCH SIGINFO SIGUSR1 SIGUSR2 SIGTHR SIGLIBRT ' +
      'CLD_EXITED CLD_KILLED CLD_DUMPED CLD_TRAPPED CLD_STOPPED CLD_CONTINUED',
  },
  'unistd.d': {
    inlines:
      'DTRACEFLT_UNKNOWN DTRACEFLT_BADADDR DTRACEFLT_BADALIGN DTRACEFLT_ILLOP DTRACEFLT_DIVZERO ' +
      'DTRACEFLT_NOSCRATCH DTRACEFLT_KPRIV DTRACEFLT_UPRIV DTRACEFLT_TUPOFLOW DTRACEFLT_BADSTACK ' +
      'DTRACEFLT_LIBRARY',
  },
  'regs.d': {
    inlines:
      'R_GS R_FS R_ES R_DS R_EDI R_ESI R_EBP R_ESP R_EBX R_EDX R_ECX R_EAX R_TRAPNO R_ERR R_EIP R_CS ' +
      'R_EFL R_UESP R_SS R_PC R_SP R_PS R_R0 R_R1 R_R15 R_R14 R_R13 R_R12 R_R11 R_R10 R_R9 R_R8 R_RDI ' +
      'R_RSI R_RBP R_RBX R_RDX R_RCX R_RAX R_RIP R_RFL R_RSP',
  },
};

// Typedefs the D compiler itself provides (reference §1.10); library files may use them freely.
const BUILTIN_TYPEDEFS = new Set(
  words(
    'int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t size_t ssize_t ' +
      'ptrdiff_t uchar_t ushort_t uint_t ulong_t u_longlong_t id_t pid_t',
  ),
);

// ------------------------------------------------------------------ reading a file

interface Definitions {
  inlines: string[];
  typedefs: string[];
  tags: string[];
  enumerators: string[];
  translators: string[];
  dependsOn: string[];
  /** Member names of each tag declared with a body. */
  members: Map<string, string[]>;
  /** The tag each typedef names, when it names a struct or union. */
  typedefTags: Map<string, string>;
}

interface LibraryFile {
  name: string;
  tree: Tree;
  defs: Definitions;
}

const named = (node: Node | null, field: string): Node | null => node?.childForFieldName(field) ?? null;

// The identifier a declarator declares, under any pointers, arrays or parentheses.
function declaredName(declarator: Node): string {
  let d: Node = declarator;
  while (d.type !== 'identifier') {
    const inner =
      named(d, 'declarator') ?? d.namedChildren.find((c) => c !== null && c.type.endsWith('declarator')) ?? null;
    assert.ok(inner, `no name in declarator ${declarator.text}`);
    d = inner;
  }
  return d.text;
}

function tagOf(specifier: Node): string {
  return `${specifier.type.replace('_specifier', '')} ${named(specifier, 'name')?.text ?? '<anonymous>'}`;
}

function typeText(node: Node): string {
  return node.text.replace(/\s+/g, ' ').replace(/\s*\*\s*/g, ' * ').trim();
}

function collectDefinitions(items: readonly Node[]): Definitions {
  const defs: Definitions = {
    inlines: [],
    typedefs: [],
    tags: [],
    enumerators: [],
    translators: [],
    dependsOn: [],
    members: new Map(),
    typedefTags: new Map(),
  };
  const defineTag = (specifier: Node | null): string | undefined => {
    if (!specifier || !/^(struct|union|enum)_specifier$/.test(specifier.type)) return undefined;
    const tag = tagOf(specifier);
    const body = named(specifier, 'body');
    if (!body) return tag;
    defs.tags.push(tag);
    if (specifier.type === 'enum_specifier') {
      for (const e of body.namedChildren) if (e?.type === 'enumerator') defs.enumerators.push(named(e, 'name')!.text);
    } else {
      const members: string[] = [];
      for (const field of body.namedChildren) {
        if (field?.type !== 'field_declaration') continue;
        defineTag(named(field, 'type'));
        for (const d of field.childrenForFieldName('declarator')) if (d) members.push(declaredName(d));
      }
      defs.members.set(tag, members);
    }
    return tag;
  };
  for (const item of items) {
    switch (item.type) {
      case 'type_definition': {
        const tag = defineTag(named(item, 'type'));
        for (const d of item.childrenForFieldName('declarator')) {
          if (!d) continue;
          const name = declaredName(d);
          defs.typedefs.push(name);
          if (tag && d.type === 'identifier') defs.typedefTags.set(name, tag);
        }
        break;
      }
      case 'declaration':
        defineTag(named(item, 'type'));
        break;
      case 'inline_definition':
        defs.inlines.push(declaredName(named(item, 'declarator')!));
        break;
      case 'translator_definition': {
        const input = named(item, 'input')!;
        const pointer = named(input, 'declarator')?.type === 'pointer_declarator';
        const inputType = typeText(named(input, 'type')!) + (pointer ? ' *' : '');
        defs.translators.push(`${typeText(named(item, 'output')!)} < ${inputType} >`);
        break;
      }
      case 'pragma_directive': {
        const args = item.namedChildren.filter((c) => c?.type === 'pragma_argument').map((c) => c!.text);
        if (named(item, 'directive')?.text === 'depends_on' && args[0] === 'library') defs.dependsOn.push(args[1]!);
        break;
      }
    }
  }
  return defs;
}

let loaded: Promise<LibraryFile[]> | undefined;
function library(): Promise<LibraryFile[]> {
  loaded ??= (async () => {
    const parser = await createDParser();
    return readdirSync(libraryDir)
      .filter((f) => f.endsWith('.d'))
      .sort()
      .map((name) => {
        const text = readFileSync(join(libraryDir, name), 'utf8');
        const tree = parser.parse(text);
        assert.ok(tree, `no tree for ${name}`);
        return { name, tree, defs: collectDefinitions(topLevel(tree)) };
      });
  })();
  return loaded;
}

function topLevel(tree: Tree): Node[] {
  return tree.rootNode.namedChildren.filter((n): n is Node => n !== null);
}

function* descendants(node: Node): Generator<Node> {
  for (const child of node.namedChildren) {
    if (!child) continue;
    yield child;
    yield* descendants(child);
  }
}

// Member names read through `.` or `->` anywhere in a file's inlines and translators.
function membersRead(file: LibraryFile): string[] {
  const read: string[] = [];
  for (const n of descendants(file.tree.rootNode)) if (n.type === 'field_expression') read.push(named(n, 'field')!.text);
  return read;
}

// ------------------------------------------------------------------ tests

test('the library holds exactly the catalogued files', async () => {
  const files = await library();
  assert.deepEqual(
    files.map((f) => f.name),
    Object.keys(EXPECTED).sort(),
  );
});

test('every library file parses without a syntax error', async () => {
  for (const file of await library()) {
    const errors = findSyntaxErrors(file.tree).map((e) => `line ${e.dtraceRow + 1}: ${e.message}`);
    assert.deepEqual(errors, [], file.name);
  }
});

test('every library file defines exactly its catalogued names', async () => {
  for (const file of await library()) {
    const expected = EXPECTED[file.name]!;
    const sorted = (list: string[]) => [...list].sort();
    assert.deepEqual(sorted(file.defs.inlines), sorted(words(expected.inlines ?? '')), `${file.name}: inlines`);
    assert.deepEqual(sorted(file.defs.typedefs), sorted(words(expected.typedefs ?? '')), `${file.name}: typedefs`);
    const tags = (expected.tags ?? '').match(/(struct|union|enum) \w+/g) ?? [];
    assert.deepEqual(sorted(file.defs.tags), sorted(tags), `${file.name}: struct, union and enum tags`);
    assert.deepEqual(sorted(file.defs.enumerators), sorted(words(expected.enumerators ?? '')), `${file.name}: enumerators`);
    assert.deepEqual(sorted(file.defs.translators), sorted(expected.translators ?? []), `${file.name}: translators`);
  }
});

test('no name is defined twice across the library', async () => {
  const seen = new Map<string, string>();
  for (const file of await library()) {
    const { inlines, typedefs, enumerators, tags } = file.defs;
    // Inlines, typedefs and enumerators share one namespace; tags have their own.
    for (const name of [...inlines, ...typedefs, ...enumerators, ...tags]) {
      assert.equal(seen.get(name), undefined, `${name} in ${file.name} is already defined in ${seen.get(name)}`);
      seen.set(name, file.name);
    }
  }
});

test('library dependencies name existing files and load in some order', async () => {
  const files = await library();
  const byName = new Map(files.map((f) => [f.name, f]));
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (name: string, from: string): void => {
    assert.ok(byName.has(name), `${from} depends on ${name}, which does not exist`);
    if (order.includes(name)) return;
    assert.ok(!visiting.has(name), `dependency cycle through ${name}`);
    visiting.add(name);
    for (const dep of byName.get(name)!.defs.dependsOn) visit(dep, name);
    visiting.delete(name);
    order.push(name);
  };
  for (const f of files) visit(f.name, f.name);
  assert.deepEqual(byName.get('kernel.d')!.defs.dependsOn, ['types.d']);
  assert.deepEqual(byName.get('procfs.d')!.defs.dependsOn, ['types.d', 'kernel.d']);
  assert.deepEqual(byName.get('io.d')!.defs.dependsOn, ['types.d', 'kernel.d']);
});

test('the README lists every file and a load order that respects the dependencies', async () => {
  const files = await library();
  const readme = readFileSync(join(libraryDir, 'README.md'), 'utf8');
  for (const f of files) assert.match(readme, new RegExp(`^\\| \`${f.name.replace('.', '\\.')}\` \\|`, 'm'), f.name);
  const orderLine = /```\n(.*\.d.*)\n```/.exec(readme)?.[1];
  assert.ok(orderLine, 'README has no load order');
  const order = words(orderLine);
  assert.deepEqual([...order].sort(), files.map((f) => f.name));
  for (const f of files) {
    for (const dep of f.defs.dependsOn) assert.ok(order.indexOf(dep) < order.indexOf(f.name), `${dep} must load before ${f.name}`);
  }
});

// What a file may refer to: its own earlier definitions, its dependencies' definitions, and the
// compiler's built-ins. Checking in file order matters because DTrace's lexer must already know
// a typedef name when it meets it.
test('every file refers only to names it defines earlier, its dependencies define, or D provides', async () => {
  const files = await library();
  const byName = new Map(files.map((f) => [f.name, f]));
  for (const file of files) {
    const deps = file.defs.dependsOn.map((d) => byName.get(d)!.defs);
    const typedefs = new Set([...BUILTIN_TYPEDEFS, ...deps.flatMap((d) => d.typedefs)]);
    const tags = new Set(deps.flatMap((d) => d.tags));
    const values = new Set(deps.flatMap((d) => [...d.inlines, ...d.enumerators]));
    const problems: string[] = [];
    for (const item of topLevel(file.tree)) {
      const params = new Set<string>();
      if (item.type === 'translator_definition') params.add(declaredName(named(named(item, 'input'), 'declarator')!));
      if (item.type === 'inline_definition') {
        for (const key of descendants(named(item, 'declarator')!)) {
          if (key.type === 'array_key') params.add(declaredName(named(key, 'declarator')!));
        }
      }
      const own = collectDefinitions([item]);
      own.tags.forEach((t) => tags.add(t));
      for (const n of descendants(item)) {
        const where = `${file.name}:${n.startPosition.row + 1}`;
        if (n.type === 'type_identifier' && !/_specifier$/.test(n.parent!.type) && !typedefs.has(n.text)) {
          problems.push(`${where}: unknown type ${n.text}`);
        }
        if (/^(struct|union|enum)_specifier$/.test(n.type) && !named(n, 'body') && !tags.has(tagOf(n))) {
          problems.push(`${where}: undeclared ${tagOf(n)}`);
        }
        if (n.type !== 'identifier' || !isExpression(n)) continue;
        const isCall = n.parent!.type === 'call_expression' && named(n.parent, 'function')?.id === n.id;
        if (isCall) {
          if (subroutineCode(n.text) === undefined) problems.push(`${where}: unknown subroutine ${n.text}`);
        } else if (!params.has(n.text) && !values.has(n.text) && n.text !== 'NULL' && !builtinVariableByName(n.text)) {
          problems.push(`${where}: unknown identifier ${n.text}`);
        }
      }
      own.typedefs.forEach((t) => typedefs.add(t));
      [...own.inlines, ...own.enumerators].forEach((v) => values.add(v));
    }
    assert.deepEqual(problems, [], file.name);
  }
});

// An identifier in an expression, as opposed to one being declared.
function isExpression(n: Node): boolean {
  for (let p: Node | null = n.parent; p; p = p.parent) {
    if (p.type === 'translator_member' || p.type === 'inline_definition' || p.type === 'enumerator') {
      const value = named(p, 'value');
      return value !== null && value.startIndex <= n.startIndex && n.endIndex <= value.endIndex;
    }
  }
  return false;
}

test('translators assign each member of their output type at most once, and only those', async () => {
  const files = await library();
  const typedefTags = new Map(files.flatMap((f) => [...f.defs.typedefTags]));
  const members = new Map(files.flatMap((f) => [...f.defs.members]));
  for (const file of files) {
    for (const item of topLevel(file.tree)) {
      if (item.type !== 'translator_definition') continue;
      const output = typeText(named(item, 'output')!);
      const declared = members.get(typedefTags.get(output) ?? output);
      assert.ok(declared, `${file.name}: translator output ${output} is not a declared struct`);
      const assigned = item.namedChildren
        .filter((c) => c?.type === 'translator_member')
        .map((c) => named(c, 'member')!.text);
      assert.deepEqual(assigned.filter((m) => !declared.includes(m)), [], `${file.name}: ${output} has no such members`);
      assert.deepEqual(assigned.filter((m, i) => assigned.indexOf(m) !== i), [], `${file.name}: ${output} members assigned twice`);
    }
  }
});

test('every member the library reads is declared, and kernel.d declares no member nobody reads', async () => {
  const files = await library();
  const declared = new Set(files.flatMap((f) => [...f.defs.members.values()].flat()));
  const read = new Set(files.flatMap(membersRead));
  assert.deepEqual([...read].filter((m) => !declared.has(m)), []);
  const kernel = files.find((f) => f.name === 'kernel.d')!;
  const unread = [...kernel.defs.members].flatMap(([tag, ms]) => ms.filter((m) => !read.has(m)).map((m) => `${tag}.${m}`));
  assert.deepEqual(unread, []);
});

// ------------------------------------------------------------------ values

// The value of an integer inline whose expression is a literal, a negated literal or another
// such inline: enough for every constant file.
function constantValues(files: LibraryFile[]): Map<string, number> {
  const exprs = new Map<string, Node>();
  for (const f of files) {
    for (const item of topLevel(f.tree)) {
      if (item.type === 'inline_definition') exprs.set(declaredName(named(item, 'declarator')!), named(item, 'value')!);
    }
  }
  const evaluate = (n: Node): number | undefined => {
    if (n.type === 'integer_literal') return Number(n.text);
    if (n.type === 'char_literal') return n.text.charCodeAt(1);
    if (n.type === 'unary_expression' && named(n, 'operator')?.text === '-') {
      const v = evaluate(named(n, 'argument')!);
      return v === undefined ? undefined : -v;
    }
    if (n.type === 'identifier' && exprs.has(n.text)) return evaluate(exprs.get(n.text)!);
    return undefined;
  };
  const values = new Map<string, number>();
  for (const [name, expr] of exprs) {
    const v = evaluate(expr);
    if (v !== undefined) values.set(name, v);
  }
  return values;
}

test('every inline in the constant files has an integer value', async () => {
  const files = await library();
  const values = constantValues(files);
  for (const name of ['errno.d', 'signal.d', 'unistd.d', 'regs.d']) {
    const file = files.find((f) => f.name === name)!;
    assert.deepEqual(file.defs.inlines.filter((i) => !values.has(i)), [], name);
  }
});

test('the fault codes are the ones the ERROR probe reports', async () => {
  const values = constantValues(await library());
  const codes = words(EXPECTED['unistd.d']!.inlines!).map((n) => [n, values.get(n)]);
  assert.deepEqual(Object.fromEntries(codes), {
    DTRACEFLT_UNKNOWN: 0,
    DTRACEFLT_BADADDR: 1,
    DTRACEFLT_BADALIGN: 2,
    DTRACEFLT_ILLOP: 3,
    DTRACEFLT_DIVZERO: 4,
    DTRACEFLT_NOSCRATCH: 5,
    DTRACEFLT_KPRIV: 6,
    DTRACEFLT_UPRIV: 7,
    DTRACEFLT_TUPOFLOW: 8,
    DTRACEFLT_BADSTACK: 9,
    DTRACEFLT_LIBRARY: 1000,
  });
});

test('aliases resolve to the values they stand for', async () => {
  const values = constantValues(await library());
  const pick = (names: string) => Object.fromEntries(words(names).map((n) => [n, values.get(n)]));
  assert.deepEqual(pick('EWOULDBLOCK ENOTSUP SIGIOT R_PC R_SP R_PS R_R0 R_R1 R_RIP R_RSP'), {
    EWOULDBLOCK: 35,
    ENOTSUP: 45,
    SIGIOT: 6,
    R_PC: 14,
    R_SP: 17,
    R_PS: 16,
    R_R0: 11,
    R_R1: 8,
    R_RIP: 40,
    R_RSP: 43,
  });
  assert.deepEqual(pick('EPERM ENOENT EAGAIN ERELOOKUP SIGKILL SIGCHLD SSLEEP SONPROC'), {
    EPERM: 1,
    ENOENT: 2,
    EAGAIN: 35,
    ERELOOKUP: -5,
    SIGKILL: 9,
    SIGCHLD: 20,
    SSLEEP: 1,
    SONPROC: 6,
  });
});
