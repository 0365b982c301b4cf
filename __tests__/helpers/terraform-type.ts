/**
 * Checks synthesized module inputs against the Terraform types of the interfaces recorded in
 * .gen/modules/interfaces/*.json, at every depth.
 */
import type { TerraformType } from '../../scripts/module-bindings/terraform-type';

export {
  parseTerraformType,
  type TerraformType,
} from '../../scripts/module-bindings/terraform-type';

const isToken = (v: unknown) => typeof v === 'string' && v.includes('${');

/**
 * Checks `value` against `type`; returns one line per mismatch (`origin.s3.domain_nam: ...`).
 * Interpolations (`${...}`) are accepted wherever a value is expected: Terraform checks them.
 */
export function checkValue(value: unknown, type: TerraformType, path: string): string[] {
  if (value === null || type.kind === 'any' || isToken(value)) return [];
  switch (type.kind) {
    case 'string':
      return typeof value === 'string'
        ? []
        : [`${path}: expected a string, got ${JSON.stringify(value)}`];
    case 'number':
      return typeof value === 'number'
        ? []
        : [`${path}: expected a number, got ${JSON.stringify(value)}`];
    case 'bool':
      return typeof value === 'boolean'
        ? []
        : [`${path}: expected a bool, got ${JSON.stringify(value)}`];
    case 'list':
    case 'set':
      if (!Array.isArray(value)) return [`${path}: expected a ${type.kind}`];
      return value.flatMap((item, i) => checkValue(item, type.element, `${path}[${i}]`));
    case 'tuple':
      if (!Array.isArray(value)) return [`${path}: expected a tuple`];
      return value.flatMap((item, i) =>
        type.elements[i]
          ? checkValue(item, type.elements[i], `${path}[${i}]`)
          : [`${path}[${i}]: beyond the tuple`],
      );
    case 'map':
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected a map`];
      return Object.entries(value).flatMap(([k, v]) => checkValue(v, type.element, `${path}.${k}`));
    case 'object': {
      if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected an object`];
      const problems: string[] = [];
      for (const [k, v] of Object.entries(value)) {
        const attr = type.attributes[k];
        if (!attr)
          problems.push(`${path}.${k}: no such attribute (the module would silently drop it)`);
        else problems.push(...checkValue(v, attr.type, `${path}.${k}`));
      }
      for (const [k, attr] of Object.entries(type.attributes)) {
        if (!attr.optional && !(k in value))
          problems.push(`${path}.${k}: required attribute missing`);
      }
      return problems;
    }
  }
}
