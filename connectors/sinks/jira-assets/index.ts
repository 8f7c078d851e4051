import type { SinkFactory } from '../../../src/engine/connector';
import { jiraAssetsConfigSchema, type JiraAssetsConfig } from './config';
import { JiraAssetsSink } from './sink';

export type { JiraAssetsConfig } from './config';

export const jiraAssetsSink: SinkFactory<JiraAssetsConfig> = {
  role: 'sink',
  type: 'jira-assets',
  schema: jiraAssetsConfigSchema,
  defaultMapping: 'jira-assets',
  create: (config, mapping, deps) => new JiraAssetsSink(config, mapping, deps),
};
