import type { AwsScope } from '../../aws-kit';

/** What mapping needs besides the wire records; fixed for one scope of one read. */
export interface MapSettings {
  source: string;
  scope: AwsScope;
  ownerTag: string;
  costCenterTag: string;
  observedAt: string;
}

export function firstOf(...values: Array<string | undefined>): string | undefined {
  return values.find((v) => v !== undefined && v !== '');
}

/** Leaves out absent optional fields so items compare and hash the same however they were built. */
export function drop<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The AWS console page of an endpoint, in the standard partition (China, GovCloud and ISO consoles live elsewhere). */
export function consoleLinks(region: string, endpoint: string): Record<string, string> {
  if (/^(cn-|us-gov-|us-iso)/.test(region)) return {};
  return { console: `https://${region}.console.aws.amazon.com/sagemaker/home?region=${region}#/endpoints/${encodeURIComponent(endpoint)}` };
}
