import { serviceOf, operationOf, type AwsPort, type ClientClass, type Sendable } from '../functions/shared/aws';
import type { Finding, ResourceRef } from '../functions/shared/finding';

/**
 * The world as the event describes it, standing in for AWS in the simulator: reads answer from the
 * findings' `Resources[].Details` and tags; writes are answered as AWS would accept them and are
 * recorded by the decision code's own CallLog. Nothing leaves the process.
 */

type Json = Record<string, any>;

/** An error shaped like the SDK's (the decision code reads `name`). */
function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 404 } });
}

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const SIMULATED_GROUP = 'sg-0000000000simulated';
/** The all-traffic step group isolation creates, passes through and deletes. */
const SIMULATED_STEP_GROUP = 'sg-00000simulatedstep';

/** What the event says of an IAM user beyond the findings: the boundary its creator gave it. */
export interface UserState {
  permissionsBoundary?: string;
}

export class EventWorld {
  constructor(
    private readonly findings: Finding[],
    private readonly users: Record<string, UserState> = {},
  ) {}

  private resources(type: string): ResourceRef[] {
    return this.findings.flatMap((f) => f.resources.filter((r) => r.type === type));
  }

  private securityGroup(groupId: string) {
    if (groupId === SIMULATED_GROUP || groupId === SIMULATED_STEP_GROUP) {
      // A group AWS just created: no ingress, and the default allow-all egress.
      return { GroupId: groupId, IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], Tags: [] };
    }
    const r = this.resources('AwsEc2SecurityGroup').find((x) => (x.details.AwsEc2SecurityGroup as Json | undefined)?.GroupId === groupId || x.id.endsWith(`/${groupId}`));
    if (!r) return undefined;
    const d = (r.details.AwsEc2SecurityGroup ?? {}) as Json;
    return { GroupId: groupId, GroupName: d.GroupName, VpcId: d.VpcId, IpPermissions: d.IpPermissions ?? [], IpPermissionsEgress: d.IpPermissionsEgress ?? [], Tags: tagList(r.tags) };
  }

  private bucket(name: string): ResourceRef | undefined {
    return this.resources('AwsS3Bucket').find((r) => r.id === `arn:aws:s3:::${name}` || r.id === name);
  }

  private user(name: string): ResourceRef | undefined {
    return [...this.resources('AwsIamUser'), ...this.resources('AwsIamAccessKey')].find((r) => {
      const d = ((r.details.AwsIamUser ?? r.details.AwsIamAccessKey) ?? {}) as Json;
      return d.UserName === name || d.PrincipalName === name || r.id.endsWith(`:user/${name}`);
    });
  }

  /** Answers one request. */
  answer(service: string, operation: string, input: Json): unknown {
    switch (`${service}:${operation}`) {
      case 'ec2:DescribeSecurityGroups': {
        if (input.Filters) return { SecurityGroups: [] }; // no isolation group exists yet
        const groups = (input.GroupIds ?? []).map((id: string) => this.securityGroup(id)).filter(Boolean);
        if (groups.length === 0) throw awsError('InvalidGroup.NotFound', `The security group '${input.GroupIds}' does not exist`);
        return { SecurityGroups: groups };
      }
      case 'ec2:DescribeInstances': {
        const id = input.InstanceIds?.[0];
        const r = this.resources('AwsEc2Instance').find((x) => x.id.endsWith(`/${id}`) || x.id === id);
        if (!r) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
        const d = (r.details.AwsEc2Instance ?? {}) as Json;
        const groups = this.resources('AwsEc2SecurityGroup').map((g) => ({ GroupId: ((g.details.AwsEc2SecurityGroup ?? {}) as Json).GroupId ?? g.id.split('/').pop() }));
        const enis = (d.NetworkInterfaces ?? [{ NetworkInterfaceId: 'eni-0000simulated' }]).map((n: Json) => ({ NetworkInterfaceId: n.NetworkInterfaceId, Groups: groups }));
        return { Reservations: [{ Instances: [{ InstanceId: id, VpcId: d.VpcId ?? 'vpc-0000simulated', State: { Name: 'running' }, Tags: tagList(r.tags), NetworkInterfaces: enis }] }] };
      }
      case 'ec2:CreateSecurityGroup':
        return { GroupId: /-isolation-step-/.test(input.GroupName ?? '') ? SIMULATED_STEP_GROUP : SIMULATED_GROUP };
      case 'ec2:DescribeIamInstanceProfileAssociations': {
        // ASFF gives the instance's profile as AwsEc2Instance.IamInstanceProfileArn.
        const id = input.Filters?.find((f: Json) => f.Name === 'instance-id')?.Values?.[0];
        const r = this.resources('AwsEc2Instance').find((x) => x.id.endsWith(`/${id}`) || x.id === id);
        const arn = ((r?.details.AwsEc2Instance ?? {}) as Json).IamInstanceProfileArn;
        return { IamInstanceProfileAssociations: arn ? [{ AssociationId: 'iip-assoc-0000simulated', InstanceId: id, IamInstanceProfile: { Arn: arn }, State: 'associated' }] : [] };
      }
      case 's3:GetBucketTagging': {
        const r = this.bucket(input.Bucket);
        if (!r || Object.keys(r.tags).length === 0) throw awsError('NoSuchTagSet', 'The TagSet does not exist');
        return { TagSet: tagList(r.tags) };
      }
      case 's3:GetPublicAccessBlock': {
        const config = ((this.bucket(input.Bucket)?.details.AwsS3Bucket ?? {}) as Json).PublicAccessBlockConfiguration;
        if (!config) throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
        return { PublicAccessBlockConfiguration: config };
      }
      case 's3:GetBucketPolicy': {
        const d = (this.bucket(input.Bucket)?.details.AwsS3Bucket ?? {}) as Json;
        const policy = d.BucketPolicy?.PolicyText ?? d.BucketPolicy;
        if (!policy) throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
        return { Policy: typeof policy === 'string' ? policy : JSON.stringify(policy) };
      }
      case 's3control:GetPublicAccessBlock': {
        const account = this.resources('AwsAccount')[0];
        const config = ((account?.details.AwsAccount ?? {}) as Json).PublicAccessBlockConfiguration;
        if (!config) throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
        return { PublicAccessBlockConfiguration: config };
      }
      case 'iam:GetUser': {
        const boundary = this.users[input.UserName]?.permissionsBoundary;
        return { User: { UserName: input.UserName, ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary } } : {}) } };
      }
      case 'iam:ListUserTags':
        return { Tags: tagList(this.user(input.UserName)?.tags ?? {}) };
      case 'iam:ListAccessKeys': {
        const keys = this.resources('AwsIamAccessKey')
          .map((r) => ((r.details.AwsIamAccessKey ?? {}) as Json).AccessKeyId ?? /(AKIA[A-Z0-9]+)$/.exec(r.id)?.[1])
          .filter(Boolean);
        return { AccessKeyMetadata: keys.map((AccessKeyId: string) => ({ AccessKeyId, Status: 'Active', UserName: input.UserName })) };
      }
      case 'securityhub:BatchUpdateFindings':
        return { ProcessedFindings: input.FindingIdentifiers, UnprocessedFindings: [] };
      case 'securityhub:BatchUpdateFindingsV2':
        return { ProcessedFindings: (input.MetadataUids ?? []).map((MetadataUid: string) => ({ MetadataUid })), UnprocessedFindings: [] };
      case 'sns:Publish':
        return { MessageId: '00000000-0000-0000-0000-000000000000' };
    }
    // Writes AWS answers with an empty body; a read with no world state is said plainly.
    if (/^(Put|Create|Delete|Revoke|Authorize|Modify|Attach|Detach|Disassociate|Associate|Tag|Untag|Update)/.test(operation)) return {};
    throw new Error(`the simulator has no world state for ${service}:${operation}`);
  }

  port(): AwsPort {
    return {
      client: <C extends Sendable>(ctor: ClientClass<C>) =>
        ({ send: async (command: { input: Json; constructor: { name: string } }) => this.answer(serviceOf(ctor), operationOf(command), command.input) }) as unknown as C,
    };
  }
}
