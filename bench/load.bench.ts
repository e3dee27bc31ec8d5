// Load benchmark: Kudak through its HTTP API, as `npm start` runs it (the dev server on its SQLite
// file, the worker and the API each their own process, from dist/), against bare Temporal on the
// same server, measured interleaved in the same run (a bare worker in this process, updates sent
// straight to its workflows). Run with `npm run bench:load -- [options]`:
//
//   --cities N         cities whose 15 district plans are submitted and approved (default 8): half
//                      at concurrency 1, half at concurrency 16
//   --open 10,100,1000 open candidacies at which /me/tasks, the list and the worker's memory are read
//   --short            CI's form: 2 cities, 10 and 100 open candidacies
//   --temporal H:P     an already running Temporal (a cluster) instead of a dev server of its own
//   --direct           also sends each city's decisions to a twin city as Updates straight to its
//                      district workflows (no API), in a third interleaved batch: the API's share
//   --pause MS         waits MS before each decision, untimed (default 0: back to back), so the
//                      previous decision's effects (its activities, the candidacy's task) have run:
//                      the decision's own path, apart from the effects' CPU
//   --floor            also sends each city's bare updates to stand-ins that schedule one activity
//                      per update, in a fourth interleaved batch: the least a workflow that records
//                      its decisions through activities costs, against bare
//   --shape            also sends each city's decisions as Updates to Kudak's district workflows run
//                      by this process's worker (beside the bare one) with no-op activities, in a
//                      fifth interleaved batch: what the workflow's shape costs (its tasks, timers,
//                      memo and signal), apart from the API, the activities' work and the worker's process
//
// Prints starts per second, decision latency p50/p95/p99 and CPU per decision at concurrency 1 and
// 16, /me/tasks and list latency per number of open candidacies, and the worker's RSS per open
// candidacy, each with its ratio to bare Temporal. Goal (issue 11): decision p50 within 1.5x and
// p99 within 3x of a bare executeUpdate at concurrency 1 and 16.
import '../test/support/quiet-temporal-runtime';
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { ACTIVITY_NAMES } from '@kudak/contracts';
import { ProcessStack } from '../test/support/process-stack';
import { workflowsFromSource } from '../test/support/workflow-bundle';
import { rssMiB } from './support/process-usage';
import { percentile, printTable, runPooled, timed, type Row } from './support/latency';
import { parseLoadOptions } from './support/load-options';
import {
  CPU_SOURCES,
  DISTRICTS,
  FLOOR_DISTRICT,
  LoadBench,
  START_CONCURRENCY,
  type CpuSource,
} from './support/load-bench';

async function main(): Promise<void> {
  const options = parseLoadOptions(process.argv.slice(2));
  const wallStarted = Date.now();
  const stack = await ProcessStack.start({ name: 'bench-load', temporalAddress: options.temporal });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  const client = new Client({ connection });
  const bareQueue = `bench-bare-${randomUUID()}`;
  const bareConnection = await NativeConnection.connect({ address: stack.temporalAddress });
  const bareWorker = await Worker.create({
    connection: bareConnection,
    taskQueue: bareQueue,
    ...workflowsFromSource(path.join(__dirname, 'fixtures', 'bare-workflows')),
    activities: { noop: async () => undefined },
  });
  // --shape: Kudak's workflows (the bundle `npm run build` made) beside the bare ones, their
  // activities no-ops, so that only the workflow's shape differs from the floor's.
  const shapeQueue = options.shape ? `bench-shape-${randomUUID()}` : undefined;
  const shapeWorker =
    shapeQueue &&
    (await Worker.create({
      connection: bareConnection,
      taskQueue: shapeQueue,
      workflowBundle: { codePath: path.join(__dirname, '..', 'workflow-bundle.js') },
      activities: Object.fromEntries(Object.values(ACTIVITY_NAMES).map((name) => [name, async () => ({})])),
    }));
  const bench = new LoadBench(stack, client, bareQueue, shapeQueue);
  const runWorkers = <T>(work: () => Promise<T>) =>
    bareWorker.runUntil(shapeWorker ? () => shapeWorker.runUntil(work) : work);
  try {
    await runWorkers(async () => {
      const cities = Array.from({ length: options.cities }, (_, i) => i);
      // Starts: the cities through the API, then as many bare workflows, then the rest of the bare
      // stand-ins (one per district) unmeasured.
      const kudakStartMs = await timed(() =>
        runPooled(
          cities.map((i) => () => bench.startCandidacy(bench.cityId(i))),
          START_CONCURRENCY,
        ),
      );
      const twins = options.direct ? cities.map((i) => bench.directCityId(i)) : [];
      await runPooled(
        twins.map((cityId) => () => bench.startCandidacy(cityId)),
        START_CONCURRENCY,
      );
      const bareStartMs = await timed(() =>
        runPooled(
          cities.map((i) => () => bench.startBare(bench.bareId(i, DISTRICTS[0]))),
          START_CONCURRENCY,
        ),
      );
      await runPooled(
        cities.flatMap((i) => DISTRICTS.slice(1).map((d) => () => bench.startBare(bench.bareId(i, d)))),
        START_CONCURRENCY,
      );
      if (options.floor) {
        await runPooled(
          cities.flatMap((i) =>
            DISTRICTS.map((d) => () => bench.startBare(bench.bareId(i, d, 'floor'), FLOOR_DISTRICT)),
          ),
          START_CONCURRENCY,
        );
      }
      if (options.shape)
        await runPooled(
          cities.map((i) => () => bench.startShape(i)),
          START_CONCURRENCY,
        );
      await runPooled(
        [...cities.map((i) => bench.cityId(i)), ...twins].map((cityId) => () => bench.openDistrictPlanning(cityId)),
        4,
      );

      const half = Math.floor(options.cities / 2);
      const one = await bench.decisions(cities.slice(0, half), 1, options);
      const sixteen = await bench.decisions(cities.slice(half), 16, options);

      const rows: Row[] = [
        [
          `starts per second (${options.cities} cities of 15 districts)`,
          options.cities / (kudakStartMs / 1000),
          options.cities / (bareStartMs / 1000),
        ],
      ];
      for (const [concurrency, { kudak, bare, direct, floor, shape }] of [
        [1, one],
        [16, sixteen],
      ] as const) {
        for (const p of [50, 95, 99]) {
          rows.push([
            `decision p${p} ms, concurrency ${concurrency}`,
            percentile(kudak.latencies, p),
            percentile(bare.latencies, p),
          ]);
        }
        const total = (cpu: Record<CpuSource, number>) => CPU_SOURCES.reduce((sum, source) => sum + cpu[source], 0);
        // A side's CPU and latencies against bare's, in rows under `label`.
        const sideRows = (label: string, side: typeof bare): Row[] => [
          [`  ${label} CPU ms, c${concurrency}`, total(side.cpuMs) / side.count, total(bare.cpuMs) / bare.count],
          ...[50, 95, 99].map((p): Row => [
            `  ${label} p${p} ms, c${concurrency}`,
            percentile(side.latencies, p),
            percentile(bare.latencies, p),
          ]),
        ];
        if (options.direct) {
          rows.push(...sideRows('Update straight to Kudak', direct));
          rows.push([`  failed straight Updates, concurrency ${concurrency}`, direct.failures.length, 0]);
        }
        // The floor's ratio is the least any design that records each decision by an activity pays.
        if (options.floor) rows.push(...sideRows('bare + an activity', floor));
        // Kudak's district workflow where the floor runs, its activities no-ops: its shape's cost.
        if (options.shape) rows.push(...sideRows('shape, no-op activities', shape));
        rows.push([
          `CPU ms per decision, concurrency ${concurrency}`,
          total(kudak.cpuMs) / kudak.count,
          total(bare.cpuMs) / bare.count,
        ]);
        for (const source of CPU_SOURCES) {
          // The bare side has no API and no worker process of its own: its worker runs in this one.
          rows.push([`  of which ${source}`, kudak.cpuMs[source] / kudak.count, bare.cpuMs[source] / bare.count]);
        }
        rows.push([`failed decisions, concurrency ${concurrency}`, kudak.failures.length, bare.failures.length]);
      }

      const memory: { open: number; rss?: number }[] = [];
      for (const open of options.open) {
        const starts = await bench.openUntil(open);
        if (starts.started >= 10) {
          rows.push([
            `starts per second (${starts.started} starts)`,
            starts.started / (starts.kudakMs / 1000),
            starts.started / (starts.bareMs / 1000),
          ]);
        }
        const { tasks, list, bare } = await bench.reads();
        for (const [name, route] of [
          ['/me/tasks', tasks],
          ['GET /candidacies', list],
        ] as const) {
          rows.push([`${name} p50 ms, ${open} open`, percentile(route.latencies, 50), percentile(bare, 50)]);
          rows.push([`${name} p95 ms, ${open} open`, percentile(route.latencies, 95), percentile(bare, 95)]);
          if (route.failed > 0)
            rows.push([`${name} failed (of ${route.failed + route.latencies.length})`, route.failed, 0]);
        }
        memory.push({ open, rss: rssMiB(stack.worker.pid) });
      }
      for (const { open, rss } of memory) rows.push([`worker RSS MiB, ${open} open`, rss ?? '-', '-']);
      const [first, last] = [memory[0], memory[memory.length - 1]];
      if (first.rss !== undefined && last.rss !== undefined && last.open > first.open) {
        const kib = ((last.rss - first.rss) * 1024) / (last.open - first.open);
        rows.push([`worker RSS KiB per open candidacy (${first.open}->${last.open})`, kib, '-']);
      }

      const samples = `${half * 30} and ${(options.cities - half) * 30} decisions`;
      printTable(
        `Kudak load benchmark: ${options.cities} cities x 15 districts (${samples} at concurrency 1 and 16), ` +
          `bare Temporal interleaved${options.pause ? `, ${options.pause} ms untimed before each decision` : ''}; ratio = kudak/bare`,
        rows,
      );
      const ratio = (c: typeof one, p: number) => percentile(c.kudak.latencies, p) / percentile(c.bare.latencies, p);
      for (const [concurrency, c] of [
        [1, one],
        [16, sixteen],
      ] as const) {
        const p50 = ratio(c, 50);
        const p99 = ratio(c, 99);
        console.log(
          `goal at concurrency ${concurrency}: p50 ${p50.toFixed(2)}x (within 1.5x: ${p50 <= 1.5 ? 'met' : 'NOT met'}), ` +
            `p99 ${p99.toFixed(2)}x (within 3x: ${p99 <= 3 ? 'met' : 'NOT met'})`,
        );
      }
      const failures = (['kudak', 'direct', 'bare', 'floor', 'shape'] as const).flatMap((side) =>
        [one, sixteen].flatMap((c) => c[side].failures),
      );
      for (const failure of new Set(
        failures.map((f) => f.replace(/bench-[0-9a-f]+-\d+/g, '<city>').replace(/\/d\d+\//, '/<d>/')),
      )) {
        console.log(`failed: ${failure}`);
      }
      console.log(`starts answered with a 503 and sent again: ${bench.startRetries}`);
      console.log(`wall time ${((Date.now() - wallStarted) / 1000).toFixed(0)} s`);
    });
  } finally {
    if (options.temporal) await bench.terminateAll();
    await connection.close();
    await bareConnection.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
