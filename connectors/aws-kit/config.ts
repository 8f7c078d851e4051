import { z } from 'zod';
import { httpOptionsSchema, httpUrl } from '../../src/config/common';

/*
 * Config pieces every AWS connector shares: which accounts and regions to
 * read, with which credentials, through which endpoint. A connector spreads
 * `awsConnectionShape` into its own strictObject and adds `awsScopesRefinement`.
 */

export const awsRegion = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/, 'an AWS region such as us-east-1');
// YAML reads an unquoted id as a number and drops its leading zeros, so only a string is an account id.
const ACCOUNT_ID = 'a 12-digit AWS account id, in quotes ("012345678901") so YAML keeps leading zeros';
export const awsAccountId = z.string({ error: ACCOUNT_ID }).regex(/^\d{12}$/, ACCOUNT_ID);
const roleArn = z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/, 'an IAM role ARN such as arn:aws:iam::123456789012:role/masync-reader');

/** Static credentials; write them as `${ENV}` references, never literally. */
export const awsCredentialsSchema = z.strictObject({
  accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/, 'an access key id (AKIA… or ASIA…)'),
  secretAccessKey: z.string().min(1),
  sessionToken: z.string().min(1).optional(),
});

export const awsAccountSchema = z.strictObject({
  id: awsAccountId,
  /** Role masync assumes in this account (with the base credentials); absent: the base credentials belong to it. */
  roleArn: roleArn.optional(),
  /** The ExternalId the role's trust policy requires. */
  externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/, 'an ExternalId of 2–1224 characters').optional(),
  /** Regions to read in this account; defaults to the top-level `regions`. */
  regions: z.array(awsRegion).min(1).optional(),
});

// httpUrl refuses credentials in the URL: they belong under `credentials`, where the redactor knows them.
const endpointUrl = httpUrl;

export const awsConnectionShape = {
  accounts: z.array(awsAccountSchema).min(1, 'at least one account'),
  /** Default regions for accounts that list none. */
  regions: z.array(awsRegion).min(1).optional(),
  /** Absent: the standard AWS provider chain (environment, shared config and SSO profiles, web identity, ECS/EC2 roles). */
  credentials: awsCredentialsSchema.optional(),
  /** One URL for every AWS call of this connector (STS included), e.g. a local emulator or a VPC endpoint proxy. */
  endpoint: endpointUrl.optional(),
  http: httpOptionsSchema,
};

export type AwsCredentials = z.output<typeof awsCredentialsSchema>;
export type AwsAccount = z.output<typeof awsAccountSchema>;

/** The parsed shape of `awsConnectionShape`. */
export interface AwsConnection {
  accounts: AwsAccount[];
  regions?: string[];
  credentials?: AwsCredentials;
  endpoint?: string;
}

/** Every account has regions, no account or region repeats, and a role lives in the account it reads. */
export function awsScopesRefinement(cfg: AwsConnection, ctx: z.RefinementCtx): void {
  awsAccountsRefinement(cfg, ctx);
  cfg.accounts.forEach((account, i) => {
    const regions = account.regions ?? cfg.regions;
    if (!regions) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'regions'], message: 'regions for this account (or a top-level regions list)' });
    else if (new Set(regions).size !== regions.length) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'regions'], message: 'each region once' });
  });
}

/**
 * No account repeats, and a role lives in the account it reads. For
 * connectors that learn their regions from the items (the enrichers).
 */
export function awsAccountsRefinement(cfg: AwsConnection, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  cfg.accounts.forEach((account, i) => {
    if (seen.has(account.id)) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'id'], message: `account ${account.id} is listed twice` });
    seen.add(account.id);
    const roleAccount = account.roleArn?.split(':')[4];
    if (roleAccount && roleAccount !== account.id) {
      ctx.addIssue({ code: 'custom', path: ['accounts', i, 'roleArn'], message: `a role in account ${account.id} (this one is in ${roleAccount}; items are keyed by the account they are read from)` });
    }
    if (account.externalId && !account.roleArn) ctx.addIssue({ code: 'custom', path: ['accounts', i, 'externalId'], message: 'an externalId only together with roleArn' });
  });
}
