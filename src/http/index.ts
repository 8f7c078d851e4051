export * from './client';
export * from './auth';
export * from './redact';
export * from './retry';
export * from './options';
