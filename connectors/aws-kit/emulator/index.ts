export * from './identities';
export * from './service-emulator';
export * from './sigv4';
export * from './signature-check';
