import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { VpcSecurityGroupIngressRule } from '@cdktf/provider-aws/lib/vpc-security-group-ingress-rule';
import { App, TerraformStack, Testing } from 'cdktf';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GUARDRAIL_RULES,
  Guardrails,
  evaluateGuardrails,
  formatFindings,
  synthWithGuardrails,
} from '../../src/guardrails';
import { REPO_ROOT } from '../helpers/config';
import { guardedStack } from '../helpers/guardrails';
import { synthStack } from '../helpers/synth';

function breakTwoRules(stack: TerraformStack) {
  new CloudwatchLogGroup(stack, 'forever', { name: 'forever' });
  new VpcSecurityGroupIngressRule(stack, 'open', {
    securityGroupId: 'sg-1',
    cidrIpv4: '0.0.0.0/0',
    ipProtocol: 'tcp',
    fromPort: 443,
    toPort: 443,
  });
}

describe('Guardrails', () => {
  it('has unique rule ids, each with a description and fix advice', () => {
    const ids = GUARDRAIL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of GUARDRAIL_RULES) {
      expect(rule.id).toMatch(/^GR-[A-Z0-9-]+$/);
      expect(rule.description.length).toBeGreaterThan(20);
      expect(rule.fix.length).toBeGreaterThan(20);
    }
  });

  it('fails synth with every finding at once, each with id, address, path and fix', () => {
    const stack = guardedStack(breakTwoRules);
    let message = '';
    try {
      Testing.synth(stack, true);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(
      '[test] GR-SG-OPEN-INGRESS aws_vpc_security_group_ingress_rule.open (test/open): ingress from 0.0.0.0/0. Fix: ',
    );
    expect(message).toContain(
      '[test] GR-LOG-RETENTION aws_cloudwatch_log_group.forever (test/forever): retention_in_days is null. Fix: ',
    );
  });

  it('sees addOverride values, as Terraform will', () => {
    const stack = guardedStack((s) => {
      const group = new CloudwatchLogGroup(s, 'kept', { name: 'kept', retentionInDays: 30 });
      group.addOverride('retention_in_days', 0);
    });
    expect(
      Guardrails.of(stack)!
        .findings()
        .map((f) => f.problem),
    ).toEqual(['retention_in_days is 0']);
  });

  it('is applied once per stack', () => {
    const stack = guardedStack(breakTwoRules);
    expect(Guardrails.applyTo(stack)).toBe(Guardrails.of(stack));
    expect(() => Testing.synth(stack, true)).toThrow(
      /GR-LOG-RETENTION.*\n.*GR-SG-OPEN-INGRESS|GR-SG-OPEN-INGRESS.*\n.*GR-LOG-RETENTION/,
    );
  });

  it('evaluates any synthesized JSON (pure), e.g. a stack written by another tool', () => {
    const json = {
      resource: {
        aws_cloudwatch_log_group: { lg: { name: 'x', retention_in_days: 0 } },
      },
    };
    expect(evaluateGuardrails(json)).toEqual([
      {
        ruleId: 'GR-LOG-RETENTION',
        address: 'aws_cloudwatch_log_group.lg',
        path: 'aws_cloudwatch_log_group.lg',
        problem: 'retention_in_days is 0',
        fix: 'set retention_in_days to a positive number of days (e.g. 30)',
      },
    ]);
  });

  it('formats a report with the count and one line per finding', () => {
    const findings = Guardrails.of(guardedStack(breakTwoRules))!.findings();
    const report = formatFindings(findings).split('\n');
    expect(report[0]).toBe('Guardrails: 2 finding(s); nothing was synthesized.');
    expect(report.slice(1)).toHaveLength(2);
  });
});

describe('synthWithGuardrails (what main.ts runs)', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = join(mkdtempSync(join(tmpdir(), 'guardrails-')), 'out');
  });
  afterEach(() => rmSync(join(outdir, '..'), { recursive: true, force: true }));

  function app(breakStaging: boolean) {
    const a = new App({ outdir });
    for (const name of ['dev', 'staging']) {
      const stack = new TerraformStack(a, name);
      new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
      Guardrails.applyTo(stack);
      new CloudwatchLogGroup(stack, 'logs', { name: `/x/${name}`, retentionInDays: 30 });
      if (breakStaging && name === 'staging') breakTwoRules(stack);
    }
    return a;
  }

  it('reports the findings of every stack and writes nothing, not even the passing stack', () => {
    const findings = synthWithGuardrails(app(true));
    expect(findings.map((f) => f.path).sort()).toEqual(['staging/forever', 'staging/open']);
    // new App() creates the outdir with an empty stacks/ folder; no stack and no manifest follow.
    expect(readdirSync(outdir)).toEqual(['stacks']);
    expect(readdirSync(join(outdir, 'stacks'))).toEqual([]);
  });

  it('synthesizes every stack when there is no finding', () => {
    expect(synthWithGuardrails(app(false))).toEqual([]);
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual(['dev', 'staging']);
  });
});

describe('the dev stack', () => {
  it('passes the guardrails with zero findings, and synth with validations succeeds', () => {
    const { stack } = synthStack();
    expect(Guardrails.of(stack)!.findings()).toEqual([]);
    expect(() => Testing.synth(stack, true)).not.toThrow();
  });
});

describe('docs/guardrails.md', () => {
  it('documents every rule in its table', () => {
    const readme = readFileSync(join(REPO_ROOT, 'docs', 'guardrails.md'), 'utf8');
    for (const id of [...GUARDRAIL_RULES.map((r) => r.id), 'GR-SUPPRESSION']) {
      expect(readme).toMatch(new RegExp(`^\\| \`${id}\` +\\|`, 'm'));
    }
  });
});
