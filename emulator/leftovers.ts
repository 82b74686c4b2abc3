import { assumeRole, motoJsonCall, motoQueryCall } from './organization';

/**
 * What the stacks could have left in moto after `terraform destroy`, read back per account and
 * region with the deployment role's own credentials: functions, queues, topics, EventBridge rules
 * and buses beyond the default bus, log groups, alarms, dashboards, Secrets Manager secrets not
 * scheduled for deletion, customer KMS keys not pending deletion and aliases, Glue databases, Athena
 * workgroups beyond primary and named queries, and (per account) IAM roles, customer policies and
 * S3 buckets. Each line names one leftover; none means the account is as the
 * organization created it.
 */
export async function motoLeftovers(motoUrl: string, accounts: ReadonlyArray<{ id: string; regions: readonly string[] }>, roleName: string): Promise<string[]> {
  const lines: string[] = [];
  for (const account of accounts) {
    const { accessKeyId } = await assumeRole(motoUrl, `arn:aws:iam::${account.id}:role/${roleName}`, 'emulator-leftovers');
    const query = (service: string, action: string, version: string, region: string, params?: Record<string, string>) =>
      motoQueryCall(motoUrl, { service, action, version, accessKeyId, region, params });
    const json = (service: string, target: string, region: string, body?: unknown) => motoJsonCall(motoUrl, { service, target, accessKeyId, region, body });
    const all = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<${tag}>([^<]*)</${tag}>`, 'g'))].map((m) => m[1]);

    // IAM is global: roles other than the one CreateAccount made (and the stacks assume).
    const roles = all(await query('iam', 'ListRoles', '2010-05-08', 'us-east-1'), 'RoleName').filter((r) => r !== roleName);
    lines.push(...roles.map((r) => `${account.id}: IAM role ${r}`));
    const policies = all(await query('iam', 'ListPolicies', '2010-05-08', 'us-east-1', { Scope: 'Local' }), 'PolicyName');
    lines.push(...policies.map((p) => `${account.id}: IAM policy ${p}`));

    // S3 buckets are listed per account (moto, like AWS, answers ListBuckets in any region).
    const buckets = await fetch(`${motoUrl}/`, {
      headers: { authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0` },
    }).then((r) => r.text());
    lines.push(...all(buckets, 'Name').map((b) => `${account.id}: S3 bucket ${b}`));

    for (const region of account.regions) {
      const where = `${account.id}/${region}`;
      const databases = (await json('glue', 'AWSGlue.GetDatabases', region)).DatabaseList as Array<{ Name: string }>;
      lines.push(...databases.map((d) => `${where}: Glue database ${d.Name}`));
      // Every account has the primary workgroup; its named queries and any other workgroup are leftovers.
      const workGroups = (await json('athena', 'AmazonAthena.ListWorkGroups', region)).WorkGroups as Array<{ Name: string }>;
      lines.push(...workGroups.filter((w) => w.Name !== 'primary').map((w) => `${where}: Athena workgroup ${w.Name}`));
      for (const workGroup of workGroups) {
        const queries = (await json('athena', 'AmazonAthena.ListNamedQueries', region, { WorkGroup: workGroup.Name })).NamedQueryIds as string[];
        lines.push(...queries.map((q) => `${where}: Athena named query ${q} (${workGroup.Name})`));
      }
      const functions = await fetch(`${motoUrl}/2015-03-31/functions/`, {
        headers: { authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20260101/${region}/lambda/aws4_request, SignedHeaders=host, Signature=0` },
      }).then((r) => r.json() as Promise<{ Functions: Array<{ FunctionName: string }> }>);
      lines.push(...functions.Functions.map((f) => `${where}: Lambda function ${f.FunctionName}`));
      lines.push(...all(await query('sqs', 'ListQueues', '2012-11-05', region), 'QueueUrl').map((q) => `${where}: SQS queue ${q}`));
      lines.push(...all(await query('sns', 'ListTopics', '2010-03-31', region), 'TopicArn').map((t) => `${where}: SNS topic ${t}`));
      const buses = (await json('events', 'AWSEvents.ListEventBuses', region)).EventBuses as Array<{ Name: string }>;
      lines.push(...buses.filter((b) => b.Name !== 'default').map((b) => `${where}: event bus ${b.Name}`));
      for (const bus of buses) {
        const rules = (await json('events', 'AWSEvents.ListRules', region, { EventBusName: bus.Name })).Rules as Array<{ Name: string }>;
        lines.push(...rules.map((r) => `${where}: EventBridge rule ${bus.Name}/${r.Name}`));
      }
      const groups = (await json('logs', 'Logs_20140328.DescribeLogGroups', region)).logGroups as Array<{ logGroupName: string }>;
      lines.push(...groups.map((g) => `${where}: log group ${g.logGroupName}`));
      lines.push(...all(await query('monitoring', 'DescribeAlarms', '2010-08-01', region), 'AlarmName').map((a) => `${where}: alarm ${a}`));
      lines.push(...all(await query('monitoring', 'ListDashboards', '2010-08-01', region), 'DashboardName').map((d) => `${where}: dashboard ${d}`));
      // A destroyed secret waits out its recovery window (ListSecrets leaves it out, as AWS does).
      const secrets = (await json('secretsmanager', 'secretsmanager.ListSecrets', region)).SecretList as Array<{ Name: string }>;
      lines.push(...secrets.map((x) => `${where}: secret ${x.Name}`));
      const keys = (await json('kms', 'TrentService.ListKeys', region)).Keys as Array<{ KeyId: string }>;
      const aliasList = (await json('kms', 'TrentService.ListAliases', region)).Aliases as Array<{ AliasName: string; TargetKeyId?: string }>;
      // AWS managed keys (alias/aws/<service>): moto makes them CUSTOMER keys (moto-gaps.ts).
      const awsManaged = new Set(aliasList.filter((a) => a.AliasName.startsWith('alias/aws/')).map((a) => a.TargetKeyId));
      for (const key of keys.filter((k) => !awsManaged.has(k.KeyId))) {
        const described = (await json('kms', 'TrentService.DescribeKey', region, { KeyId: key.KeyId })).KeyMetadata as { KeyState: string; KeyManager: string };
        // A destroyed key is scheduled for deletion (AWS never deletes one at once).
        if (described.KeyManager === 'CUSTOMER' && described.KeyState !== 'PendingDeletion')
          lines.push(`${where}: KMS key ${key.KeyId} (${described.KeyState})`);
      }
      const aliases = (await json('kms', 'TrentService.ListAliases', region)).Aliases as Array<{ AliasName: string }>;
      lines.push(...aliases.filter((a) => !a.AliasName.startsWith('alias/aws/')).map((a) => `${where}: KMS alias ${a.AliasName}`));
    }
  }
  return lines;
}
