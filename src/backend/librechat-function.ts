import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import type { SsmParameter } from '@cdktf/provider-aws/lib/ssm-parameter';
import { dependable, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import {
  type ContractVariable,
  ENV,
  ENV_NAME,
  integerRule,
  LAMBDA_RESERVED_VARIABLES,
  STACK_FIXED_VALUES,
  VARIABLES,
} from '../../handler/src/contract';
import { SSM_PARAMETER_ARN, SSM_PARAMETER_NAME } from '../core/names';
import { ValidationError } from '../core/validation-error';
import { DEFAULT_LAMBDA_ARCHITECTURE, type LambdaArchitecture } from './function-image';
import { LIBRECHAT_RUNTIME_PROFILE } from './librechat-runtime-profile';

/** The Cloud Map services LibreChat talks to (variable names as the ECS task definition had them). */
export interface LibreChatServiceUrls {
  readonly litellm: string;
  readonly searxng: string;
  readonly ragApi: string;
  readonly meilisearch: string;
  readonly firecrawl: string;
}

export interface LibreChatFunctionProps {
  /** Function name, unique per environment (e.g. `librechat-api-dev`); role and log group follow it. */
  readonly functionName: string;
  /** Container image pinned by digest (`<repo>@sha256:...`). */
  readonly imageUri: string;
  /** @default 'x86_64' */
  readonly architecture?: LambdaArchitecture;
  /** @default LIBRECHAT_FUNCTION_DEFAULTS.memoryMb */
  readonly memoryMb?: number;
  /** @default LIBRECHAT_FUNCTION_DEFAULTS.timeoutSeconds */
  readonly timeoutSeconds?: number;
  /** `/tmp` size. @default LIBRECHAT_FUNCTION_DEFAULTS.ephemeralStorageMb */
  readonly ephemeralStorageMb?: number;
  /** Retention of `/aws/lambda/<name>`. @default LIBRECHAT_FUNCTION_DEFAULTS.logRetentionDays */
  readonly logRetentionDays?: number;
  readonly subnetIds: string[];
  readonly securityGroupIds: string[];
  /** Region and account of the SSM parameters named without an ARN. */
  readonly region: string;
  readonly accountId: string;
  /** The site's domain (DOMAIN_SERVER and DOMAIN_CLIENT are `https://<domain>`). */
  readonly domainName: string;
  /** librechat.yaml in S3, fetched by the handler at cold start to `configPath`. */
  readonly configObject: { readonly bucket: string; readonly key: string };
  /** @default the handler's CONFIG_PATH default (handler/src/contract.ts) */
  readonly configPath?: string;
  /**
   * Largest upload in MiB: the handler caps librechat.yaml's file size limits to it and answers
   * 413 above it (one invocation takes about 4.4 MiB of file). @default the handler's
   * HANDLER_UPLOAD_LIMIT_MB default (handler/src/contract.ts)
   */
  readonly uploadLimitMb?: number;
  /** A domain written in librechat.yaml that the handler replaces with `domainName`. */
  readonly configReplacesDomain?: string;
  /** `redis://` or `rediss://` URI of the session cache. */
  readonly redisUri: string;
  readonly serviceUrls: LibreChatServiceUrls;
  /** Variable name -> SSM parameter name (`/a/b`) or ARN, read by the handler at cold start. */
  readonly secrets: Record<string, string>;
  /** Customer-managed KMS key of the parameters (grants kms:Decrypt via SSM); none for aws/ssm. */
  readonly secretsKmsKeyArn?: string;
  /** Extra plain variables from the environment file. */
  readonly environment?: Record<string, string>;
  /** Secrets added by other concerns (merged into SSM_SECRETS and the IAM grant). */
  readonly additionalSecrets?: Record<string, string>;
  /** Plain variables added by other concerns. */
  readonly additionalEnvironment?: Record<string, string>;
  /**
   * Run on Lambda Managed Instances (environments never frozen, many invocations each) instead
   * of on demand. The capacity provider carries the network placement, so the function has no
   * vpc_config of its own.
   */
  readonly capacityProvider?: FunctionCapacityProviderConfig;
  /** Publish a version on every change (an alias with provisioned concurrency needs it). */
  readonly publishVersions?: boolean;
  /** Cap on concurrent environments, taken from the account's shared pool. @default none */
  readonly reservedConcurrency?: number;
}

/** How the function runs on its capacity provider. */
export interface FunctionCapacityProviderConfig {
  readonly arn: string;
  /** Invocations one execution environment serves at once (PerExecutionEnvironmentMaxConcurrency). */
  readonly maxConcurrency: number;
  /** GiB of memory per vCPU of an execution environment (2, 4 or 8). */
  readonly memoryGibPerVcpu: number;
}

/** Defaults of the function's sizes (the config schema's defaults too). */
export const LIBRECHAT_FUNCTION_DEFAULTS = {
  memoryMb: 1024,
  /** The API streams for up to 15 minutes. */
  timeoutSeconds: 900,
  ephemeralStorageMb: 2048,
  logRetentionDays: 30,
} as const;

const VPC_EXECUTION_POLICY = 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';

/**
 * The LibreChat API as a Lambda container function in the VPC, with its log group (created first,
 * with a retention) and one least-privilege role: SSM parameters by exact ARN, KMS only for a
 * customer-managed key, the uploads bucket, and the single config object. Secrets are passed as
 * parameter names (`SSM_SECRETS`); their values never appear in Terraform.
 */
export class LibreChatFunction extends Construct {
  readonly function: LambdaFunction;
  readonly role: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly functionName: string;
  readonly functionArn: string;
  /** The latest published version (with `publishVersions`). */
  readonly version: string;
  /** What API Gateway's (buffered) integration URI needs. */
  readonly invokeArn: string;
  readonly roleArn: string;
  readonly roleName: string;
  readonly logGroupName: string;
  private readonly managed: Partial<Record<ContractVariable, string>>;
  private readonly extra: Record<string, string> = {};
  private readonly secretParameters: Record<string, string> = {};
  private readonly grants: DataAwsIamPolicyDocumentStatement[] = [];
  private readonly dependencies: ITerraformDependable[] = [];
  private readonly permissions: DataAwsIamPolicyDocument;
  private readonly props: LibreChatFunctionProps;

  constructor(scope: Construct, id: string, props: LibreChatFunctionProps) {
    super(scope, id);
    this.props = props;
    const uploadLimit = integerRule(ENV.HANDLER_UPLOAD_LIMIT_MB);
    const uploadLimitMb = props.uploadLimitMb ?? uploadLimit.default;
    if (
      !Number.isInteger(uploadLimitMb) ||
      uploadLimitMb < uploadLimit.min ||
      uploadLimitMb > uploadLimit.max
    ) {
      this.fail(
        `uploadLimitMb must be a whole number from ${uploadLimit.min} to ${uploadLimit.max}, got ${uploadLimitMb}`,
      );
    }
    if (!/^rediss?:\/\//.test(props.redisUri)) {
      this.fail(`redisUri must start with redis:// or rediss://, got ${props.redisUri}`);
    }
    // Names of the handler's contract only (a name it does not know fails the build).
    this.managed = {
      DOMAIN_SERVER: `https://${props.domainName}`,
      DOMAIN_CLIENT: `https://${props.domainName}`,
      CONFIG_PATH: props.configPath ?? VARIABLES.CONFIG_PATH.default,
      CONFIG_S3_BUCKET: props.configObject.bucket,
      CONFIG_S3_KEY: props.configObject.key,
      CONFIG_REPLACE: JSON.stringify(
        props.configReplacesDomain ? { [props.configReplacesDomain]: props.domainName } : {},
      ),
      USE_REDIS: STACK_FIXED_VALUES.USE_REDIS,
      REDIS_URI: props.redisUri,
      LITELLM_BASE_URL: props.serviceUrls.litellm,
      SEARXNG_INSTANCE_URL: props.serviceUrls.searxng,
      RAG_API_URL: props.serviceUrls.ragApi,
      MEILI_HOST: props.serviceUrls.meilisearch,
      FIRECRAWL_API_URL: props.serviceUrls.firecrawl,
      FORCED_IN_MEMORY_CACHE_NAMESPACES: STACK_FIXED_VALUES.FORCED_IN_MEMORY_CACHE_NAMESPACES,
      AWS_LAMBDA_NODEJS_WORKER_COUNT: STACK_FIXED_VALUES.AWS_LAMBDA_NODEJS_WORKER_COUNT,
      // The handler's stop relay (docs/stop-button.md) keys its Redis entries per deployment.
      HANDLER_ABORT_KEY_PREFIX: props.functionName,
      HANDLER_UPLOAD_LIMIT_MB: String(uploadLimitMb),
    };
    for (const secrets of [props.secrets, props.additionalSecrets ?? {}]) {
      for (const [name, parameter] of Object.entries(secrets)) {
        this.checkSecret(name, parameter);
        this.secretParameters[name] = parameter;
      }
    }
    for (const vars of [props.environment ?? {}, props.additionalEnvironment ?? {}]) {
      for (const [name, value] of Object.entries(vars)) {
        this.checkPlain(name);
        this.extra[name] = value;
      }
    }

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? LIBRECHAT_FUNCTION_DEFAULTS.logRetentionDays,
    });

    const trust = new DataAwsIamPolicyDocument(this, 'trust', {
      statement: [
        {
          effect: 'Allow',
          actions: ['sts:AssumeRole'],
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
        },
      ],
    });
    this.role = new IamRole(this, 'role', {
      name: props.functionName,
      description: `Runs the LibreChat Lambda ${props.functionName}`,
      assumeRolePolicy: trust.json,
    });
    // Logs and the ENIs of the VPC config.
    const vpcAccess = new IamRolePolicyAttachment(this, 'vpc-access', {
      role: this.role.name,
      policyArn: VPC_EXECUTION_POLICY,
    });

    this.permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: this.statements(),
    });
    const inline = new IamRolePolicy(this, 'permissions-policy', {
      name: 'librechat-runtime',
      role: this.role.id,
      policy: this.permissions.json,
    });

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      description: 'LibreChat API (aws-lambda-ric, response streaming)',
      packageType: 'Image',
      imageUri: props.imageUri,
      architectures: [props.architecture ?? DEFAULT_LAMBDA_ARCHITECTURE],
      memorySize: props.memoryMb ?? LIBRECHAT_FUNCTION_DEFAULTS.memoryMb,
      timeout: props.timeoutSeconds ?? LIBRECHAT_FUNCTION_DEFAULTS.timeoutSeconds,
      ephemeralStorage: {
        size: props.ephemeralStorageMb ?? LIBRECHAT_FUNCTION_DEFAULTS.ephemeralStorageMb,
      },
      role: this.role.arn,
      ...(props.publishVersions ? { publish: true } : {}),
      // On a capacity provider: always published (to $LATEST.PUBLISHED), no vpc_config.
      ...(props.capacityProvider
        ? LibreChatFunction.onCapacityProvider(props.capacityProvider)
        : { vpcConfig: { subnetIds: props.subnetIds, securityGroupIds: props.securityGroupIds } }),
      environment: { variables: this.environment },
      reservedConcurrentExecutions: props.reservedConcurrency,
    });
    // The log group first (else Lambda creates one without retention), and the permissions
    // before the first cold start needs them.
    this.addDependency(this.logGroup, vpcAccess, inline);
    this.functionName = this.function.functionName;
    this.functionArn = this.function.arn;
    this.version = this.function.version;
    this.invokeArn = this.function.invokeArn;
    this.roleArn = this.role.arn;
    this.roleName = this.role.name;
    this.logGroupName = this.logGroup.name;
  }

  /**
   * A function on a capacity provider: published on every change to $LATEST.PUBLISHED, the
   * version an unqualified invoke (API Gateway's) runs on Managed Instances.
   */
  private static onCapacityProvider(cp: FunctionCapacityProviderConfig) {
    return {
      capacityProviderConfig: {
        lambdaManagedInstancesCapacityProviderConfig: {
          capacityProviderArn: cp.arn,
          perExecutionEnvironmentMaxConcurrency: cp.maxConcurrency,
          executionEnvironmentMemoryGibPerVcpu: cp.memoryGibPerVcpu,
        },
      },
      publish: true,
      publishTo: 'LATEST_PUBLISHED',
    };
  }

  /** The plain environment as set on the function, SSM_SECRETS included. */
  get environment(): Record<string, string> {
    // Runtime-profile defaults give way to the same name set plainly or as a secret.
    const profile = Object.fromEntries(
      Object.entries(LIBRECHAT_RUNTIME_PROFILE).filter(
        ([name]) => !(name in this.secretParameters),
      ),
    );
    return {
      ...profile,
      ...this.managed,
      [ENV.SSM_SECRETS]: JSON.stringify(this.secretParameters),
      ...this.extra,
    };
  }

  /** Variable name -> SSM parameter name or ARN, as passed in SSM_SECRETS. */
  get secrets(): Record<string, string> {
    return { ...this.secretParameters };
  }

  /** Adds a plain variable (for concerns composed after the function). */
  addEnvironment(name: string, value: string): this {
    this.checkPlain(name);
    this.extra[name] = value;
    this.function.putEnvironment({ variables: this.environment });
    return this;
  }

  /**
   * Adds a secret read from SSM at cold start: into SSM_SECRETS and the role's grant. Given the
   * parameter resource, the function is also created after it (the first cold start reads it).
   */
  addSecret(name: string, parameter: string | SsmParameter): this {
    const parameterName = typeof parameter === 'string' ? parameter : parameter.nameInput;
    if (parameterName === undefined) this.fail(`secret ${name}: the parameter has no name`);
    this.checkSecret(name, parameterName);
    this.secretParameters[name] = parameterName;
    if (typeof parameter !== 'string') this.addDependency(parameter);
    this.function.putEnvironment({ variables: this.environment });
    this.permissions.putStatement(this.statements());
    return this;
  }

  /** Adds a statement to the role's inline policy (for concerns that grant access to the function). */
  addToRolePolicy(statement: DataAwsIamPolicyDocumentStatement): this {
    this.grants.push(statement);
    this.permissions.putStatement(this.statements());
    return this;
  }

  /** Creates the function only after these (what its first cold start needs in place). */
  addDependency(...dependables: ITerraformDependable[]): this {
    for (const d of dependables) if (!this.dependencies.includes(d)) this.dependencies.push(d);
    this.function.dependsOn = this.dependencies.map((d) => dependable(d));
    return this;
  }

  private fail(message: string): never {
    throw new ValidationError(this, message);
  }

  private checkName(what: string, name: string): void {
    if (!ENV_NAME.test(name))
      this.fail(`${what} ${JSON.stringify(name)}: expected UPPER_SNAKE_CASE`);
    if ((LAMBDA_RESERVED_VARIABLES as readonly string[]).includes(name)) {
      this.fail(`${what} ${name} is reserved by Lambda and cannot be set`);
    }
    if (name === ENV.SSM_SECRETS || name in this.managed) {
      this.fail(`${what} ${name} is set by the stack and cannot be overridden`);
    }
  }

  private checkPlain(name: string): void {
    this.checkName('plain variable', name);
    if (name in this.secretParameters) {
      this.fail(`${name} is both a plain variable and a secret: choose one`);
    }
    if (name in this.extra) this.fail(`plain variable ${name} is given twice`);
  }

  private checkSecret(name: string, parameter: string): void {
    this.checkName('secret', name);
    if (name in this.extra) this.fail(`${name} is both a plain variable and a secret: choose one`);
    if (name in this.secretParameters) this.fail(`secret ${name} is given twice`);
    if (!SSM_PARAMETER_NAME.test(parameter) && !SSM_PARAMETER_ARN.test(parameter)) {
      this.fail(
        `secret ${name}: expected an SSM parameter name starting with / or an ARN, got ${JSON.stringify(parameter)}`,
      );
    }
  }

  /** The role's permissions for the current secrets. */
  private statements(): DataAwsIamPolicyDocumentStatement[] {
    const props = this.props;
    const parameterArns = [
      ...new Set(
        Object.values(this.secretParameters).map((p) =>
          SSM_PARAMETER_ARN.test(p)
            ? p
            : `arn:aws:ssm:${props.region}:${props.accountId}:parameter${p}`,
        ),
      ),
    ].sort();
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: 'ReadSecrets',
        effect: 'Allow',
        actions: ['ssm:GetParameters', 'ssm:GetParameter'],
        resources: parameterArns,
      },
    ];
    if (props.secretsKmsKeyArn) {
      statements.push({
        sid: 'DecryptSecrets',
        effect: 'Allow',
        actions: ['kms:Decrypt'],
        resources: [props.secretsKmsKeyArn],
        condition: [
          {
            test: 'StringEquals',
            variable: 'kms:ViaService',
            values: [`ssm.${props.region}.amazonaws.com`],
          },
        ],
      });
    }
    statements.push(...this.grants, {
      sid: 'ReadConfig',
      effect: 'Allow',
      actions: ['s3:GetObject'],
      resources: [`arn:aws:s3:::${props.configObject.bucket}/${props.configObject.key}`],
    });
    return statements;
  }
}
