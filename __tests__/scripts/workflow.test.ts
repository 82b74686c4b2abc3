import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../helpers/fleet';

const workflow = (name: string) => parse(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8'));

describe('the terraform workflow', () => {
  const wf = workflow('terraform.yml');
  const jobs = wf.jobs;

  it('runs on pull requests and pushes to main, read-only by default', () => {
    expect(wf.on).toEqual({ pull_request: { branches: ['main'] }, push: { branches: ['main'] } });
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('installs with npm ci and runs the tests before anything else', () => {
    const runs = jobs.test.steps.map((s: any) => s.run).filter(Boolean);
    expect(runs).toEqual(['npm ci', 'npm test']);
    // The HCL snapshot tests run terraform fmt and Terraform's configuration loader.
    expect(jobs.test.steps.find((s: any) => String(s.uses).startsWith('hashicorp/setup-terraform'))).toBeDefined();
    expect(jobs.changed.needs).toBe('test');
  });

  it('plans only the stacks changed-stacks reports, each with its own account OIDC role', () => {
    expect(jobs.changed.steps.find((s: any) => s.id === 'matrix').run).toContain('npm run --silent changed-stacks -- "origin/${{ github.base_ref }}"');
    expect(jobs.plan.strategy.matrix.include).toBe('${{ fromJSON(needs.changed.outputs.matrix) }}');
    const creds = jobs.plan.steps.find((s: any) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'));
    expect(creds.with['role-to-assume']).toBe('${{ matrix.planRoleArn }}');
    const plan = jobs.plan.steps.find((s: any) => String(s.name).startsWith('terraform plan'));
    expect(plan['working-directory']).toBe('cdktf.out/stacks/${{ matrix.stack }}');
    expect(plan.run).toContain('terraform init');
    expect(plan.run).toContain('terraform plan');
  });

  it('grants id-token: write only to jobs that assume AWS roles, pull-requests: write only to the comment job', () => {
    const withPermission = (perm: string, value: string) =>
      Object.entries(jobs).filter(([, job]: [string, any]) => job.permissions?.[perm] === value).map(([name]) => name).sort();
    expect(withPermission('id-token', 'write')).toEqual(['apply-accounts', 'apply-management', 'apply-security', 'plan']);
    expect(withPermission('pull-requests', 'write')).toEqual(['comment']);
    for (const [name, job] of Object.entries<any>(jobs)) expect({ name, permissions: job.permissions }).toEqual({ name, permissions: expect.any(Object) });
  });

  it('posts one summary comment built by plan-comment', () => {
    const post = jobs.comment.steps.find((s: any) => s.name === 'post the plan summary');
    expect(post.run).toContain('npm run --silent plan-comment -- plans > comment.md');
    expect(post.run).toContain('--edit-last');
  });

  it('applies on main in dependency waves: management, then security, then every other stack', () => {
    expect(jobs['apply-management']).toMatchObject({ needs: 'test', with: { wave: 0 } });
    expect(jobs['apply-security']).toMatchObject({ needs: 'apply-management', with: { wave: 1 } });
    expect(jobs['apply-accounts']).toMatchObject({ needs: 'apply-security', with: { wave: 2 } });
    for (const job of ['apply-management', 'apply-security', 'apply-accounts']) expect(jobs[job].if).toBe("github.event_name == 'push'");
  });
});

describe('the apply wave', () => {
  const wf = workflow('apply-wave.yml');

  it('applies behind the protected production environment with the account apply role', () => {
    const apply = wf.jobs.apply;
    expect(apply.environment).toBe('production');
    expect(apply.permissions).toEqual({ contents: 'read', 'id-token': 'write' });
    const creds = apply.steps.find((s: any) => String(s.uses).startsWith('aws-actions/configure-aws-credentials'));
    expect(creds.with['role-to-assume']).toBe('${{ matrix.applyRoleArn }}');
    expect(apply.steps.at(-1).run).toContain('terraform apply -input=false -no-color -auto-approve');
    expect(wf.jobs.matrix.permissions).toEqual({ contents: 'read' });
  });
});
