// The D library as the front end loads it: the flavour-independent files of server/lib/dtrace
// plus one flavour's files of server/lib/flavours/<flavour>/dtrace. For every flavour, every
// file parses, defines exactly the names listed here, and only refers to what it defines or
// names with `#pragma D depends_on library` (in either folder). This test is what keeps a
// deleted definition, a misspelt member or a missing dependency from going unnoticed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDParser, type Node, type Tree } from '../../server/src/parse/dParser';
import { findSyntaxErrors } from '../../server/src/parse/syntaxErrors';
import { builtinVariableByName } from '../../server/src/dif/variables';
import { subroutineCode } from '../../server/src/dif/subroutines';
import { flavourData } from '../../server/src/analyze/flavour/flavourData';
import { LIBRARY_CATALOGUE, FLAVOURS, OPAQUE_ON_PURPOSE, SPOT_VALUES, type Expected, type Flavour } from '../support/libraryCatalogue';

const libRoot = join(__dirname, '..', '..', 'server', 'lib');
const commonDir = join(libRoot, 'dtrace');
const flavourDir = (flavour: Flavour): string => join(libRoot, 'flavours', flavour, 'dtrace');

const words = (text: string): string[] => text.split(/\s+/).filter((w) => w.length > 0);

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
  /** `common` (server/lib/dtrace) or the flavour whose folder holds the file. */
  where: 'common' | Flavour;
  dir: string;
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
    // An anonymous struct or union (a member's type) defines no tag, only members.
    const anonymous = named(specifier, 'name') === null;
    if (!anonymous) defs.tags.push(tag);
    if (specifier.type === 'enum_specifier') {
      for (const e of body.namedChildren) if (e?.type === 'enumerator') defs.enumerators.push(named(e, 'name')!.text);
    } else {
      const members: string[] = [];
      for (const field of body.namedChildren) {
        if (field?.type !== 'field_declaration') continue;
        defineTag(named(field, 'type'));
        for (const d of field.childrenForFieldName('declarator')) if (d) members.push(declaredName(d));
        // Bit-fields (`u_char ip_hl:4, ip_v:4;`) are declarators of their own kind.
        for (const b of field.namedChildren) if (b?.type === 'bitfield_declarator') members.push(declaredName(b));
      }
      defs.members.set(anonymous ? `${tag}@${specifier.startIndex}` : tag, members);
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

const parsed = new Map<string, LibraryFile[]>();
let parserReady: ReturnType<typeof createDParser> | undefined;

/** The `.d` files of one folder, parsed once. */
async function folder(dir: string, where: LibraryFile['where']): Promise<LibraryFile[]> {
  const cached = parsed.get(dir);
  if (cached) return cached;
  const parser = await (parserReady ??= createDParser());
  const files = (existsSync(dir) ? readdirSync(dir) : [])
    .filter((f) => f.endsWith('.d'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), 'utf8');
      const tree = parser.parse(text);
      assert.ok(tree, `no tree for ${name}`);
      return { name, where, dir, tree, defs: collectDefinitions(topLevel(tree)) };
    });
  parsed.set(dir, files);
  return files;
}

/** What the front end loads for a flavour: the common files, then the flavour's. */
async function library(flavour: Flavour): Promise<LibraryFile[]> {
  return [...(await folder(commonDir, 'common')), ...(await folder(flavourDir(flavour), flavour))];
}

const expectedFor = (file: LibraryFile): Expected | undefined => LIBRARY_CATALOGUE[file.where]?.[file.name];

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

const FOLDERS: ReadonlyArray<{ where: 'common' | Flavour; dir: string }> = [
  { where: 'common', dir: commonDir },
  ...FLAVOURS.map((f) => ({ where: f, dir: flavourDir(f) })),
];

for (const { where, dir } of FOLDERS) {
  test(`${where}: the folder holds exactly the catalogued files`, async () => {
    const files = await folder(dir, where);
    assert.deepEqual(
      files.map((f) => f.name),
      Object.keys(LIBRARY_CATALOGUE[where]).sort(),
    );
  });

  test(`${where}: every library file parses without a syntax error`, async () => {
    for (const file of await folder(dir, where)) {
      const errors = findSyntaxErrors(file.tree).map((e) => `line ${e.dtraceRow + 1}: ${e.message}`);
      assert.deepEqual(errors, [], file.name);
    }
  });

  test(`${where}: every library file defines exactly its catalogued names`, async () => {
    for (const file of await folder(dir, where)) {
      const expected = expectedFor(file)!;
      const sorted = (list: string[]) => [...list].sort();
      const label = `${where}/${file.name}`;
      assert.deepEqual(sorted(file.defs.inlines), sorted(words(expected.inlines ?? '')), `${label}: inlines`);
      assert.deepEqual(sorted(file.defs.typedefs), sorted(words(expected.typedefs ?? '')), `${label}: typedefs`);
      const tags = (expected.tags ?? '').match(/(struct|union|enum) \w+/g) ?? [];
      assert.deepEqual(sorted(file.defs.tags), sorted(tags), `${label}: struct, union and enum tags`);
      assert.deepEqual(sorted(file.defs.enumerators), sorted(words(expected.enumerators ?? '')), `${label}: enumerators`);
      assert.deepEqual(sorted(file.defs.translators), sorted(expected.translators ?? []), `${label}: translators`);
    }
  });

  test(`${where}: the README lists every file and a load order that respects the dependencies`, async () => {
    const files = await folder(dir, where);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const f of files) assert.match(readme, new RegExp(`^\\| \`${f.name.replace('.', '\\.')}\` \\|`, 'm'), f.name);
    const orderLine = /```\n(.*\.d.*)\n```/.exec(readme)?.[1];
    assert.ok(orderLine, 'README has no load order');
    const order = words(orderLine);
    assert.deepEqual([...order].sort(), files.map((f) => f.name));
    for (const f of files) {
      for (const dep of f.defs.dependsOn) {
        // A dependency on a file of the common folder is satisfied before any flavour file loads.
        if (!order.includes(dep)) continue;
        assert.ok(order.indexOf(dep) < order.indexOf(f.name), `${dep} must load before ${f.name}`);
      }
    }
  });
}

for (const flavour of FLAVOURS) {
  test(`${flavour}: no file name or definition is shared with the common files or defined twice`, async () => {
    const files = await library(flavour);
    const names = files.map((f) => f.name);
    assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), [], 'file names');
    const seen = new Map<string, string>();
    for (const file of files) {
      const { inlines, typedefs, enumerators, tags } = file.defs;
      // Inlines, typedefs and enumerators share one namespace; tags have their own.
      for (const name of [...inlines, ...typedefs, ...enumerators, ...tags]) {
        assert.equal(seen.get(name), undefined, `${name} in ${file.name} is already defined in ${seen.get(name)}`);
        seen.set(name, file.name);
      }
    }
  });

  test(`${flavour}: library dependencies name existing files and load in some order`, async () => {
    const files = await library(flavour);
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
  });

  // What a file may refer to: its own earlier definitions, its dependencies' definitions, and the
  // compiler's built-ins. Checking in file order matters because DTrace's lexer must already know
  // a typedef name when it meets it.
  test(`${flavour}: every file refers only to names it defines earlier, its dependencies define, or D provides`, async () => {
    const files = await library(flavour);
    const byName = new Map(files.map((f) => [f.name, f]));
    for (const file of files) {
      const deps = file.defs.dependsOn.map((d) => byName.get(d)!.defs);
      const typedefs = new Set([...BUILTIN_TYPEDEFS, ...deps.flatMap((d) => d.typedefs)]);
      // A struct may point to one the same file declares further down, as in C.
      const tags = new Set([...deps.flatMap((d) => d.tags), ...file.defs.tags]);
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
          // A pointer to a structure nobody declares is legal D (the structure stays opaque).
          if (/^(struct|union|enum)_specifier$/.test(n.type) && !named(n, 'body') && !tags.has(tagOf(n)) && !onlyPointedTo(n)) {
            problems.push(`${where}: undeclared ${tagOf(n)}`);
          }
          if (n.type !== 'identifier' || !isExpression(n)) continue;
          const isCall = n.parent!.type === 'call_expression' && named(n.parent, 'function')?.id === n.id;
          if (isCall) {
            if (subroutineCode(n.text, flavour === 'freebsd' ? 'freebsd' : 'illumos') === undefined) problems.push(`${where}: unknown subroutine ${n.text}`);
          } else if (!params.has(n.text) && !values.has(n.text) && n.text !== 'NULL' && !builtinVariableByName(n.text) && !n.text.startsWith('`')) {
            problems.push(`${where}: unknown identifier ${n.text}`);
          }
        }
        own.typedefs.forEach((t) => typedefs.add(t));
        [...own.inlines, ...own.enumerators].forEach((v) => values.add(v));
      }
      assert.deepEqual(problems, [], file.name);
    }
  });

  test(`${flavour}: translators assign each member of their output type at most once, and only those`, async () => {
    const files = await library(flavour);
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

  test(`${flavour}: every member the library reads is declared by some structure`, async () => {
    const files = await library(flavour);
    const declared = new Set(files.flatMap((f) => [...f.defs.members.values()].flat()));
    const read = new Set(files.flatMap(membersRead));
    assert.deepEqual([...read].filter((m) => !declared.has(m)), []);
  });

  test(`${flavour}: every inline in the constant files has an integer value`, async () => {
    const files = await library(flavour);
    const values = constantValues(files);
    for (const file of files.filter((f) => ['errno.d', 'signal.d', 'unistd.d', 'regs.d'].includes(f.name))) {
      assert.deepEqual(file.defs.inlines.filter((i) => !values.has(i)), [], file.name);
    }
  });

  test(`${flavour}: named constants have the system's values`, async () => {
    const values = constantValues(await library(flavour));
    const spot = SPOT_VALUES[flavour];
    assert.deepEqual(Object.fromEntries(Object.keys(spot).map((n) => [n, values.get(n)])), spot);
  });

  test(`${flavour}: every type the probe and fbt catalogues name is declared by the library, or opaque on purpose`, async () => {
    const files = await library(flavour);
    const declared = new Set([...BUILTIN_TYPEDEFS, ...files.flatMap((f) => [...f.defs.typedefs, ...f.defs.tags])]);
    const opaque = new Set(words(OPAQUE_ON_PURPOSE[flavour]).map((w) => w.replace(/^(struct|union|enum)-/, '$1 ')));
    const named = catalogueTypeNames(flavour);
    assert.deepEqual([...named].filter((n) => !declared.has(n) && !opaque.has(n)).sort(), [], 'neither declared nor listed as opaque');
    assert.deepEqual([...opaque].filter((n) => declared.has(n) || !named.has(n)).sort(), [], 'listed as opaque but declared, or no longer named');
  });

  test(`${flavour}: the C header <sys/errno.h> for dtrace -C has errno.d's names and values, and no errno macro`, async () => {
    const errnoFile = (await library(flavour)).find((f) => f.name === 'errno.d')!;
    const values = constantValues([errnoFile]);
    const header = headerDefines(join(libRoot, 'flavours', flavour, 'include', 'sys', 'errno.h'));
    assert.deepEqual(Object.fromEntries(header), Object.fromEntries(errnoFile.defs.inlines.map((n) => [n, values.get(n)])));
    assert.equal(header.has('errno'), false);
  });

  test(`${flavour}: the C header <sys/types.h> for dtrace -C declares nothing D would see`, () => {
    const text = readFileSync(join(libRoot, 'flavours', flavour, 'include', 'sys', 'types.h'), 'utf8');
    const lines = text.replace(/\/\*[\s\S]*?\*\//g, '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
    assert.deepEqual(lines.filter((l) => !/^#(ifndef|define|endif)\b/.test(l)), []);
  });
}

/** The typedef names and `struct`/`union`/`enum` tags the flavour's probe arguments and fbt functions name. */
function catalogueTypeNames(flavour: Flavour): Set<string> {
  const data = flavourData(flavour);
  const texts = new Set<string>();
  for (const p of data.providers) for (const probe of p.probes ?? []) for (const a of probe.args ?? []) texts.add(a.native).add(a.translated ?? 'int');
  for (const k of data.kernelFunctions) for (const t of [...k.args, k.return ?? 'int']) texts.add(t);
  const names = new Set<string>();
  for (const text of texts) {
    const tokens = text.match(/[A-Za-z_]\w*/g) ?? [];
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t === 'struct' || t === 'union' || t === 'enum') names.add(`${t} ${tokens[++i]}`);
      else if (!C_TYPE_WORDS.has(t)) names.add(t);
    }
  }
  return names;
}

const C_TYPE_WORDS = new Set(words('void char short int long signed unsigned float double string _Bool const volatile userland'));

/** `#define NAME VALUE` lines of a C header, each value a number or an earlier name's value. */
function headerDefines(path: string): Map<string, number> {
  const defines = new Map<string, number>();
  for (const m of readFileSync(path, 'utf8').matchAll(/^#define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$/gm)) {
    const value = m[2]!.replace(/^\((.*)\)$/, '$1');
    defines.set(m[1]!, /^-?\d+$/.test(value) ? Number(value) : defines.get(value)!);
  }
  return defines;
}

// A struct specifier in a member declaration or typedef whose declarators are all pointers.
function onlyPointedTo(specifier: Node): boolean {
  const field = specifier.parent;
  if (field?.type !== 'field_declaration' && field?.type !== 'type_definition') return false;
  const declarators = field.childrenForFieldName('declarator');
  return declarators.length > 0 && declarators.every((d) => d !== null && /^(pointer|function)_declarator$/.test(d.type));
}

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

// ------------------------------------------------------------------ values

// The value of an integer inline whose expression is a literal, a negated literal, a shift or
// or of such values, or another such inline: enough for every constant file.
function constantValues(files: LibraryFile[]): Map<string, number> {
  const exprs = new Map<string, Node>();
  for (const f of files) {
    for (const item of topLevel(f.tree)) {
      if (item.type === 'inline_definition') exprs.set(declaredName(named(item, 'declarator')!), named(item, 'value')!);
    }
    for (const n of descendants(f.tree.rootNode)) {
      if (n.type === 'enumerator' && named(n, 'value')) exprs.set(named(n, 'name')!.text, named(n, 'value')!);
    }
  }
  const evaluate = (n: Node): number | undefined => {
    if (n.type === 'integer_literal') return Number(n.text.replace(/[uUlL]+$/, ''));
    if (n.type === 'char_literal') return n.text.charCodeAt(1);
    if (n.type === 'parenthesized_expression') return evaluate(n.namedChildren[0]!);
    if (n.type === 'unary_expression' && named(n, 'operator')?.text === '-') {
      const v = evaluate(named(n, 'argument')!);
      return v === undefined ? undefined : -v;
    }
    if (n.type === 'binary_expression') {
      const l = evaluate(named(n, 'left')!);
      const r = evaluate(named(n, 'right')!);
      if (l === undefined || r === undefined) return undefined;
      switch (named(n, 'operator')?.text) {
        case '<<':
          return l * 2 ** r;
        case '|':
          return Number(BigInt(l) | BigInt(r));
        case '+':
          return l + r;
      }
      return undefined;
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

test('common: the fault codes are the ones the ERROR probe reports', async () => {
  const values = constantValues(await folder(commonDir, 'common'));
  const codes = words(LIBRARY_CATALOGUE.common['unistd.d']!.inlines!).map((n) => [n, values.get(n)]);
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
