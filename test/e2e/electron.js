#!/usr/bin/env node
// `npm run test:electron`: the suite in test/e2e/suite inside desktop VS Code, through
// @vscode/test-electron, on a machine where it can download VS Code (a developer's own; not
// the project's machines, where `npm run test:e2e` runs the same suite in VS Code's server
// build instead). The same launch as .vscode/launch.json's "Extension Tests": this extension
// from the working tree (built first), the d-language stub, the workspace test/e2e/fixtures.
//
// VSCODE_VERSION picks the VS Code to download ('stable' by default, 'insiders' or e.g.
// '1.90.0': the oldest the extension supports). On Linux without a display, run it under
// `xvfb-run -a`. Downloads and profiles go to .vscode-test/ in the repository.
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { runTests } = require('@vscode/test-electron');

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');

async function main() {
  const build = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'build.mjs')], { cwd: REPO, stdio: 'inherit' });
  if (build.status !== 0) return build.status || 1;
  return runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: [REPO, path.join(FIXTURES, 'd-language-stub')],
    extensionTestsPath: path.join(__dirname, 'suite', 'index.js'),
    launchArgs: [
      FIXTURES,
      '--disable-extensions', // only the two development extensions, whatever is installed
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-gpu',
    ],
  });
}

main().then(
  (code) => process.exit(code),
  (err) => {
    // runTests rejects when VS Code exits non-zero (failed tests) or cannot be downloaded.
    console.error(err && err.message ? err.message : err);
    process.exit(typeof err?.code === 'number' && err.code !== 0 ? err.code : 1);
  },
);
