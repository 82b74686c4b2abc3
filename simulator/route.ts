import type { PublishInput } from '@aws-sdk/client-sns';
import { routerSettingsFor } from '../config/router-settings';
import type { Fleet } from '../config/fleet';
import type { AwsPort } from '../functions/shared/aws';
import { decisionCalls, type Decision, type DecisionCall } from '../functions/shared/decision';
import { silentLog } from '../functions/shared/log';
import { deliver } from '../functions/shared/routing/delivery';
import { readIntake, type IntakeAlert } from '../functions/shared/routing/intake';
import { ticketRequestsFor } from '../functions/shared/routing/tickets';
import { flushDigests, MemoryStormStore, routeAlert, type Admission, type OutgoingAlert } from '../functions/shared/routing/route';
import { windowOf } from '../functions/shared/routing/storm';

/** What the security account's router does with the alerts of one event (docs/architecture.md, "Simulator output"). */
export interface Routing {
  /** Per decision that published an alert (same index as the decisions): sent at once, or held for the digest. */
  readonly alerts: ({ readonly admission: Admission; readonly calls: DecisionCall[] } | undefined)[];
  /** The digests of the event's storm, as the next flush after its window would send them. */
  readonly digests: { readonly calls: DecisionCall[] }[];
}

/** The Publish to the alert topic a decision made, as SNS would deliver it to the intake queue. */
function intakeBody(publish: DecisionCall, id: string, at: Date): string {
  const input = publish.input as PublishInput;
  return JSON.stringify({
    Type: 'Notification',
    MessageId: id,
    Subject: input.Subject,
    Message: input.Message,
    Timestamp: at.toISOString(),
    MessageAttributes: Object.fromEntries(Object.entries(input.MessageAttributes ?? {}).map(([k, v]) => [k, { Type: 'String', Value: v.StringValue }])),
  });
}

/**
 * Runs the router's own code (storm control, e-mail and chat delivery) on the alerts the decisions
 * published, in order, with a fresh storm state: the first `storm.threshold` alerts of an account go
 * at once, the rest into the digest sent when the window ends.
 */
export async function routeDecisions(decisions: readonly Decision[], fleet: Fleet, aws: AwsPort, at: Date): Promise<Routing> {
  const settings = routerSettingsFor(fleet.config);
  const store = new MemoryStormStore();
  let sink: DecisionCall[] = [];
  const tickets = settings.tickets;
  const deps = {
    store,
    send: async (out: OutgoingAlert) => {
      sink.push(...decisionCalls((await deliver(out, settings.targets, aws, silentLog)).calls));
    },
    // The ticket requests a finding without a ticket would make (the router sends them before the alert).
    ...(tickets
      ? {
          tickets: (alert: IntakeAlert) => {
            sink.push(...ticketRequestsFor(alert, tickets));
            return Promise.resolve(alert);
          },
        }
      : {}),
  };
  const alerts: Routing['alerts'] = [];
  for (const [i, d] of decisions.entries()) {
    const publish = d.calls.find((c) => c.service === 'sns' && c.operation === 'Publish');
    if (!publish) {
      alerts.push(undefined);
      continue;
    }
    sink = [];
    const admission = await routeAlert(readIntake(intakeBody(publish, `simulated-${i + 1}`, at)), settings.storm, deps);
    alerts.push({ admission, calls: sink });
  }
  const digests: Routing['digests'] = [];
  const after = windowOf(at, settings.storm.windowMinutes).end;
  await flushDigests(after, settings.storm, {
    store,
    send: async (out) => {
      sink = [];
      await deps.send(out);
      digests.push({ calls: sink });
    },
  });
  return { alerts, digests };
}
