import type { SandboxPartFactory } from '../src/sandbox/part';
import type { MlflowSandboxPart } from './sources/mlflow/sandbox';
import type { SageMakerSandboxPart } from './sources/sagemaker/sandbox';
import type { JiraSandboxPart } from './sinks/jira-assets/sandbox';
import type { ServiceNowSandboxPart } from './sinks/servicenow/sandbox';

/** A part whose emulator code is loaded when the part is started, not when the list is read. */
function lazy<P extends Awaited<ReturnType<SandboxPartFactory>>>(load: () => SandboxPartFactory<P>): SandboxPartFactory<P> {
  return (opts) => load()(opts);
}

/**
 * The sandbox `npm start` shows: every connector's emulator, seeded, by the
 * name the demo and the tests use. Beside the registry (connectors/index.ts),
 * it is the one place that lists connectors for the sandbox; src/sandbox
 * composes whatever it is given. The order is the config's order. A command
 * that never starts the sandbox loads no emulator.
 */
export const sandboxParts = {
  mlflow: lazy<MlflowSandboxPart>(() => (require('./sources/mlflow/sandbox') as typeof import('./sources/mlflow/sandbox')).mlflowSandbox),
  wandb: lazy(() => (require('./sources/wandb/sandbox') as typeof import('./sources/wandb/sandbox')).wandbSandbox),
  sagemaker: lazy<SageMakerSandboxPart>(() => (require('./sources/sagemaker/sandbox') as typeof import('./sources/sagemaker/sandbox')).sageMakerSandbox),
  cloudwatch: lazy(() => (require('./enrichers/cloudwatch/sandbox') as typeof import('./enrichers/cloudwatch/sandbox')).cloudwatchSandbox),
  costExplorer: lazy(() => (require('./enrichers/cost-explorer/sandbox') as typeof import('./enrichers/cost-explorer/sandbox')).costExplorerSandbox),
  servicenow: lazy<ServiceNowSandboxPart>(() => (require('./sinks/servicenow/sandbox') as typeof import('./sinks/servicenow/sandbox')).servicenowSandbox),
  jiraAssets: lazy<JiraSandboxPart>(() => (require('./sinks/jira-assets/sandbox') as typeof import('./sinks/jira-assets/sandbox')).jiraAssetsSandbox),
};
