import * as fs from 'node:fs';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { KudakConfig } from '@kudak/config';
import { temporalConnectionOptions, workflowBundleOptions } from '@kudak/temporal';
import { KUDAK_ACTIVITIES } from '../../activities/activities.module';

/** Hosts the Temporal Worker inside the Nest application context. */
@Injectable()
export class TemporalWorkerService implements BeforeApplicationShutdown {
  private readonly logger = new Logger(TemporalWorkerService.name);
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    private readonly config: KudakConfig,
    @Inject(KUDAK_ACTIVITIES) private readonly activities: WorkerOptions['activities'],
  ) {}

  /** The bundle built by `npm run build` (production, WORKFLOW_BUNDLE_PATH set), else bundles at start. */
  private workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> {
    if (this.config.usePrebuiltWorkflowBundle) {
      if (!fs.existsSync(this.config.workflowBundlePath)) {
        throw new Error(`Workflow bundle not found at ${this.config.workflowBundlePath}: run \`npm run build\``);
      }
      return { workflowBundle: { codePath: this.config.workflowBundlePath } };
    }
    const { workflowsPath, webpackConfigHook } = workflowBundleOptions();
    return { workflowsPath, bundlerOptions: { webpackConfigHook } };
  }

  /** Connects, creates the worker (bundling fails loudly) and runs until shutdown. */
  async run(): Promise<void> {
    const { temporal } = this.config;
    const connection = await NativeConnection.connect(temporalConnectionOptions(temporal));
    try {
      this.worker = await Worker.create({
        connection,
        namespace: temporal.namespace,
        taskQueue: temporal.taskQueue,
        activities: this.activities,
        // notify heartbeats each SMTP acceptance so that a retry does not send the message again:
        // send it to Temporal within a second rather than the default 30.
        defaultHeartbeatThrottleInterval: '1 second',
        ...this.workflowSource(),
      });
      this.logger.log(`Worker polling ${temporal.address} namespace=${temporal.namespace} queue=${temporal.taskQueue}`);
      this.running = this.worker.run();
      await this.running;
    } finally {
      await connection.close();
    }
  }

  /** Whether the worker runs (polls its task queue): bundling and connecting are done. */
  isRunning(): boolean {
    return this.worker?.getState() === 'RUNNING';
  }

  /** Nest's shutdown hook: let in-flight tasks finish, then wait for run() to return. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
  }
}
