import type { Fleet } from '../config/fleet';
import { arns } from '../functions/shared/naming';

export interface CiStack {
  stack: string;
  accountId: string;
  region: string;
  /** Deploy wave: 0 management home, 1 security home, 2 everything else (stack dependencies). */
  wave: number;
  planRoleArn: string;
  applyRoleArn: string;
  /** The role the stack's providers assume with the plan or apply role's credentials (accounts[].deploymentRoleName or the organization's). */
  deploymentRoleArn: string;
}

/** The workflow's matrix entries for the named stacks (all when `names` is empty), in deploy order. */
export function ciMatrix(fleet: Fleet, names: string[] = []): CiStack[] {
  const wanted = new Set(names);
  const unknown = names.filter((n) => !fleet.stacks.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown stack(s): ${unknown.join(', ')}`);
  const ci = fleet.config.organization.ci;
  return fleet.stacks
    .filter((s) => wanted.size === 0 || wanted.has(s.name))
    .map((s) => ({
      stack: s.name,
      accountId: s.account.id,
      region: s.region,
      wave: s.managementHome ? 0 : s.securityHome ? 1 : 2,
      planRoleArn: arns.role(s.account.id, ci.planRoleName),
      applyRoleArn: arns.role(s.account.id, ci.applyRoleName),
      deploymentRoleArn: arns.role(s.account.id, s.account.deploymentRoleName),
    }));
}
