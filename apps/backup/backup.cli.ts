// `npm run backup -- --to <dir>`: a consistent copy of KUDAK_DATA_DIR while Kudak runs.
import { parseArgs } from 'node:util';
import { KudakConfig } from '@kudak/config';
import { backupDataDir } from './backup';
import { runCli } from './cli';

const USAGE = 'usage: npm run backup -- --to <new or empty folder>';

runCli('backup', USAGE, async () => {
  const { values } = parseArgs({ options: { to: { type: 'string' } }, strict: true });
  if (!values.to) return 'usage';
  const config = KudakConfig.fromEnvironment();
  const log = (line: string) => console.log(`[backup] ${line}`);
  log(`backing up ${config.dataDir} into ${values.to}`);
  const manifest = await backupDataDir(config, values.to, log);
  const bytes = manifest.files.reduce((sum, f) => sum + f.bytes, 0);
  log(`done: ${manifest.files.length} file(s), ${bytes} bytes, SHA-256s in ${values.to}/manifest.json`);
});
