#!/usr/bin/env node
// `npm run console:report`: the built console against its budgets. First-load JavaScript, gzipped,
// for each page: the scripts and module preloads of dist/console/index.html with the modules they
// import statically, plus the page's own lazy route chunk (`import()`, named from Vite's manifest
// when there is one) and its static imports; exits non-zero when a page's first load is over the
// budget. Then the axe-core results the console's browser tests recorded (test-artifacts/console/
// axe/, written by test/support/console-browser.ts), when there are any. Plain Node, built-ins only.
//
//   npm run console:report                   # dist/console (CONSOLE_DIR overrides), 300 kB budget
//   node scripts/console-report.js --dir build/console --budget-kb 250 --axe-dir other/axe
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

/** The modules a module loads lazily (`import("./Candidacy-3f2a.js")`): the console's route chunks. */
function lazyImports(source) {
  return [...source.matchAll(/\bimport\(\s*["'`]([^"'`]+\.m?js)["'`]\s*\)/g)].map((match) => match[1]);
}

/** Reads the built console's JavaScript: each file once, with its size, gzipped size and imports. */
function reader(dir) {
  const cache = new Map();
  const read = (urlPath) => {
    if (/^[a-z]+:\/\//i.test(urlPath) || urlPath.startsWith('//')) return undefined; // another origin
    const file = path.join(dir, ...urlPath.split('?')[0].split('/').filter(Boolean));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file)) return undefined;
    if (!cache.has(file)) {
      const body = fs.readFileSync(file);
      const source = body.toString('utf8');
      const base = `http://console/${path.relative(dir, path.dirname(file)).split(path.sep).join('/')}/`;
      const resolve = (specifier) => new URL(specifier, base).pathname;
      cache.set(file, {
        file: path.relative(dir, file).split(path.sep).join('/'),
        bytes: body.length,
        gzipped: gzipSync(body, { level: 9 }).length,
        imports: staticImports(source).map(resolve),
        lazy: lazyImports(source).map(resolve),
      });
    }
    return cache.get(file);
  };
  /** The files loaded with these URL paths: they and their static imports, in load order. */
  const closure = (urlPaths) => {
    const files = new Map();
    const visit = (urlPath) => {
      const file = read(urlPath);
      if (!file || files.has(file.file)) return;
      files.set(file.file, file);
      file.imports.forEach(visit);
    };
    urlPaths.forEach(visit);
    return [...files.values()];
  };
  return closure;
}

/** Vite's manifest, file -> source (`assets/Candidacy-3f2a.js` -> `src/pages/Candidacy.tsx`), when built with one. */
function sourcesOf(dir) {
  const manifest = path.join(dir, '.vite', 'manifest.json');
  if (!fs.existsSync(manifest)) return undefined;
  const chunks = JSON.parse(fs.readFileSync(manifest, 'utf8'));
  return new Map(Object.entries(chunks).map(([source, chunk]) => [chunk.file, source]));
}

/**
 * The first loads: the entry (index.html's scripts and their static imports), and for each page the
 * entry with the page's route chunk and its static imports. A page is a lazy chunk of a page module
 * (src/pages/ in Vite's manifest), or, without a manifest, any lazy chunk.
 */
function measure(dir) {
  const index = path.join(dir, 'index.html');
  if (!fs.existsSync(index))
    throw new Error(`no ${path.relative(root, index) || index}: build the console first (npm run build)`);
  const closure = reader(dir);
  const entryPaths = firstLoadScripts(fs.readFileSync(index, 'utf8')).map(
    (src) => new URL(src, 'http://console/').pathname,
  );
  const entry = closure(entryPaths);
  const sources = sourcesOf(dir);
  const routes = [...new Set(entry.flatMap((file) => file.lazy))].filter((urlPath) => {
    const source = sources?.get(urlPath.slice(1));
    return sources ? /(^|\/)pages\/[^/]+$/.test(source ?? '') : true;
  });
  const pages = routes
    .map((urlPath) => {
      const source = sources?.get(urlPath.slice(1));
      const name = source ? path.basename(source).replace(/\.\w+$/, '') : path.basename(urlPath).replace(/\.m?js$/, '');
      return { name, files: closure([...entryPaths, urlPath]) };
    })
    .filter((page) => page.files.length > entry.length)
    .sort((a, b) => a.name.localeCompare(b.name));
  return { entry, pages };
}

const gzippedOf = (files) => files.reduce((sum, f) => sum + f.gzipped, 0);
const kb = (bytes) => `${(bytes / KB).toFixed(1)} kB`;

/** Each page's first-load JavaScript against the budget. */
function firstLoadJavaScript({ dir, budgetKb }) {
  const { entry, pages } = measure(dir);
  const lines = ['  entry (every page loads it):'];
  lines.push(...entry.map((f) => `    ${f.file}: ${kb(f.bytes)}, ${kb(f.gzipped)} gzipped`));
  lines.push(`  first-load JavaScript: ${kb(gzippedOf(entry))} gzipped (the entry alone)`);
  let largest = { name: 'the entry', gzipped: gzippedOf(entry) };
  for (const page of pages) {
    const gzipped = gzippedOf(page.files);
    const own = page.files.slice(entry.length).map((f) => f.file);
    lines.push(`  first load at ${page.name}: ${kb(gzipped)} gzipped, ${page.files.length} files (+ ${own.join(' ')})`);
    if (gzipped > largest.gzipped) largest = { name: page.name, gzipped };
  }
  const ok = largest.gzipped <= budgetKb * KB;
  lines.push(
    `  largest first load: ${kb(largest.gzipped)} gzipped (${largest.name}) of a ${budgetKb} kB budget: ${ok ? 'within' : 'OVER'} budget`,
  );
  return { title: 'First-load JavaScript per page (gzip)', lines, ok };
}

/** Where the browser tests record axe-core's results, one file per test file. */
const AXE_DIR = path.join(root, 'test-artifacts', 'console', 'axe');

/** axe-core's results as the last browser tests recorded them; none recorded is said, not a failure. */
function accessibility({ axeDir }) {
  const title = `Accessibility (axe-core, recorded by the browser tests in ${path.relative(root, axeDir) || axeDir})`;
  const files = fs.existsSync(axeDir)
    ? fs
        .readdirSync(axeDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  if (files.length === 0) return { title, lines: ['  no results recorded: run npx jest test/console'], ok: true };
  const lines = [];
  let serious = 0;
  for (const file of files) {
    const recorded = JSON.parse(fs.readFileSync(path.join(axeDir, file), 'utf8'));
    lines.push(`  ${recorded.spec} (${recorded.at}):`);
    for (const check of recorded.checks) {
      serious += check.serious.length;
      const rules = check.serious.map((v) => `${v.id} (${v.impact})`).join(', ');
      lines.push(
        `    ${check.language} ${check.path}: ${check.serious.length} serious or critical${rules ? `: ${rules}` : ''}, ` +
          `${check.others.length ? `others: ${check.others.join(', ')}` : 'no others'}, ${check.passes} rules passed`,
      );
    }
  }
  lines.push(`  serious or critical violations: ${serious}`);
  return { title, lines, ok: serious === 0 };
}

/** The report's checks, each `({ dir, budgetKb, axeDir }) => { title, lines, ok }` (or a promise of it). */
const CHECKS = [firstLoadJavaScript, accessibility];

async function main(argv) {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, 'budget-kb': { type: 'string' }, 'axe-dir': { type: 'string' } },
  });
  const dir = path.resolve(root, values.dir ?? process.env.CONSOLE_DIR ?? 'dist/console');
  const budgetKb = Number(values['budget-kb'] ?? DEFAULT_BUDGET_KB);
  if (!(budgetKb > 0)) throw new Error(`--budget-kb must be a positive number (got "${values['budget-kb']}")`);
  const axeDir = path.resolve(root, values['axe-dir'] ?? AXE_DIR);
  let ok = true;
  for (const check of CHECKS) {
    const result = await check({ dir, budgetKb, axeDir });
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

module.exports = { firstLoadScripts, staticImports, lazyImports, measure, CHECKS };
