import { TerraformModule, type TerraformModuleUserConfig } from 'cdktf';
import type { Construct } from 'constructs';
import { toModuleInputs, type ModuleInputShape } from './module-inputs';

/** Where a binding's module comes from: registry source, exact version, and its input shape. */
export interface RegistryModuleSpec {
  readonly source: string;
  /** An exact version (no ranges): the binding is written against this interface. */
  readonly version: string;
  readonly shape: ModuleInputShape;
}

/**
 * Base of the typed registry module bindings: splits the Terraform meta-arguments (providers,
 * depends_on, for_each) from the module's inputs, and emits the inputs in snake_case.
 */
export abstract class RegistryModule<Inputs extends object> extends TerraformModule {
  readonly inputs: Inputs;
  private readonly shape: ModuleInputShape;

  protected constructor(
    scope: Construct,
    id: string,
    spec: RegistryModuleSpec,
    props: Inputs & TerraformModuleUserConfig,
  ) {
    const { providers, dependsOn, forEach, skipAssetCreationFromLocalModules, ...inputs } = props;
    super(scope, id, {
      source: spec.source,
      version: spec.version,
      providers,
      dependsOn,
      forEach,
      skipAssetCreationFromLocalModules,
    });
    this.inputs = inputs as Inputs;
    this.shape = spec.shape;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return toModuleInputs({ ...this.inputs } as Record<string, unknown>, this.shape);
  }
}
