import type { AwsConnection } from './config';

/** One account in one region: what an AWS connector reads, and may fail to read, on its own. */
export interface AwsScope {
  /** `<account>/<region>`, as `Source.scopeOfKey` and `SourceContext.scopeFailed` name it. */
  id: string;
  account: string;
  region: string;
}

export function scopeId(account: string, region: string): string {
  return `${account}/${region}`;
}

/** Every account × region of a connection, in config order. */
export function awsScopes(cfg: AwsConnection): AwsScope[] {
  return cfg.accounts.flatMap((a) => (a.regions ?? cfg.regions ?? []).map((region) => ({ id: scopeId(a.id, region), account: a.id, region })));
}
