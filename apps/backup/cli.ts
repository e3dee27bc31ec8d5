/**
 * Runs a command-line tool: exit 0 when it finishes, 2 with the usage for bad arguments (or when it
 * returns 'usage'), 1 with the message for any other failure.
 */
export function runCli(name: string, usage: string, main: () => Promise<void | 'usage'>): void {
  main().then(
    (outcome) => {
      if (outcome === 'usage') {
        console.error(usage);
        process.exit(2);
      }
    },
    (err: unknown) => {
      const code = (err as { code?: unknown } | null)?.code;
      if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
        console.error(`${(err as Error).message}\n${usage}`);
        process.exit(2);
      }
      console.error(`[${name}] failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
