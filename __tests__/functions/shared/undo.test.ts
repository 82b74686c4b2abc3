import { decodeUndo, encodeUndo } from '../../../functions/shared/undo';

describe('undo record in user-defined fields', () => {
  const calls = [
    {
      service: 'ec2',
      operation: 'AuthorizeSecurityGroupIngress',
      region: 'eu-west-1',
      input: { GroupId: 'sg-1', IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] },
    },
  ];

  it('round-trips the reverse calls exactly', () => {
    expect(decodeUndo(encodeUndo(calls))).toEqual(calls);
  });

  it('splits a long record into fields of at most 1,024 characters, read back in numeric order', () => {
    const many = Array.from({ length: 30 }, (_, i) => ({ ...calls[0], input: { GroupId: `sg-${i}`, pad: 'x'.repeat(100) } }));
    const fields = encodeUndo(many);
    expect(Object.keys(fields).length).toBeGreaterThan(2);
    for (const value of Object.values(fields)) expect(value.length).toBeLessThanOrEqual(1024);
    const shuffled = Object.fromEntries(Object.entries(fields).reverse());
    expect(decodeUndo({ ...shuffled, category: 'public-exposure' })).toEqual(many);
  });

  it('writes nothing when nothing was changed, and reads nothing from a finding without a record', () => {
    expect(encodeUndo([])).toEqual({});
    expect(decodeUndo({ category: 'other' })).toEqual([]);
    expect(decodeUndo(undefined)).toEqual([]);
  });
});
