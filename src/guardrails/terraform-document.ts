/**
 * A read-only view over a stack's resolved Terraform JSON (`stack.toTerraform()`), the exact
 * document `cdktf synth` writes: module inputs in their snake_case form, `addOverride` values
 * merged in, tokens turned into `${...}` expressions. Rules read this, never the constructs, so
 * they see what Terraform will see.
 */

/** Any JSON object of the synthesized document (untyped by nature, like the tests read it). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Block = Record<string, any>;

/** One resource, data source or module block of the document. */
export interface TerraformElement {
  /** `resource`, `data` or `module`. */
  readonly kind: 'resource' | 'data' | 'module';
  /** Resource or data source type (`aws_s3_bucket`); the module source for modules. */
  readonly type: string;
  /** Logical id: the key of the block in the document. */
  readonly name: string;
  /** Terraform address: `aws_s3_bucket.files`, `data.aws_iam_policy_document.x`, `module.cdn`. */
  readonly address: string;
  /** Construct path (`dev/frontend/bucket`), from cdktf's metadata; the address if absent. */
  readonly path: string;
  /** The block's attributes as Terraform will read them. */
  readonly body: Block;
}

export class TerraformDocument {
  readonly elements: readonly TerraformElement[];

  constructor(json: Block) {
    const elements: TerraformElement[] = [];
    const add = (kind: TerraformElement['kind'], type: string, name: string, body: Block) => {
      const address =
        kind === 'resource'
          ? `${type}.${name}`
          : kind === 'data'
            ? `data.${type}.${name}`
            : `module.${name}`;
      const path = body?.['//']?.metadata?.path ?? address;
      elements.push({ kind, type, name, address, path, body: body ?? {} });
    };
    for (const kind of ['resource', 'data'] as const) {
      for (const [type, blocks] of Object.entries<Block>(json[kind] ?? {})) {
        for (const [name, body] of Object.entries<Block>(blocks)) add(kind, type, name, body);
      }
    }
    for (const [name, body] of Object.entries<Block>(json.module ?? {})) {
      add('module', String(body?.source ?? ''), name, body);
    }
    this.elements = elements;
  }

  /** Resources of one type. */
  resources(type: string): TerraformElement[] {
    return this.elements.filter((e) => e.kind === 'resource' && e.type === type);
  }

  /** Data sources of one type. */
  dataSources(type: string): TerraformElement[] {
    return this.elements.filter((e) => e.kind === 'data' && e.type === type);
  }

  /** Module blocks; with `source`, only those of that registry source. */
  modules(source?: string): TerraformElement[] {
    return this.elements.filter(
      (e) => e.kind === 'module' && (source === undefined || e.type === source),
    );
  }

  /** The element a `${type.name...}` expression points at (resources and modules). */
  referenced(expression: unknown): TerraformElement | undefined {
    const ref = referenceOf(expression);
    if (!ref) return undefined;
    return this.elements.find((e) => e.address === ref.address);
  }
}

/** `${aws_s3_bucket.files.id}` -> { address: 'aws_s3_bucket.files', attribute: 'id' }. */
export function referenceOf(
  expression: unknown,
): { address: string; attribute: string } | undefined {
  if (typeof expression !== 'string') return undefined;
  const match =
    /^\$\{((?:module|data\.[a-z0-9_]+|[a-z0-9_]+)\.[A-Za-z0-9_-]+)\.([A-Za-z0-9_.[\]"-]+)\}$/.exec(
      expression,
    );
  return match ? { address: match[1], attribute: match[2] } : undefined;
}

/** A Terraform attribute that may be a single block (cdktf emits objects) or a list of them. */
export function blocksOf(value: unknown): Block[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v) => v && typeof v === 'object');
  return typeof value === 'object' ? [value as Block] : [];
}

/** A string or list of strings (IAM Action/Resource) as a list. */
export function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** True for strings that Terraform evaluates at plan time (`${...}`), i.e. not a literal. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && value.includes('${');
}
