import { randomBytes } from 'node:crypto';
import type { EmuRequest } from '../../emulator-kit';
import { parseSigV4, verifySigV4 } from './sigv4';

/** Who signed a request, and the account every resource it touches belongs to. */
export interface AwsPrincipal {
  account: string;
  arn: string;
}

/** An AWS error as a service states it; each protocol renders it its own way. */
export class AwsFault extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** Temporary credentials issued by AssumeRole. */
export interface IssuedCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: Date;
  principal: AwsPrincipal;
}

interface KeyPair {
  secretAccessKey: string;
  principal: AwsPrincipal;
  sessionToken?: string;
  expiresAt?: number;
}

interface Role {
  arn: string;
  account: string;
  name: string;
  externalId?: string;
  /** Accounts whose principals may assume it. */
  trusted?: string[];
}

/** Authenticated caller of one request: the principal, and the region and service of its credential scope. */
export interface AwsCaller {
  principal: AwsPrincipal;
  region: string;
  service: string;
}

/**
 * The IAM side of the AWS emulators, shared by every emulator of a sandbox or
 * test: access keys and the account each belongs to, roles and who may assume
 * them, the temporary credentials AssumeRole issued, and actions denied per
 * account (and region). Requests are authenticated by their SigV4 signature.
 */
export class AwsIdentities {
  private readonly keys = new Map<string, KeyPair>();
  private readonly roles = new Map<string, Role>();
  private readonly denied = new Set<string>();

  /** Long-term credentials of an IAM user in `account`. */
  addUser(user: { account: string; accessKeyId: string; secretAccessKey: string; name?: string }): void {
    const arn = `arn:aws:iam::${user.account}:user/${user.name ?? 'masync'}`;
    this.keys.set(user.accessKeyId, { secretAccessKey: user.secretAccessKey, principal: { account: user.account, arn } });
  }

  /** A role others may assume; any principal may unless `trusted` lists accounts. */
  addRole(role: { arn: string; externalId?: string; trusted?: string[] }): void {
    const m = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(role.arn);
    if (!m) throw new Error(`not a role ARN: ${role.arn}`);
    this.roles.set(role.arn, { ...role, account: m[1] as string, name: m[2] as string });
  }

  /** Deny an IAM action (`sagemaker:ListEndpoints`, `sagemaker:*`, `sts:AssumeRole`) to every principal of an account, in one region or all. */
  deny(account: string, action: string, region?: string): void {
    this.denied.add(`${account}|${region ?? '*'}|${action}`);
  }

  allowAll(): void {
    this.denied.clear();
  }

  /** Makes every issued session expire now, as if an hour had passed. */
  expireSessions(): void {
    for (const k of this.keys.values()) if (k.expiresAt !== undefined) k.expiresAt = 0;
  }

  authorize(principal: AwsPrincipal, action: string, region: string): void {
    const service = action.split(':')[0];
    for (const r of [region, '*']) {
      for (const a of [action, `${service}:*`]) {
        if (this.denied.has(`${principal.account}|${r}|${a}`)) {
          throw new AwsFault('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: ${action} because no identity-based policy allows the ${action} action`);
        }
      }
    }
  }

  /** The caller of a signed request, or the fault AWS answers with. */
  authenticate(req: EmuRequest, service: string): AwsCaller {
    const header = req.headers.authorization;
    if (!header) throw new AwsFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
    const auth = parseSigV4(header);
    if (!auth) throw new AwsFault('IncompleteSignatureException', 'Authorization header requires a SigV4 Credential, SignedHeaders and Signature.');
    if (auth.service !== service) throw new AwsFault('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'.`);
    const key = this.keys.get(auth.accessKeyId);
    const token = req.headers['x-amz-security-token'];
    if (!key || key.sessionToken !== (typeof token === 'string' ? token : undefined)) {
      throw new AwsFault('UnrecognizedClientException', 'The security token included in the request is invalid.');
    }
    if (key.expiresAt !== undefined && key.expiresAt <= Date.now()) throw new AwsFault('ExpiredTokenException', 'The security token included in the request is expired');
    if (!verifySigV4(req, auth, key.secretAccessKey)) {
      throw new AwsFault(
        'InvalidSignatureException',
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      );
    }
    return { principal: key.principal, region: auth.region, service: auth.service };
  }

  /** STS AssumeRole: temporary credentials that belong to the role's account. */
  assumeRole(caller: AwsPrincipal, req: { roleArn: string; sessionName: string; externalId?: string; durationSeconds: number }): IssuedCredentials {
    const role = this.roles.get(req.roleArn);
    const trusted = role && (!role.trusted || role.trusted.includes(caller.account)) && role.externalId === req.externalId;
    if (!role || !trusted) throw new AwsFault('AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${req.roleArn}`, 403);
    const accessKeyId = `ASIA${randomId(16)}`;
    const issued: IssuedCredentials = {
      accessKeyId,
      secretAccessKey: randomBytes(30).toString('base64'),
      sessionToken: randomBytes(96).toString('base64'),
      expiration: new Date(Math.floor(Date.now() / 1000) * 1000 + req.durationSeconds * 1000),
      principal: { account: role.account, arn: `arn:aws:sts::${role.account}:assumed-role/${role.name}/${req.sessionName}` },
    };
    this.keys.set(accessKeyId, { secretAccessKey: issued.secretAccessKey, sessionToken: issued.sessionToken, expiresAt: issued.expiration.getTime(), principal: issued.principal });
    return issued;
  }
}

function randomId(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...randomBytes(length)].map((b) => alphabet[b % alphabet.length]).join('');
}
