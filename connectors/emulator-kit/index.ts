export * from './server';
export * from './faults';
export * from './rate-limit';
export type { ChaosOptions } from './chaos';
export * from './hosted';
