export * from './server';
export * from './faults';
export * from './rate-limit';
