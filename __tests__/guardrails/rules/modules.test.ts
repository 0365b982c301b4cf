import { TerraformHclModule } from 'cdktf';
import { findingsOf, linesOf } from '../../helpers/guardrails';

describe('GR-MODULE-PINNED', () => {
  it('flags registry modules with a range or no version', () => {
    const findings = findingsOf((s) => {
      new TerraformHclModule(s, 'ranged', {
        source: 'terraform-aws-modules/vpc/aws',
        version: '~> 6.0',
      });
      new TerraformHclModule(s, 'unpinned', { source: 'app.terraform.io/acme/vpc/aws' });
    });
    expect(linesOf(findings, 'GR-MODULE-PINNED')).toEqual([
      'GR-MODULE-PINNED module.ranged (test/ranged): terraform-aws-modules/vpc/aws has version "~> 6.0", not an exact x.y.z. Fix: set version to the exact release you tested, e.g. "5.15.4" (pin it in the module binding in .gen/modules)',
      expect.stringContaining('app.terraform.io/acme/vpc/aws has version null'),
    ]);
  });

  it('passes exact versions, local modules and git sources pinned by ref; flags unpinned git', () => {
    const findings = findingsOf((s) => {
      new TerraformHclModule(s, 'exact', {
        source: 'terraform-aws-modules/vpc/aws',
        version: '6.0.1',
      });
      new TerraformHclModule(s, 'git', {
        source: 'git::https://github.com/acme/mod.git?ref=v1.2.3',
      });
      new TerraformHclModule(s, 'floating', { source: 'git::https://github.com/acme/mod.git' });
    });
    expect(linesOf(findings, 'GR-MODULE-PINNED')).toEqual([
      expect.stringContaining(
        'module.floating (test/floating): git::https://github.com/acme/mod.git is a remote source without ?ref=',
      ),
    ]);
  });
});
