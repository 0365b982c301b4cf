import { z } from 'zod';
import { environmentConfigSchema } from '../config/schema';
import { markdownTable } from './generated-section';

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
};

/**
 * The JSON Schema of an environment file (`config/environment.schema.json`): editors complete and
 * check fields from it. Cross-field rules (refinements) are not in it; synth checks those.
 */
export function environmentJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(environmentConfigSchema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return {
    ...schema,
    title: 'LibreChat on AWS serverless: environment file (config/<env>.json)',
  };
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'any'}`;
  if (schema.type === 'object' && !schema.properties) {
    const values =
      typeof schema.additionalProperties === 'object' ? typeOf(schema.additionalProperties) : 'any';
    return `map of ${values}`;
  }
  if (schema.type === 'integer') return 'whole number';
  return Array.isArray(schema.type) ? schema.type.join(' or ') : (schema.type ?? 'any');
}

function rows(schema: JsonSchema, prefix: string, out: string[][]): void {
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (name === '$schema') continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const required = schema.required?.includes(name) && field.default === undefined;
    const defaultText =
      field.default === undefined
        ? required
          ? 'required'
          : ''
        : typeof field.default === 'object' && Object.keys(field.default ?? {}).length === 0
          ? ''
          : `\`${JSON.stringify(field.default)}\``;
    if (field.type === 'object' && field.properties) {
      out.push([`**\`${path}\`**`, 'section', defaultText, field.description ?? '']);
      rows(field, path, out);
    } else {
      out.push([`\`${path}\``, typeOf(field), defaultText, field.description ?? '']);
    }
  }
}

/** The field table of docs/configuration.md, from the schema that validates the files. */
export function configurationReference(): string {
  const out: string[][] = [];
  rows(environmentJsonSchema() as JsonSchema, '', out);
  return markdownTable(['field', 'type', 'default', 'description'], out);
}
