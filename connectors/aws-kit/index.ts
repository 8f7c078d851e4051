export * from './config';
export * from './credentials';
export * from './errors';
export * from './scope';
export * from './sdk-config';
