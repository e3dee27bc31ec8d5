import { KUDAK_SEARCH_ATTRIBUTES, SEARCH_ATTRIBUTE_CLI_TYPES } from '@kudak/contracts';

/**
 * A workflow task's completion hands the activities it schedules straight back to the worker (the
 * SDK asks for it by default; the server needs this switch): no trip through the task queue for a
 * decision's record. The tests' dev server takes the same arguments.
 */
export const EAGER_ACTIVITIES_ARGS = ['--dynamic-config-value', 'system.enableActivityEagerExecution=true'];

export interface DevServerSettings {
  ip: string;
  port: number;
  /** The Web UI's port; undefined runs the server without it (`--headless`). */
  uiPort?: number;
  namespace: string;
  /** The SQLite file that keeps the server's state across restarts. */
  dbFile: string;
}

/**
 * `temporal server start-dev`'s arguments for the embedded default: its state in a SQLite file in
 * WAL mode (so a killed server loses nothing it acknowledged), eager activities, and Kudak's search
 * attributes.
 */
export function devServerArgs({ ip, port, uiPort, namespace, dbFile }: DevServerSettings): string[] {
  return [
    'server',
    'start-dev',
    '--ip',
    ip,
    '--port',
    String(port),
    ...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]),
    '--namespace',
    namespace,
    '--db-filename',
    dbFile,
    '--sqlite-pragma',
    'journal_mode=wal',
    '--log-level',
    'error',
    ...EAGER_ACTIVITIES_ARGS,
    ...KUDAK_SEARCH_ATTRIBUTES.flatMap((key) => [
      '--search-attribute',
      `${key.name}=${SEARCH_ATTRIBUTE_CLI_TYPES[key.type]}`,
    ]),
  ];
}
