import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from '../../helpers/fleet';

const workflow = (name: string) => parse(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8'));
const runs = (job: any): string => job.steps.map((s: any) => s.run ?? '').join('\n');
const uses = (job: any, action: string) => job.steps.filter((s: any) => String(s.uses).startsWith(action));
const oidcRole = (job: any) => uses(job, 'aws-actions/configure-aws-credentials').map((s: any) => s.with['role-to-assume']);

describe('the terraform workflow', () => {
  const wf = workflow('terraform.yml');
  const jobs = wf.jobs;

  it('runs on pull requests and pushes to main, read-only by default', () => {
    expect(wf.on).toEqual({ pull_request: { branches: ['main'] }, push: { branches: ['main'] } });
    expect(wf.permissions).toEqual({ contents: 'read' });
  });

  it('installs with npm ci and runs the tests before anything else, on Node 22', () => {
    expect(jobs.test.steps.map((s: any) => s.run).filter(Boolean)).toEqual(['npm ci', 'npm test']);
    expect(uses(jobs.test, 'hashicorp/setup-terraform')).toHaveLength(1);
    expect(jobs.changed.needs).toBe('test');
    for (const name of ['terraform.yml', 'apply-wave.yml']) {
      for (const [job, body] of Object.entries<any>(workflow(name).jobs)) {
        if (!body.steps) continue;
        for (const step of uses(body, 'actions/setup-node')) expect({ name, job, node: step.with['node-version'] }).toEqual({ name, job, node: 22 });
      }
    }
  });

  it('plans the changed stacks in shards from ci-matrix, an empty list planning nothing', () => {
    expect(runs(jobs.changed)).toContain('npm run --silent changed-stacks -- "origin/${{ github.base_ref }}" > changed.txt');
    expect(runs(jobs.changed)).toContain('npm run --silent ci-matrix -- --stacks-file changed.txt');
    expect(jobs.plan.strategy.matrix.include).toBe('${{ fromJSON(needs.changed.outputs.matrix) }}');
    expect(jobs.plan.if).toContain("needs.changed.outputs.count != '0'");
    expect(runs(jobs.plan)).toContain("npm run --silent plan-shard -- --out plans ${{ join(matrix.stacks, ' ') }}");
  });

  it('synthesizes once per shard and caches the provider (TF_PLUGIN_CACHE_DIR and the workflow cache)', () => {
    for (const job of [jobs.plan, workflow('apply-wave.yml').jobs.plan]) {
      expect(runs(job).match(/cdktf synth/g)).toHaveLength(1);
      expect(job.env.TF_PLUGIN_CACHE_DIR).toBe('${{ github.workspace }}/.terraform-plugins');
      expect(uses(job, 'actions/cache')[0].with.path).toBe('.terraform-plugins');
    }
  });

  it('grants id-token: write only to jobs that assume AWS roles, pull-requests: write only to the comment job', () => {
    const withPermission = (perm: string, value: string) =>
      Object.entries(jobs)
        .filter(([, job]: [string, any]) => job.permissions?.[perm] === value)
        .map(([name]) => name)
        .sort();
    expect(withPermission('id-token', 'write')).toEqual(['apply-accounts', 'apply-management', 'apply-security', 'plan']);
    expect(withPermission('pull-requests', 'write')).toEqual(['comment']);
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

describe('credentials: a pull request can never write', () => {
  const pr = workflow('terraform.yml').jobs;
  const wave = workflow('apply-wave.yml').jobs;

  it('every plan runs with the OIDC plan role and the read-only profiles, never the deployment role', () => {
    for (const job of [pr.plan, wave.plan]) {
      expect(oidcRole(job)).toEqual(['${{ matrix.planRoleArn }}']);
      expect(runs(job)).toContain('npm run --silent aws-profiles -- --role read > "$RUNNER_TEMP/aws-config"');
      expect(JSON.stringify(job)).not.toMatch(/applyRoleArn|--role deploy|deploymentRole/);
    }
  });

  it('only the apply job of the protected environment takes the apply role and the deployment profiles', () => {
    const all = [...Object.entries<any>(pr), ...Object.entries<any>(wave)].filter(([, job]) => job.steps);
    const deploying = all.filter(([, job]) => JSON.stringify(job).match(/applyRoleArn|--role deploy/)).map(([name]) => name);
    expect(deploying).toEqual(['apply']);
    expect(wave.apply.environment).toBe('production');
    expect(oidcRole(wave.apply)).toEqual(['${{ matrix.applyRoleArn }}']);
    expect(runs(wave.apply)).toContain('npm run --silent aws-profiles -- --role deploy > "$RUNNER_TEMP/aws-config"');
  });
});

describe('the apply wave applies exactly what was reviewed', () => {
  const jobs = workflow('apply-wave.yml').jobs;

  it('plans each shard, shows the plans to the approver and stops on a refused plan', () => {
    expect(jobs.plan.needs).toBe('matrix');
    expect(jobs.plan.environment).toBeUndefined();
    expect(runs(jobs.plan)).toContain('npm run --silent plan-shard -- --out plans --summary "$GITHUB_STEP_SUMMARY"');
    expect(uses(jobs.plan, 'actions/upload-artifact')[0].with.name).toBe('reviewed-${{ matrix.shard }}');
  });

  it('applies the saved plans of the same run behind the production environment, with no new synthesis and no auto-approve', () => {
    expect(jobs.apply.needs).toEqual(['matrix', 'plan']);
    expect(uses(jobs.apply, 'actions/download-artifact')[0].with).toEqual({ name: 'reviewed-${{ matrix.shard }}', path: 'cdktf.out/stacks' });
    expect(runs(jobs.apply)).not.toContain('cdktf synth');
    expect(runs(jobs.apply)).toContain("npm run --silent apply-shard -- ${{ join(matrix.stacks, ' ') }}");
    for (const name of ['terraform.yml', 'apply-wave.yml'])
      expect(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8')).not.toContain('-auto-approve');
  });

  it('takes one matrix for plans and applies, from ci-matrix for its wave', () => {
    expect(runs(jobs.matrix)).toContain('npm run --silent ci-matrix -- --wave ${{ inputs.wave }}');
    expect(jobs.plan.strategy.matrix.include).toBe('${{ fromJSON(needs.matrix.outputs.matrix) }}');
    expect(jobs.apply.strategy.matrix.include).toBe('${{ fromJSON(needs.matrix.outputs.matrix) }}');
    expect(jobs.matrix.permissions).toEqual({ contents: 'read' });
    // An empty wave plans and applies nothing (GitHub refuses an empty matrix).
    for (const job of [jobs.plan, jobs.apply]) expect(job.if).toBe("needs.matrix.outputs.matrix != '[]'");
  });
});
