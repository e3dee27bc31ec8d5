export * from './environment.variables';
export * from './kudak.config';
export * from './kudak-config.module';
export * from './project-root';
