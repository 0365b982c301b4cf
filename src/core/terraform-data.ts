import {
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  TerraformResource,
  type TerraformResourceLifecycle,
  type ITerraformDependable,
  type FileProvisioner,
  type LocalExecProvisioner,
  type RemoteExecProvisioner,
} from 'cdktf';
import type { Construct } from 'constructs';

export interface TerraformDataProps {
  /** Any change of these values replaces the resource (and so runs its provisioners again). */
  readonly triggersReplace?: Record<string, string>;
  readonly provisioners?: (FileProvisioner | LocalExecProvisioner | RemoteExecProvisioner)[];
  readonly dependsOn?: ITerraformDependable[];
  readonly lifecycle?: TerraformResourceLifecycle;
}

/**
 * Terraform's built-in `terraform_data` resource. cdktf's own `DataResource` adds a validation
 * that runs `terraform version` during synth, so `cdktf synth` would fail on a machine without
 * Terraform; the stack already requires Terraform >= 1.10 (`required_version`), which has it.
 */
export class TerraformData extends TerraformResource {
  private readonly triggersReplace?: Record<string, string>;

  constructor(scope: Construct, id: string, props: TerraformDataProps = {}) {
    super(scope, id, {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      dependsOn: props.dependsOn,
      lifecycle: props.lifecycle,
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
