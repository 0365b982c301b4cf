import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'yaml';
import { applyUploadCeiling } from '../../src/upload-ceiling';

const BUILT_IN = ['default', 'agents', 'anthropic', 'assistants', 'azureAssistants'];

test('sets the server limit and every built-in and custom endpoint limit, keeps comments', () => {
  const text = `# my config
version: 1.2.1
endpoints:
  custom:
    - name: "Mistral"   # a custom endpoint
      apiKey: "x"
    - name: Groq
`;
  const r = applyUploadCeiling(text, 4);
  const out = parse(r.text);
  assert.equal(out.fileConfig.serverFileSizeLimit, 4);
  for (const name of [...BUILT_IN, 'Mistral', 'Groq']) {
    assert.equal(out.fileConfig.endpoints[name].fileSizeLimit, 4, name);
  }
  assert.match(r.text, /# a custom endpoint/);
  assert.equal(out.endpoints.custom[0].apiKey, 'x');
  assert.ok(r.capped.includes('fileConfig.endpoints.Mistral.fileSizeLimit'));
});

test('lower user values stay, higher ones are capped, other fields are untouched', () => {
  const text = `fileConfig:
  serverFileSizeLimit: 100
  avatarSizeLimit: 2
  endpoints:
    agents:
      fileLimit: 5
      fileSizeLimit: 1
    assistants:
      fileSizeLimit: 20
    openAI:
      disabled: true
`;
  const r = applyUploadCeiling(text, 4);
  const out = parse(r.text);
  assert.equal(out.fileConfig.serverFileSizeLimit, 4);
  assert.equal(out.fileConfig.avatarSizeLimit, 2);
  assert.deepEqual(out.fileConfig.endpoints.agents, { fileLimit: 5, fileSizeLimit: 1 });
  assert.equal(out.fileConfig.endpoints.assistants.fileSizeLimit, 4);
  assert.deepEqual(out.fileConfig.endpoints.openAI, { disabled: true });
  assert.ok(!r.capped.includes('fileConfig.endpoints.agents.fileSizeLimit'));
});

test('nothing already within the ceiling: the text is returned unchanged', () => {
  const first = applyUploadCeiling('version: 1.2.1\n', 3).text;
  const again = applyUploadCeiling(first, 3);
  assert.deepEqual(again.capped, []);
  assert.equal(again.text, first);
});

test('YAML it cannot handle is left alone with the reason', () => {
  assert.match(String(applyUploadCeiling('a: [1, 2', 4).skipped), /not valid YAML/);
  assert.match(
    String(applyUploadCeiling('fileConfig: 3\n', 4).skipped),
    /fileConfig is not a mapping/,
  );
  assert.equal(applyUploadCeiling('fileConfig: 3\n', 4).text, 'fileConfig: 3\n');
});
