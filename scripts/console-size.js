#!/usr/bin/env node
// `npm run console:size`: the console's JavaScript as a browser loads it, gzip-compressed: the
// entry with its static imports, plus the page's own chunk, for every page (from Vite's manifest
// of dist/console). Fails when a first load is over the budget.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const BUDGET_BYTES = 300 * 1024;
const dist = path.resolve(__dirname, '..', 'dist', 'console');
const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite', 'manifest.json'), 'utf8'));

const gzipped = new Map();
const sizeOf = (file) => {
  if (!gzipped.has(file)) gzipped.set(file, zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length);
  return gzipped.get(file);
};
/** A chunk and every chunk it imports statically. */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) closure(imported, seen);
  return seen;
}
const files = (keys) => [...keys].map((key) => manifest[key].file);
const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const entryFiles = files(closure(entry));
const pages = Object.keys(manifest).filter((key) => /\/pages\/[A-Z]\w*\.tsx$/.test(key));
let worst = 0;
console.log(`entry ${entryFiles.join(' ')}: ${kB(entryFiles.reduce((sum, f) => sum + sizeOf(f), 0))} gzip`);
for (const page of pages) {
  const load = new Set([...entryFiles, ...files(closure(page))]);
  const total = [...load].reduce((sum, f) => sum + sizeOf(f), 0);
  worst = Math.max(worst, total);
  console.log(`first load at ${path.basename(page, '.tsx')}: ${kB(total)} gzip (${load.size} files)`);
}
const all = fs.readdirSync(path.join(dist, 'assets')).filter((f) => f.endsWith('.js'));
console.log(
  `all JavaScript: ${kB(all.reduce((sum, f) => sum + sizeOf(`assets/${f}`), 0))} gzip in ${all.length} files`,
);
console.log(`largest first load: ${kB(worst)} gzip, budget ${kB(BUDGET_BYTES)}`);
if (worst > BUDGET_BYTES) {
  console.error('over budget');
  process.exitCode = 1;
}
