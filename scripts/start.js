#!/usr/bin/env node
// `npm start`: the set-up and the build when needed (scripts/build.js), then the launcher
// (apps/launcher) in this same process. One process from the first step to the last, so that a
// SIGINT or SIGTERM sent to the process `npm start` created (what systemd, pm2 or an IDE's stop
// button send; npm forwards both to its script) reaches whoever can act on it: the running set-up
// step while preparing, the launcher once it runs, which drains the worker and stops everything.
//
// package.json runs this with `exec node scripts/start.js`: npm runs a script through `sh -c`, and
// without `exec` that shell stays between npm and this process; dash (Debian's and Ubuntu's sh)
// ignores the SIGINT npm forwards to it and dies of SIGTERM, and either way this process never hears.
'use strict';
const path = require('node:path');
const { prepare } = require('./build');
const { releaseSignals } = require('./steps');

const launcher = path.resolve(__dirname, '..', 'dist', 'apps', 'launcher', 'main.js');

prepare({ quiet: true }).then(
  (workflowBundle) => {
    // The bundle was just built or checked against the sources: the worker loads it instead of
    // bundling the workflows again as it starts (some seconds of every start).
    process.env.WORKFLOW_BUNDLE_PATH ??= workflowBundle;
    // The launcher installs its own SIGINT and SIGTERM handlers as it starts.
    releaseSignals();
    require(launcher);
  },
  (err) => {
    console.error(`[kudak] ${err.message}`);
    process.exit(1);
  },
);
