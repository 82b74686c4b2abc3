/**
 * The test organization in moto, created before the stacks apply: the management stack's
 * delegated-administrator calls need AWS Organizations in use, and moto checks the admin account
 * is a member of it.
 */

/** Credentials moto issued, which name their account (moto maps access keys to accounts). */
export interface MotoCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * An Authorization header moto accepts: moto does not check signatures, it reads the access key
 * (to pick the account) and the credential scope (to pick the service) from it.
 */
function authorization(accessKeyId: string, region: string, service: string): string {
  const date = new Date().toISOString().slice(0, 10).replace(/-/g, '');
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`;
}

/** One JSON-1.1 (X-Amz-Target) call to moto; throws with AWS's error type and message. */
export async function motoJsonCall(
  motoUrl: string,
  call: { service: string; target: string; accessKeyId: string; region: string; body?: unknown },
): Promise<any> {
  const response = await fetch(`${motoUrl}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': call.target,
      authorization: authorization(call.accessKeyId, call.region, call.service),
    },
    body: JSON.stringify(call.body ?? {}),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${call.target} failed at moto (${response.status}): ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : {};
}

/** One query-protocol call to moto (STS, IAM, SQS, SNS …); returns the XML text. */
export async function motoQueryCall(
  motoUrl: string,
  call: { service: string; action: string; version: string; accessKeyId: string; region: string; params?: Record<string, string> },
): Promise<string> {
  const form = new URLSearchParams({ Action: call.action, Version: call.version, ...(call.params ?? {}) });
  const response = await fetch(`${motoUrl}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: authorization(call.accessKeyId, call.region, call.service),
    },
    body: form.toString(),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${call.action} failed at moto (${response.status}): ${text.slice(0, 300)}`);
  return text;
}

function xmlValue(xml: string, tag: string): string {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (!match) throw new Error(`moto's answer has no <${tag}>: ${xml.slice(0, 300)}`);
  return match[1];
}

/** moto STS AssumeRole: the credentials are of the role's account, as at AWS. */
export async function assumeRole(motoUrl: string, roleArn: string, sessionName = 'emulator'): Promise<MotoCredentials> {
  const xml = await motoQueryCall(motoUrl, {
    service: 'sts',
    action: 'AssumeRole',
    version: '2011-06-15',
    accessKeyId: 'test',
    region: 'us-east-1',
    params: { RoleArn: roleArn, RoleSessionName: sessionName },
  });
  return {
    accessKeyId: xmlValue(xml, 'AccessKeyId'),
    secretAccessKey: xmlValue(xml, 'SecretAccessKey'),
    sessionToken: xmlValue(xml, 'SessionToken'),
  };
}

/** The account moto attributes an access key to (STS GetCallerIdentity with that key). */
export async function accountOfAccessKey(motoUrl: string, accessKeyId: string): Promise<string> {
  const xml = await motoQueryCall(motoUrl, { service: 'sts', action: 'GetCallerIdentity', version: '2011-06-15', accessKeyId, region: 'us-east-1' });
  return xmlValue(xml, 'Account');
}

export interface TestOrganizationAccount {
  readonly id: string;
  readonly name: string;
}

export interface TestOrganizationOptions {
  readonly managementAccountId: string;
  /** Created in order; moto must have been started with these ids as `accountIds`. */
  readonly memberAccounts: readonly TestOrganizationAccount[];
  /** The role the stacks assume (the management account's session uses it too). */
  readonly roleName: string;
  readonly region: string;
}

export interface TestOrganization {
  readonly id: string;
  readonly rootId: string;
  readonly accountIds: readonly string[];
}

/**
 * CreateOrganization (feature set ALL) as the management account, then CreateAccount for each
 * member. The ids moto hands out must be the requested ones, or the stacks' allowed_account_ids
 * and admin-account ids would name accounts outside the organization.
 */
export async function createTestOrganization(motoUrl: string, options: TestOrganizationOptions): Promise<TestOrganization> {
  const management = await assumeRole(motoUrl, `arn:aws:iam::${options.managementAccountId}:role/${options.roleName}`);
  const account = await accountOfAccessKey(motoUrl, management.accessKeyId);
  if (account !== options.managementAccountId) {
    throw new Error(`moto STS gave credentials of ${account}, not of the management account ${options.managementAccountId}`);
  }
  const call = (target: string, body?: unknown) =>
    motoJsonCall(motoUrl, {
      service: 'organizations',
      target: `AWSOrganizationsV20161128.${target}`,
      accessKeyId: management.accessKeyId,
      region: options.region,
      body,
    });
  const created = await call('CreateOrganization', { FeatureSet: 'ALL' });
  for (const member of options.memberAccounts) {
    const answer = await call('CreateAccount', { AccountName: member.name, Email: `${member.name}@example.com` });
    const id = answer.CreateAccountStatus?.AccountId;
    if (id !== member.id) {
      throw new Error(
        `CreateAccount for ${member.name} gave ${id}, not ${member.id}: start moto with accountIds [${options.memberAccounts.map((m) => m.id).join(', ')}]`,
      );
    }
  }
  const roots = await call('ListRoots');
  const listed = await call('ListAccounts');
  return {
    id: created.Organization.Id,
    rootId: roots.Roots[0].Id,
    accountIds: (listed.Accounts as Array<{ Id: string }>).map((a) => a.Id).sort(),
  };
}
