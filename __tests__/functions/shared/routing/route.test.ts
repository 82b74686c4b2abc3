import fc from 'fast-check';
import { DIGEST_PART_BYTES, digestAlerts } from '../../../../functions/shared/routing/digest';
import { readIntake, type IntakeAlert } from '../../../../functions/shared/routing/intake';
import { flushDigests, groupDigests, MemoryStormStore, routeAlert, type HeldAlert, type OutgoingAlert } from '../../../../functions/shared/routing/route';
import { windowOf } from '../../../../functions/shared/routing/storm';

const storm = { threshold: 3, windowMinutes: 5 };
const T0 = new Date('2026-11-26T10:05:00Z');
let seq = 0;

function alert(over: { account?: string; severity?: string; kind?: string; team?: string; at?: Date; id?: string } = {}): IntakeAlert {
  seq += 1;
  return {
    id: over.id ?? `m-${seq}`,
    subject: `[${over.severity ?? 'HIGH'}] payments-prod: finding ${seq}`,
    message: `finding ${seq}`,
    attributes: {
      kind: over.kind ?? 'finding',
      severity: over.severity ?? 'HIGH',
      account: over.account ?? '111111111111',
      accountName: 'payments-prod',
      team: over.team ?? 'payments',
    },
    detail: {
      title: `finding ${seq}`,
      done: 'REVOKE_PUBLIC_INGRESS (enforce): REMEDIATED.',
      undo: `npm run undo -- 'f-${seq}'`,
      link: `https://console/f-${seq}`,
    },
    publishedAt: over.at ?? new Date(T0.getTime() + seq * 1000),
  };
}

function router() {
  const store = new MemoryStormStore();
  const sent: OutgoingAlert[] = [];
  return { store, sent, deps: { store, send: (m: OutgoingAlert) => Promise.resolve(void sent.push(m)) } };
}

describe('storm control: the first alerts of a window go out at once, the rest in one digest', () => {
  it('sends an account’s first `threshold` alerts at once and holds the rest of the window', async () => {
    const { sent, deps } = router();
    const admissions = [];
    for (let i = 0; i < 5; i++) admissions.push(await routeAlert(alert(), storm, deps));
    expect(admissions).toEqual(['now', 'now', 'now', 'held', 'held']);
    expect(sent).toHaveLength(3);
  });

  it('counts each account on its own', async () => {
    const { deps } = router();
    for (let i = 0; i < 3; i++) await routeAlert(alert({ account: '111111111111' }), storm, deps);
    expect(await routeAlert(alert({ account: '222222222222' }), storm, deps)).toBe('now');
    expect(await routeAlert(alert({ account: '111111111111' }), storm, deps)).toBe('held');
  });

  it('starts counting again in the next window', async () => {
    const { deps } = router();
    for (let i = 0; i < 4; i++) await routeAlert(alert({ at: new Date(T0.getTime() + i * 1000) }), storm, deps);
    expect(await routeAlert(alert({ at: new Date(T0.getTime() + 5 * 60_000) }), storm, deps)).toBe('now');
  });

  it('always sends CRITICAL findings, escalations and alarms at once, and does not count them', async () => {
    const { deps } = router();
    for (let i = 0; i < 3; i++) await routeAlert(alert(), storm, deps);
    expect(await routeAlert(alert({ severity: 'CRITICAL' }), storm, deps)).toBe('now');
    expect(await routeAlert(alert({ kind: 'escalation' }), storm, deps)).toBe('now');
    const alarm = { ...alert(), attributes: {} };
    expect(await routeAlert(alarm, storm, deps)).toBe('now');
    expect(await routeAlert(alert(), storm, deps)).toBe('held');
  });

  it('a redelivered alert (same SNS MessageId) is not sent or held twice', async () => {
    const { sent, deps } = router();
    const a = alert();
    expect(await routeAlert(a, storm, deps)).toBe('now');
    expect(await routeAlert(a, storm, deps)).toBe('duplicate');
    expect(sent).toHaveLength(1);
  });

  it('an alert whose send failed is not marked sent, so the retry sends it', async () => {
    const store = new MemoryStormStore();
    const a = alert();
    await expect(routeAlert(a, storm, { store, send: () => Promise.reject(new Error('SNS throttled')) })).rejects.toThrow('SNS throttled');
    const sent: OutgoingAlert[] = [];
    expect(await routeAlert(a, storm, { store, send: (m) => Promise.resolve(void sent.push(m)) })).toBe('now');
    expect(sent.map((m) => m.alertIds)).toEqual([[a.id]]);
  });
});

describe('digests', () => {
  it('are sent only once their window has ended, one per window, account and team', async () => {
    const { sent, deps } = router();
    for (let i = 0; i < 5; i++) await routeAlert(alert({ team: 'payments' }), storm, deps);
    for (let i = 0; i < 2; i++) await routeAlert(alert({ team: 'data' }), storm, deps);
    sent.length = 0;
    const end = windowOf(T0, storm.windowMinutes).end;
    expect(await flushDigests(new Date(end.getTime() - 1), storm, deps)).toEqual({ digests: 0, alerts: 0, failed: 0, skipped: false });
    expect(await flushDigests(end, storm, deps)).toEqual({ digests: 2, alerts: 4, failed: 0, skipped: false });
    expect(sent.map((m) => [m.alert.attributes.team, m.alertIds.length])).toEqual([
      ['data', 2],
      ['payments', 2],
    ]);
    expect(await flushDigests(end, storm, deps)).toEqual({ digests: 0, alerts: 0, failed: 0, skipped: false });
  });

  it('a digest that could not be sent stays held for the next flush; the others go out', async () => {
    const store = new MemoryStormStore();
    const ok = { store, send: () => Promise.resolve() };
    for (let i = 0; i < 4; i++) await routeAlert(alert({ team: 'payments' }), storm, ok);
    for (let i = 0; i < 4; i++) await routeAlert(alert({ team: 'data', account: '222222222222' }), storm, ok);
    const end = windowOf(T0, storm.windowMinutes).end;
    const sent: OutgoingAlert[] = [];
    const failData = {
      store,
      send: (m: OutgoingAlert) => (m.alert.attributes.team === 'data' ? Promise.reject(new Error('down')) : Promise.resolve(void sent.push(m))),
    };
    expect(await flushDigests(end, storm, failData)).toEqual({ digests: 1, alerts: 1, failed: 1, skipped: false });
    expect(await flushDigests(end, storm, { store, send: (m) => Promise.resolve(void sent.push(m)) })).toEqual({
      digests: 1,
      alerts: 1,
      failed: 0,
      skipped: false,
    });
    expect(sent.map((m) => m.alert.attributes.team)).toEqual(['payments', 'data']);
  });

  it('a flush that starts while another still holds the lease sends nothing; the lease is given back, and an expired one is taken', async () => {
    const { store, sent, deps } = router();
    for (let i = 0; i < 5; i++) await routeAlert(alert(), storm, deps);
    sent.length = 0;
    const end = windowOf(T0, storm.windowMinutes).end;
    expect(await store.lease('slow-flush', end, new Date(end.getTime() + 120_000))).toBe(true);
    expect(await flushDigests(end, storm, deps)).toEqual({ digests: 0, alerts: 0, failed: 0, skipped: true });
    expect(sent).toEqual([]);
    // The slow flush crashed without giving its lease back: two minutes on, the lease is taken over.
    expect(await flushDigests(new Date(end.getTime() + 120_001), storm, deps)).toEqual({ digests: 1, alerts: 2, failed: 0, skipped: false });
    await store.unlease('slow-flush');
    expect(await store.lease('next', end, new Date(end.getTime() + 1))).toBe(true);
  });

  it('the digest says which window and account, is as severe as its worst finding, and lists each finding with its undo', () => {
    const window = windowOf(T0, 5);
    const held: HeldAlert[] = [alert({ severity: 'MEDIUM' }), alert({ severity: 'HIGH' })].map((a) => ({
      account: '111111111111',
      team: 'payments',
      window,
      alert: a,
    }));
    const [digest] = digestAlerts(held, 20);
    expect(digest.alert.subject).toBe('[HIGH] payments-prod: 2 alerts held in an alert storm, 10:05-10:10 UTC');
    expect(digest.alert.attributes).toMatchObject({ kind: 'digest', severity: 'HIGH', account: '111111111111', team: 'payments' });
    expect(digest.alert.message).toContain('raised more than 20 alerts between 10:05-10:10 UTC on 2026-11-26');
    for (const h of held) {
      expect(digest.alert.message).toContain(h.alert.subject);
      expect(digest.alert.message).toContain(h.alert.detail?.undo);
    }
  });

  it('past SNS’s message size a digest is split into numbered parts, each finding in exactly one', () => {
    const window = windowOf(T0, 5);
    const big = 'x'.repeat(3000);
    const held: HeldAlert[] = Array.from({ length: 150 }, () => {
      const a = alert();
      return { account: '111111111111', team: 'payments', window, alert: { ...a, detail: { ...a.detail, title: 't', done: big } } };
    });
    const parts = digestAlerts(held, 20);
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect(Buffer.byteLength(p.alert.message)).toBeLessThan(DIGEST_PART_BYTES + 1024);
    expect(parts.flatMap((p) => p.alertIds)).toEqual(held.map((h) => h.alert.id));
    expect(parts[0]?.alert.subject).toContain(`(part 1 of ${parts.length})`);
  });

  it('groups held alerts by window, account and team, oldest window first', () => {
    const w1 = windowOf(T0, 5);
    const w0 = windowOf(new Date(T0.getTime() - 300_000), 5);
    const h = (window: typeof w1, team: string) => ({ account: '1', team, window, alert: alert() });
    const groups = groupDigests([h(w1, 'a'), h(w0, 'a'), h(w1, 'b'), h(w1, 'a')]);
    expect(groups.map((g) => [g[0]?.window.start.toISOString(), g[0]?.team, g.length])).toEqual([
      [w0.start.toISOString(), 'a', 1],
      [w1.start.toISOString(), 'a', 2],
      [w1.start.toISOString(), 'b', 1],
    ]);
  });
});

describe('invariant: every alert reaches exactly one message, and a storm costs at most threshold + 1 messages per account and window', () => {
  it('holds for any stream of alerts, redeliveries included', async () => {
    const event = fc.record({
      account: fc.constantFrom('111111111111', '222222222222'),
      severity: fc.constantFrom('LOW', 'MEDIUM', 'HIGH', 'CRITICAL'),
      kind: fc.constantFrom('finding', 'finding', 'quarantine', 'escalation'),
      team: fc.constantFrom('payments', 'data'),
      offsetSeconds: fc.integer({ min: 0, max: 1800 }),
      redeliver: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(event, { maxLength: 120 }), fc.integer({ min: 1, max: 10 }), async (events, threshold) => {
        const settings = { threshold, windowMinutes: 5 };
        const { sent, deps } = router();
        const alerts = events.map((e) => ({ e, a: alert({ ...e, at: new Date(T0.getTime() + e.offsetSeconds * 1000) }) }));
        for (const { e, a } of alerts) {
          await routeAlert(a, settings, deps);
          if (e.redeliver) await routeAlert(a, settings, deps);
        }
        await flushDigests(new Date(T0.getTime() + 3 * 3600_000), settings, deps);
        const delivered = sent.flatMap((m) => m.alertIds);
        expect([...delivered].sort()).toEqual(alerts.map(({ a }) => a.id).sort());
        // Per account and window: at most `threshold` counted alerts one by one, and one digest per team.
        const byId = new Map(alerts.map(({ a }) => [a.id, a]));
        const oneByOne = new Map<string, number>();
        const digests = new Map<string, number>();
        for (const m of sent) {
          const first = byId.get(m.alertIds[0] ?? '');
          if (!first) throw new Error('a message carries an unknown alert');
          const window = windowOf(first.publishedAt, settings.windowMinutes).start.toISOString();
          const { account, team, severity, kind } = first.attributes;
          if (m.alert.attributes.kind === 'digest') {
            const key = `${account}|${team}|${window}`;
            digests.set(key, (digests.get(key) ?? 0) + 1);
          } else if (severity !== 'CRITICAL' && kind !== 'escalation') {
            const key = `${account}|${window}`;
            oneByOne.set(key, (oneByOne.get(key) ?? 0) + 1);
          }
        }
        for (const n of oneByOne.values()) expect(n).toBeLessThanOrEqual(threshold);
        for (const n of digests.values()) expect(n).toBe(1);
      }),
      { numRuns: 200 },
    );
  });
});

describe('reading the intake queue', () => {
  const notification = (over: Record<string, unknown> = {}) =>
    JSON.stringify({
      Type: 'Notification',
      MessageId: 'abc-1',
      TopicArn: 'arn:aws:sns:eu-west-1:222222222222:acme-security-alerts',
      Subject: '[HIGH] payments-prod: Security group open to the world',
      Message: 'What: ...',
      Timestamp: '2026-11-26T10:06:07.000Z',
      MessageAttributes: {
        team: { Type: 'String', Value: 'payments' },
        severity: { Type: 'String', Value: 'HIGH' },
        detail: { Type: 'String', Value: JSON.stringify({ title: 'Security group open to the world', undo: "npm run undo -- 'f-1'" }) },
      },
      ...over,
    });

  it('reads the SNS notification: id, subject, attributes, the structured detail and the publish time', () => {
    const a = readIntake(notification());
    expect(a).toMatchObject({
      id: 'abc-1',
      subject: '[HIGH] payments-prod: Security group open to the world',
      attributes: { team: 'payments', severity: 'HIGH' },
    });
    expect(a.attributes).not.toHaveProperty('detail');
    expect(a.detail).toEqual(expect.objectContaining({ title: 'Security group open to the world', undo: "npm run undo -- 'f-1'" }));
    expect(a.publishedAt.toISOString()).toBe('2026-11-26T10:06:07.000Z');
  });

  it('an alarm relayed by EventBridge (no subject, no attributes) gets its first line as subject', () => {
    const a = readIntake(notification({ Subject: undefined, MessageAttributes: undefined, Message: '[ALARM] acme-respond-dead-letters in account 1 ...' }));
    expect(a.subject).toBe('[ALARM] acme-respond-dead-letters in account 1 ...');
    expect(a.attributes).toEqual({});
  });

  it.each([
    ['not JSON', 'hello', /not JSON/],
    ['not a notification', JSON.stringify({ Type: 'SubscriptionConfirmation' }), /not an SNS notification/],
    ['no MessageId', notification({ MessageId: '' }), /no MessageId/],
    ['no time', notification({ Timestamp: 'yesterday' }), /abc-1: Timestamp is not a time/],
  ])('refuses a message that is %s, saying what is wrong', (_, body, error) => {
    expect(() => readIntake(body)).toThrow(error);
  });

  it('a detail that is not readable costs the chat fields, not the alert', () => {
    const body = JSON.parse(notification()) as { MessageAttributes: Record<string, { Value: string }> };
    body.MessageAttributes.detail = { Value: '{not json' };
    expect(readIntake(JSON.stringify(body)).detail).toBeUndefined();
  });
});
