// Runs the set-up and build steps of `npm start`, `npm test` and `npm run build` as child processes:
// says what each step does and how long it usually takes, says it is still working while a
// long step runs, and says how long it took. Plain Node with built-ins only (it runs before
// node_modules exists).
//
// A SIGINT or SIGTERM during these steps stops them and exits (128 + signal number): each step runs
// in its own process group, so the signal reaches what the step started too (npm ci's native build,
// pip), not only the step's first process.
'use strict';
const { spawn } = require('node:child_process');
const os = require('node:os');

const HEARTBEAT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const FORWARDED_SIGNALS = ['SIGINT', 'SIGTERM'];

const running = new Set();

const seconds = (ms) => `${Math.round(ms / 1000)} s`;

let interrupting = false;

/** Stops every running step with `signal`, then (after a grace period) kills what is left, and exits. */
async function interrupt(signal) {
  if (interrupting) return;
  interrupting = true;
  console.error(`[kudak] ${signal}: stopping the set-up and build steps`);
  const children = [...running];
  for (const child of children) killGroup(child, signal);
  const exited = Promise.all(children.map((child) => child.exitedPromise));
  const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), STOP_GRACE_MS));
  if ((await Promise.race([exited, timer])) === 'timeout') {
    for (const child of running) killGroup(child, 'SIGKILL');
    await exited;
  }
  process.exit(128 + os.constants.signals[signal]);
}

function killGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

let handlersInstalled = false;
const onSignal = (signal) => void interrupt(signal);

/** From now until releaseSignals(), SIGINT and SIGTERM stop the running steps and exit. */
function handleSignals() {
  if (handlersInstalled) return;
  for (const signal of FORWARDED_SIGNALS) process.on(signal, onSignal);
  handlersInstalled = true;
}

/** Gives SIGINT and SIGTERM back (to the launcher, which installs its own handlers). */
function releaseSignals() {
  for (const signal of FORWARDED_SIGNALS) process.removeListener(signal, onSignal);
  handlersInstalled = false;
}

/**
 * Runs one step: `[prefix] <what> (<expected>)`, a line every 30 s while it runs, then
 * `[prefix] <what>: done in N s`. Resolves when it succeeds; rejects with the reason otherwise.
 */
function runStep({ prefix, what, expected }, command, args, options = {}) {
  const say = (msg) => console.log(`[${prefix}] ${msg}`);
  const started = Date.now();
  say(expected ? `${what} (${expected})` : what);
  handleSignals();
  const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options, detached: true });
  child.exitedPromise = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', (error) => resolve({ error }));
  });
  running.add(child);
  const heartbeat = setInterval(() => say(`${what}: still working (${seconds(Date.now() - started)})`), HEARTBEAT_MS);
  heartbeat.unref();
  return child.exitedPromise.then(({ code, signal, error }) => {
    running.delete(child);
    clearInterval(heartbeat);
    // Stopped by interrupt(), which exits: nothing after this step may run or report a failure.
    if (interrupting) return new Promise(() => undefined);
    if (error) throw new Error(`${what}: could not run ${command}: ${error.message}`);
    if (code !== 0)
      throw new Error(`${what}: ${command} ${signal ? `was stopped by ${signal}` : `exited with ${code}`}`);
    say(`${what}: done in ${seconds(Date.now() - started)}`);
  });
}

/** Waits for steps that run at the same time, all of them, then fails with the first failure if any. */
async function settle(steps) {
  const failed = (await Promise.allSettled(steps)).find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

module.exports = { runStep, settle, releaseSignals };
