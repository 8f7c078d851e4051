import type { SinkFactory } from '../../../src/engine/connector';
import { jiraAssetsConfigSchema, type JiraAssetsConfig } from './config';

export type { JiraAssetsConfig } from './config';

export const jiraAssetsSink: SinkFactory<JiraAssetsConfig> = {
  role: 'sink',
  type: 'jira-assets',
  schema: jiraAssetsConfigSchema,
  defaultMapping: 'jira-assets',
  // The implementation is loaded when a config uses it: a run loads the connectors it syncs with, no others.
  create: (config, mapping, deps) => new (require('./sink') as typeof import('./sink')).JiraAssetsSink(config, mapping, deps),
};
