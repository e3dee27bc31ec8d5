// `npm run restore -- --from <dir> [--overwrite]`: a backup back into KUDAK_DATA_DIR, Kudak stopped.
import { parseArgs } from 'node:util';
import { KudakConfig } from '@kudak/config';
import { runCli } from './cli';
import { restoreDataDir } from './restore';

const USAGE = 'usage: npm run restore -- --from <backup folder> [--overwrite]';

runCli('restore', USAGE, async () => {
  const { values } = parseArgs({
    options: { from: { type: 'string' }, overwrite: { type: 'boolean', default: false } },
    strict: true,
  });
  if (!values.from) return 'usage';
  const config = KudakConfig.fromEnvironment();
  const log = (line: string) => console.log(`[restore] ${line}`);
  restoreDataDir(config, values.from, { overwrite: values.overwrite ?? false }, log);
  log('done: start Kudak (npm start) on it');
});
