#!/usr/bin/env node
// Prints "<passed> <failed> <skipped>" from jest's JSON results (`jest --json --outputFile=<file>`).
// A test file that failed without a failing test (it did not load, or a hook before or after its
// tests threw) counts as one failed test, so nothing that failed goes uncounted.
'use strict';
const fs = require('node:fs');

const results = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const filesFailedOutsideTests = results.testResults.filter(
  (file) => file.status === 'failed' && file.assertionResults.every((t) => t.status !== 'failed'),
).length;
console.log(
  results.numPassedTests,
  results.numFailedTests + filesFailedOutsideTests,
  results.numPendingTests + results.numTodoTests,
);
