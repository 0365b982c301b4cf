import { Tokenization } from 'cdktf';

/**
 * Where a module input is not a plain object of attributes. Paths use the module's snake_case
 * names, `*` for a map key, and ignore list positions: `origin` is a map whose keys are ours to
 * choose, `origin.*.custom_header` a map(string) passed through untouched.
 */
export interface ModuleInputShape {
  /** Maps with user-chosen keys: the keys are kept, the values converted. */
  readonly maps?: readonly string[];
  /** Values passed to Terraform exactly as given (map(string) such as tags). */
  readonly verbatim?: readonly string[];
}

/** `forceDestroy` -> `force_destroy`; `ipv6Enabled` -> `ipv6_enabled`. */
export function toSnakeCase(name: string): string {
  return name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function convert(value: unknown, path: string, shape: ModuleInputShape): unknown {
  if (value === undefined || value === null || typeof value !== 'object') return value;
  if (Tokenization.isResolvable(value)) return value;
  if (Array.isArray(value)) return value.map((item) => convert(item, path, shape));
  if (shape.verbatim?.includes(path)) return value;
  const keepKeys = shape.maps?.includes(path) ?? false;
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (item === undefined) continue;
    const name = keepKeys ? key : toSnakeCase(key);
    out[name] = convert(item, `${path}.${keepKeys ? '*' : name}`, shape);
  }
  return out;
}

/** Turns camelCase props (top level and nested attributes) into the module's snake_case inputs. */
export function toModuleInputs(
  inputs: Record<string, unknown>,
  shape: ModuleInputShape = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (value === undefined) continue;
    const name = toSnakeCase(key);
    out[name] = convert(value, name, shape);
  }
  return out;
}
