#!/usr/bin/env node
// `npm run console:report`: the built console's first-load weight against its budget. It sums the
// gzipped size of the JavaScript a first visit loads, the scripts and module preloads of
// dist/console/index.html and the modules they import statically (not the lazy `import()` ones),
// and exits non-zero over the budget. Plain Node with built-ins only.
//
//   npm run console:report                   # dist/console (CONSOLE_DIR overrides), 300 kB budget
//   node scripts/console-report.js --dir build/console --budget-kb 250
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { gzipSync } = require('node:zlib');

const root = path.resolve(__dirname, '..');
const DEFAULT_BUDGET_KB = 300;
/** 1 kB = 1000 bytes. */
const KB = 1000;

/** The URL paths of the scripts index.html loads at once: `<script src>` and `<link rel=modulepreload>`. */
function firstLoadScripts(html) {
  const found = [];
  for (const [tag] of html.matchAll(/<(?:script|link)\b[^>]*>/gi)) {
    const attr = (name) => new RegExp(`\\b${name}\\s*=\\s*["']([^"']+)["']`, 'i').exec(tag)?.[1];
    if (/^<script/i.test(tag) && attr('src')) found.push(attr('src'));
    if (/^<link/i.test(tag) && attr('rel')?.toLowerCase() === 'modulepreload' && attr('href')) found.push(attr('href'));
  }
  return found;
}

/** The modules a module imports statically (`import ... from "./x.js"`, `import "./x.js"`, `export ... from`). */
function staticImports(source) {
  const specifiers = [];
  for (const match of source.matchAll(/(?:\bimport|\bexport)\s*(?:[\w*{}\s,$]*?\bfrom\s*)?["']([^"']+\.m?js)["']/g)) {
    specifiers.push(match[1]);
  }
  return specifiers;
}

/** The first-load JavaScript files, each with its size and gzipped size. */
function measure(dir) {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index))
    throw new Error(`no ${path.relative(root, index) || index}: build the console first (npm run build)`);
  const files = new Map();
  const visit = (urlPath) => {
    if (/^[a-z]+:\/\//i.test(urlPath) || urlPath.startsWith('//')) return; // another origin: not ours to weigh
    const file = path.join(dir, ...urlPath.split('?')[0].split('/').filter(Boolean));
    if (files.has(file) || !file.startsWith(dir + path.sep) || !fs.existsSync(file)) return;
    const body = fs.readFileSync(file);
    files.set(file, {
      file: path.relative(dir, file),
      bytes: body.length,
      gzipped: gzipSync(body, { level: 9 }).length,
    });
    const base = `/${path.relative(dir, path.dirname(file)).split(path.sep).join('/')}/`;
    for (const specifier of staticImports(body.toString('utf8')))
      visit(new URL(specifier, `http://console${base}`).pathname);
  };
  for (const src of firstLoadScripts(fs.readFileSync(index, 'utf8'))) visit(new URL(src, 'http://console/').pathname);
  return [...files.values()];
}

/** The first-load JavaScript against the budget. */
function firstLoadJavaScript({ dir, budgetKb }) {
  const files = measure(dir);
  const total = files.reduce((sum, f) => sum + f.gzipped, 0);
  const kb = (bytes) => `${(bytes / KB).toFixed(1)} kB`;
  const lines = files.map((f) => `  ${f.file}: ${kb(f.bytes)}, ${kb(f.gzipped)} gzipped`);
  const ok = total <= budgetKb * KB;
  lines.push(
    `  first-load JavaScript: ${kb(total)} gzipped of a ${budgetKb} kB budget: ${ok ? 'within' : 'OVER'} budget`,
  );
  return { title: 'First-load JavaScript (gzip)', lines, ok };
}

/**
 * The report's checks, each `({ dir, budgetKb }) => { title, lines, ok }` (or a promise of it). The
 * accessibility check (axe in Chromium over the console's pages) joins this list when it exists.
 */
const CHECKS = [firstLoadJavaScript];

async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, 'budget-kb': { type: 'string' } },
  });
  const dir = path.resolve(root, values.dir ?? process.env.CONSOLE_DIR ?? 'dist/console');
  const budgetKb = Number(values['budget-kb'] ?? DEFAULT_BUDGET_KB);
  if (!(budgetKb > 0)) throw new Error(`--budget-kb must be a positive number (got "${values['budget-kb']}")`);
  let ok = true;
  for (const check of CHECKS) {
    const result = await check({ dir, budgetKb });
    console.log(`${result.title}\n${result.lines.join('\n')}`);
    ok &&= result.ok;
  }
  return ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (err) => {
      console.error(`console-report: ${err.message}`);
      process.exitCode = 2;
    },
  );
}

module.exports = { firstLoadScripts, staticImports, measure, CHECKS };
