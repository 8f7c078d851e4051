import type { Registry } from '../src/app/runtime';
import { cloudwatchEnricher } from './enrichers/cloudwatch';
import { costExplorerEnricher } from './enrichers/cost-explorer';
import { jiraAssetsSink } from './sinks/jira-assets';
import { servicenowSink } from './sinks/servicenow';
import { mlflowSource } from './sources/mlflow';
import { sageMakerSource } from './sources/sagemaker';
import { wandbSource } from './sources/wandb';

/**
 * Every connector type masync knows, keyed by the `type` in config. Adding a
 * connector is adding its folder and one line here.
 */
export const registry: Registry = {
  sources: [mlflowSource, sageMakerSource, wandbSource],
  sinks: [servicenowSink, jiraAssetsSink],
  enrichers: [cloudwatchEnricher, costExplorerEnricher],
};
