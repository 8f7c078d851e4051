import { costExplorerSandbox } from './enrichers/cost-explorer/sandbox';
import { cloudwatchSandbox } from './enrichers/cloudwatch/sandbox';
import { jiraAssetsSandbox } from './sinks/jira-assets/sandbox';
import { servicenowSandbox } from './sinks/servicenow/sandbox';
import { mlflowSandbox } from './sources/mlflow/sandbox';
import { sageMakerSandbox } from './sources/sagemaker/sandbox';
import { wandbSandbox } from './sources/wandb/sandbox';

/**
 * The sandbox `npm start` shows: every connector's emulator, seeded, by the
 * name the demo and the tests use. Beside the registry (connectors/index.ts),
 * it is the one place that lists connectors for the sandbox; src/sandbox
 * composes whatever it is given. The order is the config's order.
 */
export const sandboxParts = {
  mlflow: mlflowSandbox,
  wandb: wandbSandbox,
  sagemaker: sageMakerSandbox,
  cloudwatch: cloudwatchSandbox,
  costExplorer: costExplorerSandbox,
  servicenow: servicenowSandbox,
  jiraAssets: jiraAssetsSandbox,
};
