import {
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
  type ITerraformDependable,
  type LocalExecProvisioner,
} from 'cdktf';
import { Construct } from 'constructs';

export interface TerraformDataProps {
  /** Replaces the resource (and so runs its provisioners again) when any value changes. */
  readonly triggersReplace: Record<string, string>;
  readonly provisioners: LocalExecProvisioner[];
  readonly dependsOn?: ITerraformDependable[];
}

/**
 * Terraform's built-in `terraform_data` resource, for a command run on deploy. cdktf's own
 * `DataResource` adds a synth-time validation that runs `terraform version`, so synth would need
 * Terraform installed; the stack already requires Terraform >= 1.10 (which has the resource) in
 * `required_version`, so this binding leaves that check out and synth needs only Node.
 */
export class TerraformData extends TerraformResource {
  static readonly tfResourceType = 'terraform_data';
  readonly triggersReplace: Record<string, string>;

  constructor(scope: Construct, id: string, props: TerraformDataProps) {
    super(scope, id, {
      terraformResourceType: TerraformData.tfResourceType,
      terraformGeneratorMetadata: { providerName: 'terraform' },
      dependsOn: props.dependsOn,
      provisioners: props.provisioners,
    });
    this.triggersReplace = props.triggersReplace;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplace) };
  }
}
