export * from './task-queues';
export * from './workflow-ids';
export * from './candidacy.types';
export * from './candidacy.messages';
export * from './search-attributes';
