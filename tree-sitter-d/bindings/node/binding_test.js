// Loads the Node binding into the `tree-sitter` package and parses a clause.
const assert = require('node:assert');
const { test } = require('node:test');

test('can load the grammar and parse a clause', () => {
  const Parser = require('tree-sitter');
  const parser = new Parser();
  assert.doesNotThrow(() => parser.setLanguage(require('.')));
  const tree = parser.parse('syscall::read:entry /pid == $target/ { @[execname] = count(); }');
  assert.equal(tree.rootNode.hasError, false);
});
