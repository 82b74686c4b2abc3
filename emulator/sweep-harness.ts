import { join } from 'node:path';
import { createEvidenceBucketAt, type EvidenceHome } from './evidence-bucket';
import { awsEnvironment, deployedFunction } from './functions';
import { startLambdaStandIn, type LambdaStandIn } from './lambda-standin';
import { motoMissing, startMoto, type MotoServer } from './moto';
import { serveFindings, type FindingsService } from './securityhub-findings';
import { startSecurityHubStandIn, type SecurityHubStandIn } from './securityhub-standin';
import { EMULATOR_ACCOUNTS, synthesizeOrganization, type SynthesizedOrganization } from './synth';
import type { AccountClients } from './world';
import { runScript } from '../__tests__/helpers/run-script';

/** The security home stack of emulator/accounts.json: the evidence bucket's home. */
export const EMULATOR_SECURITY_HOME: EvidenceHome = { stack: 'security-us-east-1', account: '222222222222', region: 'us-east-1' };

/**
 * Everything `npm run sweep` needs at moto: the synthesized organization, moto, the validating
 * Security Hub stand-in with its findings service, and the Lambda Invoke stand-in running the
 * deployed `respond` zips of the stacks named (the emulator tier's sweep tests and `bench:sweep`).
 */
export interface SweepEmulator {
  org: SynthesizedOrganization;
  moto: MotoServer;
  standIn: SecurityHubStandIn;
  findings: FindingsService;
  lambda: LambdaStandIn;
  /** Forgets moto's state and the stand-ins', restarts the function hosts, and creates the evidence bucket again. */
  reset(): Promise<void>;
  /** The stack's deny-all quarantine policy, for buildWorld. */
  quarantinePolicyOf(stack: string): { name: string; document: string };
  /** `npm run sweep -- …` as an operator runs it: the account's credentials, the emulator's endpoints. */
  sweep(c: AccountClients, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }>;
  stop(): Promise<void>;
}

export async function startSweepEmulator(stacks: string[]): Promise<SweepEmulator> {
  // Never a skip: without moto the caller fails with this one line.
  const missing = motoMissing();
  if (missing) throw new Error(missing);
  const org = synthesizeOrganization();
  const moto = await startMoto();
  const standIn = await startSecurityHubStandIn(moto.url);
  const findings = serveFindings(standIn, moto.url);
  const lambda = await startLambdaStandIn({ motoUrl: moto.url, securityHubUrl: standIn.url });
  for (const stack of stacks) lambda.register(deployedFunction(org, stack, 'respond'));
  return {
    org,
    moto,
    standIn,
    findings,
    lambda,
    async reset() {
      const response = await fetch(`${moto.url}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset: ${response.status}`);
      findings.reset();
      standIn.requests.length = 0;
      lambda.invocations.length = 0;
      await lambda.recycle();
      await createEvidenceBucketAt(moto.url, org, EMULATOR_SECURITY_HOME);
    },
    quarantinePolicyOf(stack) {
      const policy = Object.values<any>(org.stackJson(stack).resource.aws_iam_policy ?? {}).find((p) => String(p.name).endsWith('-quarantine-deny-all'));
      if (!policy) throw new Error(`${stack} has no quarantine policy`);
      return { name: policy.name, document: policy.policy };
    },
    sweep(c, args) {
      return runScript(join('scripts', 'operator', 'sweep-cli.ts'), args, {
        ...awsEnvironment(c.region, c.credentials, { motoUrl: moto.url, securityHubUrl: standIn.url }),
        AWS_ENDPOINT_URL_LAMBDA: lambda.url,
        ACCOUNTS_FILE: EMULATOR_ACCOUNTS,
      });
    },
    async stop() {
      await lambda.stop();
      await standIn.stop();
      await moto.stop();
    },
  };
}
