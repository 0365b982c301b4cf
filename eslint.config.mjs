import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'cdktf.out/',
      'build/',
      'coverage/',
      '**/dist/',
      // handler/ is its own package with its own lint config (npm run test:handler runs it).
      'handler/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Plain browser scripts published with the web client (the stop relay).
    files: ['src/frontend/client/**/*.js'],
    languageOptions: { sourceType: 'script', globals: { window: 'readonly' } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
      },
    },
  },
  {
    // The end-to-end suite runs on Node directly (no build step).
    files: ['e2e/**/*.mjs'],
    languageOptions: {
      globals: {
        Buffer: 'readonly',
        performance: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        URLSearchParams: 'readonly',
        TextDecoder: 'readonly',
        window: 'readonly',
      },
    },
  },
  {
    files: ['__tests__/**/*.ts'],
    rules: {
      // Tests read synthesized Terraform JSON, which is untyped by nature.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Fail on a root import of the AWS provider: it loads every resource (seconds, half a GB).
    files: ['**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: '@cdktf/provider-aws',
              message: 'Import from @cdktf/provider-aws/lib/<resource> instead.',
            },
          ],
        },
      ],
    },
  },
);
