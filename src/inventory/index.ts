export * from './item';
export * from './validate';
export * from './hash';
export * from './title';
