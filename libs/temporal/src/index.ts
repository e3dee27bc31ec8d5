export * from './bounded-calls';
export * from './dev-server-args';
export * from './temporal-binaries';
export * from './temporal-connection';
export * from './temporal-client.module';
export * from './workflow-bundle';
