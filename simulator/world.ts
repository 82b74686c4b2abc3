import type {
  CreateSecurityGroupRequest,
  CreateSecurityGroupResult,
  DescribeIamInstanceProfileAssociationsRequest,
  DescribeIamInstanceProfileAssociationsResult,
  DescribeInstancesRequest,
  DescribeInstancesResult,
  DescribeSecurityGroupsRequest,
  DescribeSecurityGroupsResult,
  SecurityGroup,
} from '@aws-sdk/client-ec2';
import type { GetUserRequest, ListAccessKeysRequest, ListAccessKeysResponse, ListUserTagsRequest, ListUserTagsResponse, User } from '@aws-sdk/client-iam';
import type {
  GetBucketPolicyOutput,
  GetBucketPolicyRequest,
  GetBucketTaggingOutput,
  GetBucketTaggingRequest,
  GetPublicAccessBlockOutput,
  GetPublicAccessBlockRequest,
} from '@aws-sdk/client-s3';
import type { GetPublicAccessBlockOutput as GetAccountPublicAccessBlockOutput } from '@aws-sdk/client-s3-control';
import type {
  AwsEc2InstanceDetails,
  AwsEc2SecurityGroupDetails,
  AwsIamAccessKeyDetails,
  AwsS3AccountPublicAccessBlockDetails,
  AwsS3BucketDetails,
  BatchUpdateFindingsRequest,
  BatchUpdateFindingsResponse,
  BatchUpdateFindingsV2Request,
  BatchUpdateFindingsV2Response,
} from '@aws-sdk/client-securityhub';
import type { PublishResponse } from '@aws-sdk/client-sns';
import { serviceOf, operationOf, type AwsPort, type ClientClass, type CommandLike, type Sendable } from '../functions/shared/aws';
import type { Finding, ResourceRef } from '../functions/shared/finding';

/**
 * The world as the event describes it, standing in for AWS in the simulator: reads answer from the
 * findings' `Resources[].Details` and tags; writes are answered as AWS would accept them and are
 * recorded by the decision code's own CallLog. Nothing leaves the process.
 */

/** ASFF's bucket details carry no policy; an event may: as its text, as the document, or as `{ PolicyText }`. */
interface BucketDetails extends AwsS3BucketDetails {
  BucketPolicy?: string | { PolicyText?: string | object };
}
/** ASFF has no details type for an account; an event may give its S3 public access block. */
interface AccountDetails {
  PublicAccessBlockConfiguration?: AwsS3AccountPublicAccessBlockDetails;
}
/** What `user()` reads of either an AwsIamUser's or an AwsIamAccessKey's details (the latter's UserName is deprecated, but events still carry it). */
interface UserOrKeyDetails {
  UserName?: string;
  PrincipalName?: string;
}

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
    private readonly users: Partial<Record<string, UserState>> = {},
  ) {}

  private resources(type: string): ResourceRef[] {
    return this.findings.flatMap((f) => f.resources.filter((r) => r.type === type));
  }

  private securityGroup(groupId: string): SecurityGroup | undefined {
    if (groupId === SIMULATED_GROUP || groupId === SIMULATED_STEP_GROUP) {
      // A group AWS just created: no ingress, and the default allow-all egress.
      return { GroupId: groupId, IpPermissions: [], IpPermissionsEgress: [{ IpProtocol: '-1', IpRanges: [{ CidrIp: '0.0.0.0/0' }] }], Tags: [] };
    }
    const r = this.resources('AwsEc2SecurityGroup').find(
      (x) => (x.details.AwsEc2SecurityGroup as AwsEc2SecurityGroupDetails | undefined)?.GroupId === groupId || x.id.endsWith(`/${groupId}`),
    );
    if (!r) return undefined;
    const d = (r.details.AwsEc2SecurityGroup ?? {}) as AwsEc2SecurityGroupDetails;
    return {
      GroupId: groupId,
      GroupName: d.GroupName,
      VpcId: d.VpcId,
      IpPermissions: d.IpPermissions ?? [],
      IpPermissionsEgress: d.IpPermissionsEgress ?? [],
      Tags: tagList(r.tags),
    };
  }

  private bucket(name: string | undefined): ResourceRef | undefined {
    return this.resources('AwsS3Bucket').find((r) => r.id === `arn:aws:s3:::${name}` || r.id === name);
  }

  private user(name: string | undefined): ResourceRef | undefined {
    return [...this.resources('AwsIamUser'), ...this.resources('AwsIamAccessKey')].find((r) => {
      const d = (r.details.AwsIamUser ?? r.details.AwsIamAccessKey ?? {}) as UserOrKeyDetails;
      return d.UserName === name || d.PrincipalName === name || r.id.endsWith(`:user/${name}`);
    });
  }

  /** Answers one request (`input` as the command carries it). */
  answer(service: string, operation: string, input: unknown): unknown {
    switch (`${service}:${operation}`) {
      case 'ec2:DescribeSecurityGroups': {
        const req = input as DescribeSecurityGroupsRequest;
        if (req.Filters) return { SecurityGroups: [] } satisfies DescribeSecurityGroupsResult; // no isolation group exists yet
        const groups = (req.GroupIds ?? []).map((id: string) => this.securityGroup(id)).filter((g) => g !== undefined);
        if (groups.length === 0) throw awsError('InvalidGroup.NotFound', `The security group '${String(req.GroupIds)}' does not exist`);
        return { SecurityGroups: groups } satisfies DescribeSecurityGroupsResult;
      }
      case 'ec2:DescribeInstances': {
        const id = (input as DescribeInstancesRequest).InstanceIds?.[0];
        const r = this.resources('AwsEc2Instance').find((x) => x.id.endsWith(`/${id}`) || x.id === id);
        if (!r) throw awsError('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`);
        const d = (r.details.AwsEc2Instance ?? {}) as AwsEc2InstanceDetails;
        const groups = this.resources('AwsEc2SecurityGroup').map((g) => ({
          GroupId: ((g.details.AwsEc2SecurityGroup ?? {}) as AwsEc2SecurityGroupDetails).GroupId ?? g.id.split('/').pop(),
        }));
        const enis = (d.NetworkInterfaces ?? [{ NetworkInterfaceId: 'eni-0000simulated' }]).map((n) => ({
          NetworkInterfaceId: n.NetworkInterfaceId,
          Groups: groups,
        }));
        return {
          Reservations: [
            {
              Instances: [
                { InstanceId: id, VpcId: d.VpcId ?? 'vpc-0000simulated', State: { Name: 'running' }, Tags: tagList(r.tags), NetworkInterfaces: enis },
              ],
            },
          ],
        } satisfies DescribeInstancesResult;
      }
      case 'ec2:CreateSecurityGroup':
        return {
          GroupId: /-isolation-step-/.test((input as CreateSecurityGroupRequest).GroupName ?? '') ? SIMULATED_STEP_GROUP : SIMULATED_GROUP,
        } satisfies CreateSecurityGroupResult;
      case 'ec2:DescribeIamInstanceProfileAssociations': {
        // ASFF gives the instance's profile as AwsEc2Instance.IamInstanceProfileArn.
        const id = (input as DescribeIamInstanceProfileAssociationsRequest).Filters?.find((f) => f.Name === 'instance-id')?.Values?.[0];
        const r = this.resources('AwsEc2Instance').find((x) => x.id.endsWith(`/${id}`) || x.id === id);
        const arn = ((r?.details.AwsEc2Instance ?? {}) as AwsEc2InstanceDetails).IamInstanceProfileArn;
        return {
          IamInstanceProfileAssociations: arn
            ? [{ AssociationId: 'iip-assoc-0000simulated', InstanceId: id, IamInstanceProfile: { Arn: arn }, State: 'associated' }]
            : [],
        } satisfies DescribeIamInstanceProfileAssociationsResult;
      }
      case 's3:GetBucketTagging': {
        const r = this.bucket((input as GetBucketTaggingRequest).Bucket);
        if (!r || Object.keys(r.tags).length === 0) throw awsError('NoSuchTagSet', 'The TagSet does not exist');
        return { TagSet: tagList(r.tags) } satisfies GetBucketTaggingOutput;
      }
      case 's3:GetPublicAccessBlock': {
        const config = ((this.bucket((input as GetPublicAccessBlockRequest).Bucket)?.details.AwsS3Bucket ?? {}) as AwsS3BucketDetails)
          .PublicAccessBlockConfiguration;
        if (!config) throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
        return { PublicAccessBlockConfiguration: config } satisfies GetPublicAccessBlockOutput;
      }
      case 's3:GetBucketPolicy': {
        const d = (this.bucket((input as GetBucketPolicyRequest).Bucket)?.details.AwsS3Bucket ?? {}) as BucketDetails;
        const policy = typeof d.BucketPolicy === 'string' ? d.BucketPolicy : (d.BucketPolicy?.PolicyText ?? d.BucketPolicy);
        if (!policy) throw awsError('NoSuchBucketPolicy', 'The bucket policy does not exist');
        return { Policy: typeof policy === 'string' ? policy : JSON.stringify(policy) } satisfies GetBucketPolicyOutput;
      }
      case 's3control:GetPublicAccessBlock': {
        const account = this.resources('AwsAccount').at(0);
        const config = ((account?.details.AwsAccount ?? {}) as AccountDetails).PublicAccessBlockConfiguration;
        if (!config) throw awsError('NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found');
        return { PublicAccessBlockConfiguration: config } satisfies GetAccountPublicAccessBlockOutput;
      }
      case 'iam:GetUser': {
        const req = input as GetUserRequest;
        const boundary = req.UserName === undefined ? undefined : this.users[req.UserName]?.permissionsBoundary;
        // The User fields the simulator knows (AWS also returns Path, UserId, Arn and CreateDate).
        return {
          User: {
            UserName: req.UserName,
            ...(boundary ? { PermissionsBoundary: { PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: boundary } } : {}),
          },
        } satisfies { User: Pick<User, 'UserName' | 'PermissionsBoundary'> };
      }
      case 'iam:ListUserTags':
        return { Tags: tagList(this.user((input as ListUserTagsRequest).UserName)?.tags ?? {}) } satisfies ListUserTagsResponse;
      case 'iam:ListAccessKeys': {
        const keys = this.resources('AwsIamAccessKey')
          .map((r) => ((r.details.AwsIamAccessKey ?? {}) as AwsIamAccessKeyDetails).AccessKeyId ?? /(AKIA[A-Z0-9]+)$/.exec(r.id)?.[1])
          .filter((k): k is string => Boolean(k));
        return {
          AccessKeyMetadata: keys.map((AccessKeyId: string) => ({ AccessKeyId, Status: 'Active', UserName: (input as ListAccessKeysRequest).UserName })),
        } satisfies ListAccessKeysResponse;
      }
      case 'securityhub:BatchUpdateFindings':
        return { ProcessedFindings: (input as BatchUpdateFindingsRequest).FindingIdentifiers, UnprocessedFindings: [] } satisfies BatchUpdateFindingsResponse;
      case 'securityhub:BatchUpdateFindingsV2':
        return {
          ProcessedFindings: ((input as BatchUpdateFindingsV2Request).MetadataUids ?? []).map((MetadataUid: string) => ({ MetadataUid })),
          UnprocessedFindings: [],
        } satisfies BatchUpdateFindingsV2Response;
      case 'sns:Publish':
        return { MessageId: '00000000-0000-0000-0000-000000000000' } satisfies PublishResponse;
    }
    // Writes AWS answers with an empty body; a read with no world state is said plainly.
    if (/^(Put|Create|Delete|Revoke|Authorize|Modify|Attach|Detach|Disassociate|Associate|Tag|Untag|Update)/.test(operation)) return {};
    throw new Error(`the simulator has no world state for ${service}:${operation}`);
  }

  port(): AwsPort {
    return {
      client: <C extends Sendable>(ctor: ClientClass<C>) =>
        // As the SDK's send: an error the answer throws comes back as a rejected promise.
        ({
          send: (command: CommandLike) =>
            new Promise((resolve) => {
              resolve(this.answer(serviceOf(ctor), operationOf(command), command.input));
            }),
        }) as unknown as C,
    };
  }
}
