export * from './records';
export { ScopeStore } from './store';
export { SageMakerEmulator, type SageMakerEmulatorOptions } from './sagemaker-emulator';
