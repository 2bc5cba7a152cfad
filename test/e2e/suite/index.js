// Entry point for `--extensionTestsPath` (the @vscode/test-electron convention): VS Code loads
// this file inside its extension host and awaits `run()`; a rejection fails the run.
// The tests are mocha TDD suites (`suite`/`test`).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TIMEOUT_MS = 30_000;

function testFiles() {
  return fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.test.js'))
    .sort()
    .map((f) => path.join(__dirname, f));
}

const Mocha = require('mocha');

exports.run = async function run() {
  const files = testFiles();
  // DTRACE_E2E_GREP: only the tests whose full title matches (the server passes its environment on).
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: TIMEOUT_MS, grep: process.env.DTRACE_E2E_GREP || undefined });
  for (const f of files) mocha.addFile(f);
  // The tests edit fixtures in their editors and never save them: check that nothing did.
  const fixtures = path.join(__dirname, '..', 'fixtures');
  const snapshot = () => fs.readdirSync(fixtures).filter((f) => f.endsWith('.d')).map((f) => [f, fs.readFileSync(path.join(fixtures, f), 'utf8')]);
  const before = snapshot();
  await new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} tests failed.`)) : resolve()));
  });
  const changed = snapshot().filter(([f, text], i) => before[i][0] !== f || before[i][1] !== text).map(([f]) => f);
  if (changed.length) throw new Error(`the suite changed fixtures on disk: ${changed.join(', ')}`);
};
