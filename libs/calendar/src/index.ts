export * from './instant-format';
