import { findingFromAsff } from '../../../../functions/shared/events/asff';
import { selectDeactivateAccessKey } from '../../../../functions/shared/remediations/deactivate-access-key/select';
import { selectQuarantineIamUser } from '../../../../functions/shared/remediations/quarantine-iam-user/select';
import { settings } from '../remediations/helpers';
import { ACCOUNT, REGION, accessKeyResource, guardDutyFinding } from '../respond/events';

/** A minimal ASFF finding without Region: the region then comes from the ARN in its Id. */
const withoutRegion = (id: string) => ({
  Id: id,
  ProductArn: 'arn:aws:securityhub:eu-west-1::product/aws/securityhub',
  AwsAccountId: '333333333333',
  Severity: { Label: 'HIGH' },
});
const regionOf = (id: string) => findingFromAsff(withoutRegion(id), 0).region;

describe('ASFF region: Region, else the region of the finding ARN', () => {
  it('takes Region when the finding has one, whatever the Id says', () => {
    expect(findingFromAsff({ ...withoutRegion('arn:aws:securityhub:eu-west-1:333333333333:x/1'), Region: 'us-east-2' }, 0).region).toBe('us-east-2');
  });

  it.each([
    ['a Security Hub finding', 'arn:aws:securityhub:eu-west-1:333333333333:security-control/S3.8/finding/6d1a2b3c', 'eu-west-1'],
    ['a GuardDuty finding', 'arn:aws:guardduty:ap-southeast-2:333333333333:detector/12abc/finding/34def', 'ap-southeast-2'],
    ['a finding of the aws-cn partition', 'arn:aws-cn:securityhub:cn-north-1:333333333333:security-control/S3.8/finding/6d1a2b3c', 'cn-north-1'],
    ['a finding of the aws-us-gov partition', 'arn:aws-us-gov:securityhub:us-gov-west-1:333333333333:security-control/S3.8/finding/6d1a2b3c', 'us-gov-west-1'],
  ])('without Region, reads the region from the Id of %s', (_, id, region) => {
    expect(regionOf(id)).toBe(region);
  });

  it.each([
    ['an Id that is not an ARN (a third-party id)', 'finding-0001'],
    ['an Id whose region field is empty', 'arn:aws:securityhub::333333333333:x/1'],
    ['an Id whose region field is not a region', 'arn:aws:securityhub:global:333333333333:x/1'],
    ['an Id whose region is in capitals', 'arn:aws:securityhub:EU-WEST-1:333333333333:x/1'],
    ['an Id whose region has characters after it', 'arn:aws:securityhub:eu-west-1x:333333333333:x/1'],
    ['an Id whose region has a line break after it', 'arn:aws:securityhub:eu-west-1\n:333333333333:x/1'],
    ['an Id outside the aws partitions', 'arn:evil:securityhub:eu-west-1:333333333333:x/1'],
    ['an Id whose partition only starts with aws', 'arn:awsx:securityhub:eu-west-1:333333333333:x/1'],
    ['an Id without a service', 'arn:aws::eu-west-1:333333333333:x/1'],
    ['an Id cut short after the account (no resource)', 'arn:aws:securityhub:eu-west-1:333333333333'],
  ])('without Region, refuses %s: Region is missing', (_, id) => {
    expect(() => regionOf(id)).toThrow('detail.findings[0].Region is missing');
  });
});

describe('GuardDuty findings are told by their ProductArn only', () => {
  const genuine = guardDutyFinding('UnauthorizedAccess:IAMUser/MaliciousIPCaller', [accessKeyResource('payments-admin')]);
  // What anyone allowed BatchImportFindings in the account can import: a custom integration may set ProductName itself.
  const forged = {
    ...genuine,
    ProductArn: `arn:aws:securityhub:${REGION}:${ACCOUNT}:product/${ACCOUNT}/default`,
    ProductName: 'GuardDuty',
    CompanyName: 'Amazon',
  };

  it("GuardDuty's own finding has its GuardDuty type, and respond would deactivate the key it names", () => {
    const finding = findingFromAsff(genuine, 0);
    expect(finding.guardDutyType).toBe('UnauthorizedAccess:IAMUser/MaliciousIPCaller');
    expect(selectDeactivateAccessKey(finding, settings())?.target).toEqual({ userName: 'payments-admin', accessKeyId: 'AKIAVRUVRQ7EXAMPLE42' });
  });

  it('an imported finding calling itself GuardDuty has no GuardDuty type, so no key or user of the account is touched', () => {
    const finding = findingFromAsff(forged, 0);
    expect(finding.guardDutyType).toBeUndefined();
    expect(selectDeactivateAccessKey(finding, settings())).toBeUndefined();
    expect(selectQuarantineIamUser(finding, settings())).toBeUndefined();
  });
});
