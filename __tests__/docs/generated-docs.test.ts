import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvironmentFile } from '../../src/config/load';
import { GENERATED_DOCS, replaceGeneratedSection } from '../../src/docs';
import { configurationReference, environmentJsonSchema } from '../../src/docs/config-reference';
import { guardrailReference } from '../../src/docs/guardrail-reference';
import { handlerEnvironmentReference } from '../../src/docs/handler-environment';
import { VARIABLES, type VariableSpec } from '../../handler/src/contract';
import { GUARDRAIL_RULES } from '../../src/guardrails';
import { REPO_ROOT } from '../helpers/config';

describe('generated docs', () => {
  it.each(GENERATED_DOCS.map((d) => [`${d.file}${d.section ? ` (${d.section})` : ''}`, d]))(
    '%s is current (run `npm run docs` after changing the schema or the rules)',
    (_name, doc) => {
      const text = readFileSync(join(REPO_ROOT, doc.file), 'utf8');
      const expected = doc.section
        ? replaceGeneratedSection(text, doc.section, doc.render())
        : doc.render();
      expect(text).toBe(expected);
    },
  );

  it('lists every field of the schema by its dotted path, with type, default and description', () => {
    const reference = configurationReference();
    expect(reference).toMatch(/^\| `region` \| string \| required \| AWS region of the stack \|$/m);
    expect(reference).toMatch(
      /^\| `lambda\.memoryMb` \| whole number \| `1024` \| Lambda memory in MB \(CPU scales with it\) \|$/m,
    );
    expect(reference).toMatch(
      /^\| `lambda\.architecture` \| "x86_64" \\\| "arm64" \| `"x86_64"` \|/m,
    );
    expect(reference).toMatch(/^\| \*\*`monitoring\.lambda`\*\* \| section \|/m);
  });

  it('has a description for every field of the schema (set with .describe() where it is defined)', () => {
    const undescribed: string[] = [];
    const walk = (schema: any, path: string) => {
      for (const [name, field] of Object.entries<any>(schema.properties ?? {})) {
        if (name === '$schema') continue;
        const here = path ? `${path}.${name}` : name;
        if (!field.description) undescribed.push(here);
        if (field.properties) walk(field, here);
      }
    };
    walk(environmentJsonSchema(), '');
    expect(undescribed).toEqual([]);
  });

  it('lists every guardrail rule, and the suppression check', () => {
    const table = guardrailReference();
    for (const rule of GUARDRAIL_RULES)
      expect(table).toContain(`| \`${rule.id}\` | ${rule.description} |`);
    expect(table).toContain('| `GR-SUPPRESSION` |');
  });

  it("lists every variable of the handler's contract with its default and range", () => {
    const table = handlerEnvironmentReference();
    for (const [name, spec] of Object.entries<VariableSpec>(VARIABLES)) {
      const row = table.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row).toBeDefined();
      const cells = row!.split(' | ');
      expect(cells[1]).toBe(spec.default === undefined ? 'unset' : `\`${String(spec.default)}\``);
      expect(cells[2]).toBe(spec.min === undefined ? '' : `${spec.min}-${spec.max}`);
    }
  });

  it('refuses a file whose markers are missing instead of writing around them', () => {
    expect(() => replaceGeneratedSection('no markers here', 'x', 'y')).toThrow(
      'expected the markers <!-- generated:x --> and <!-- /generated:x -->',
    );
  });
});

describe('config/dev.json', () => {
  it('points editors at the generated JSON Schema, which the loader accepts', () => {
    const text = readFileSync(join(REPO_ROOT, 'config', 'dev.json'), 'utf8');
    expect(JSON.parse(text).$schema).toBe('./environment.schema.json');
    expect(parseEnvironmentFile('config/dev.json', text).problems).toBeUndefined();
  });
});
