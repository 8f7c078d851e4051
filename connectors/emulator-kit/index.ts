export * from './server';
export * from './faults';
export * from './rate-limit';
export type { ChaosOptions } from './chaos';
export * from './hosted';
export type { RoundTripShape } from './round-trips';
