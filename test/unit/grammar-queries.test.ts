// The query files of tree-sitter-d (queries/*.scm) compile against the wasm grammar and capture
// what README.md says they capture. A query naming a node type or field the grammar does not
// have throws when it is compiled, so a grammar change that breaks a query fails here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Query } from 'web-tree-sitter';
import type { QueryCapture, QueryMatch } from 'web-tree-sitter';
import { createDParser, loadDLanguage } from '../../server/src/parse/dParser';

const queriesDir = join(__dirname, '..', '..', 'tree-sitter-d', 'queries');

function readQuery(name: string): string {
  return readFileSync(join(queriesDir, `${name}.scm`), 'utf8');
}

const SAMPLE = `#!/usr/sbin/dtrace -qs
#pragma D option quiet

inline int LIMIT = 10;
typedef unsigned long long ull_t;

translator info_t < struct proc *P > {
	pid = P->p_pid;
};

fbt:genunix:kmem_alloc:entry, syscall::read:entry
/execname == "sshd" && self->depth < LIMIT/
{
	self->depth++;
	this->size = arg1;
	@bytes[probefunc] = sum(this->size);
	printf("%d\\n", \`max_ncpus);
	while (0) { }
}

BEGIN
{
	x = $1;
}
`;

/** Every capture of `query` on the sample, and the winning one per node (the last pattern wins). */
async function run(queryName: string): Promise<{ captures: QueryCapture[]; matches: QueryMatch[] }> {
  const language = await loadDLanguage();
  const parser = await createDParser();
  const tree = parser.parse(SAMPLE);
  assert.ok(tree);
  assert.equal(tree.rootNode.hasError, false, 'the sample script parses without errors');
  const query = new Query(language, readQuery(queryName));
  return { captures: query.captures(tree.rootNode), matches: query.matches(tree.rootNode) };
}

/** The highlight of the node spanning `text`, first found in the sample after `context`. */
function highlightOf(captures: QueryCapture[], text: string, context = text): string | undefined {
  const at = SAMPLE.indexOf(context);
  const start = at < 0 ? -1 : SAMPLE.indexOf(text, at);
  assert.ok(start >= 0, `${JSON.stringify(text)} is not in the sample`);
  const hits = captures.filter((c) => c.node.startIndex === start && c.node.endIndex === start + text.length);
  if (hits.length === 0) return undefined;
  // As in the tree-sitter CLI (0.22+) and Neovim, the last matching pattern wins.
  return hits.reduce((a, b) => (b.patternIndex >= a.patternIndex ? b : a)).name;
}

test('every query file compiles against the grammar', async () => {
  const language = await loadDLanguage();
  const files = readdirSync(queriesDir).filter((f) => f.endsWith('.scm'));
  for (const required of ['highlights.scm', 'locals.scm', 'folds.scm', 'tags.scm']) {
    assert.ok(files.includes(required), `queries/${required} is missing`);
  }
  for (const file of files) {
    const source = readFileSync(join(queriesDir, file), 'utf8');
    let query: Query | undefined;
    assert.doesNotThrow(() => {
      query = new Query(language, source);
    }, `queries/${file} does not compile`);
    assert.ok(query!.captureNames.length > 0, `queries/${file} captures nothing`);
    query!.delete();
  }
});

test('highlights use standard capture names only', async () => {
  const language = await loadDLanguage();
  const query = new Query(language, readQuery('highlights'));
  const standard = new RegExp(
    '^(' +
      [
        'comment',
        'keyword(\\.(conditional(\\.ternary)?|repeat|return|directive(\\.define)?|type|modifier|operator|import|function|exception))?',
        'function(\\.(builtin|call|macro|method))?',
        'variable(\\.(builtin|member|parameter))?',
        'constant(\\.(builtin|macro))?',
        'type(\\.(builtin|definition))?',
        'string(\\.(escape|special(\\.(symbol|path|url))?))?',
        'character',
        'number(\\.float)?',
        'boolean',
        'operator',
        'punctuation\\.(bracket|delimiter|special)',
        'module',
        'namespace',
        'label',
        'attribute',
        'property',
      ].join('|') +
      ')$',
  );
  const odd = query.captureNames.filter((name) => !standard.test(name));
  assert.deepEqual(odd, [], 'non-standard capture names in highlights.scm');
  query.delete();
});

test('the four probe-description fields get four distinct captures', async () => {
  const { captures } = await run('highlights');
  const fields = {
    provider: highlightOf(captures, 'fbt'),
    module: highlightOf(captures, 'genunix'),
    function: highlightOf(captures, 'kmem_alloc'),
    name: highlightOf(captures, 'entry'),
  };
  assert.deepEqual(fields, { provider: 'module', module: 'namespace', function: 'function', name: 'label' });
  assert.equal(new Set(Object.values(fields)).size, 4);
  assert.equal(highlightOf(captures, 'syscall'), 'module');
  assert.equal(highlightOf(captures, 'read'), 'function');
  assert.equal(highlightOf(captures, 'BEGIN'), 'label');
});

test('variables, functions and keywords get their captures', async () => {
  const { captures } = await run('highlights');
  // [text, capture, context the text is first looked for after]
  const expected: [string, string, string?][] = [
    ['self', 'variable.builtin'],
    ['depth', 'variable.member'],
    ['this', 'variable.builtin'],
    ['size', 'variable.member'],
    ['execname', 'variable.builtin'],
    ['probefunc', 'variable.builtin'],
    ['arg1', 'variable.builtin'],
    ['`max_ncpus', 'variable.builtin'],
    ['@bytes', 'attribute'],
    ['$1', 'constant.macro'],
    ['sum', 'function.builtin'],
    ['printf', 'function.builtin'],
    ['LIMIT', 'constant'],
    ['while', 'keyword.repeat'],
    ['#pragma', 'keyword.directive'],
    ['quiet', 'property'],
    ['#!/usr/sbin/dtrace -qs', 'keyword.directive'],
    ['inline', 'keyword'],
    ['translator', 'keyword'],
    ['typedef', 'keyword.type'],
    ['ull_t', 'type.definition'],
    ['info_t', 'type'],
    ['"sshd"', 'string'],
    ['\\n', 'string.escape'],
    ['10', 'number'],
    ['/', 'punctuation.special', '\n/execname'],
    ['/', 'punctuation.special', 'LIMIT/'],
  ];
  const actual = expected.map(([text, , context]) => [text, highlightOf(captures, text, context)]);
  assert.deepEqual(actual, expected.map(([text, capture]) => [text, capture]));
});

test('locals: clause bodies are scopes; declarations, inlines, typedefs and translators define', async () => {
  const { captures } = await run('locals');
  const scopes = captures.filter((c) => c.name === 'local.scope').map((c) => c.node.type);
  assert.ok(scopes.includes('clause_body'), 'a clause body is a scope');
  assert.ok(scopes.includes('translator_definition'), 'a translator is a scope');
  const definitions = captures.filter((c) => c.name === 'local.definition').map((c) => c.node.text);
  for (const name of ['LIMIT', 'ull_t', 'P']) assert.ok(definitions.includes(name), `${name} is a definition`);
  const references = captures.filter((c) => c.name === 'local.reference').map((c) => c.node.text);
  assert.ok(references.includes('x'), 'identifiers are references');
});

test('folds: clause bodies, translators and compound statements fold', async () => {
  const { captures } = await run('folds');
  const folded = new Set(captures.filter((c) => c.name === 'fold').map((c) => c.node.type));
  for (const type of ['clause_body', 'translator_definition', 'compound_statement']) {
    assert.ok(folded.has(type), `${type} folds`);
  }
});

test('tags: clauses are named by their probe descriptions', async () => {
  const { captures, matches } = await run('tags');
  const names = captures.filter((c) => c.name === 'name').map((c) => c.node.text);
  for (const name of ['fbt:genunix:kmem_alloc:entry', 'syscall::read:entry', 'BEGIN', 'LIMIT', 'ull_t', 'info_t']) {
    assert.ok(names.includes(name), `tag named ${name}`);
  }
  const clauseTags = matches
    .filter((m) => m.captures.some((c) => c.name === 'definition.function' && c.node.type === 'probe_clause'))
    .map((m) => m.captures.find((c) => c.name === 'name')?.node.text);
  assert.deepEqual(clauseTags, ['fbt:genunix:kmem_alloc:entry', 'syscall::read:entry', 'BEGIN'], 'one tag per probe description');
});
