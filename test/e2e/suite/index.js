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
  const mocha = new Mocha({ ui: 'tdd', color: true, timeout: TIMEOUT_MS });
  for (const f of files) mocha.addFile(f);
  await new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} tests failed.`)) : resolve()));
  });
};
