import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnvironmentFile } from '../../src/config/load';
import { GENERATED_DOCS, replaceGeneratedSection } from '../../src/docs';
import { configurationReference } from '../../src/docs/config-reference';
import { guardrailReference } from '../../src/docs/guardrail-reference';
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

  it('lists every field of the schema, nested ones by their dotted path, with its expectation', () => {
    const reference = configurationReference();
    expect(reference).toMatch(
      /^\| `region` \| string \| required \| an AWS region such as eu-west-1 \|$/m,
    );
    expect(reference).toMatch(
      /^\| `lambda\.memoryMb` \| whole number \| `1024` \| the Lambda memory in MB: a whole number from 128 to 10240 \|$/m,
    );
    expect(reference).toMatch(/^\| \*\*`monitoring\.lambda`\*\* \| section \|/m);
  });

  it('lists every guardrail rule, and the suppression check', () => {
    const table = guardrailReference();
    for (const rule of GUARDRAIL_RULES)
      expect(table).toContain(`| \`${rule.id}\` | ${rule.description} |`);
    expect(table).toContain('| `GR-SUPPRESSION` |');
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
