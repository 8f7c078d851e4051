import type { Registry } from '../src/app/runtime';
import { jiraAssetsSink } from './sinks/jira-assets';
import { servicenowSink } from './sinks/servicenow';
import { mlflowSource } from './sources/mlflow';

/**
 * Every connector type masync knows, keyed by the `type` in config. Adding a
 * connector is adding its folder and one line here.
 */
export const registry: Registry = {
  sources: [mlflowSource],
  sinks: [servicenowSink, jiraAssetsSink],
  enrichers: [],
};
