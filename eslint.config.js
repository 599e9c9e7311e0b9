import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'schema/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core takes strings and objects and returns values: no file system, network or process I/O.
    files: [
      'src/policy/**',
      'src/lint/**',
      'src/translators/**',
      'src/emulators/**',
      'src/verify/**',
      'src/compose/**',
      'src/render/**',
      'src/peers/**',
      'src/migrate/**',
      'src/cases/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            'fs',
            'node:fs',
            'fs/promises',
            'node:fs/promises',
            'http',
            'node:http',
            'net',
            'node:net',
            'child_process',
            'node:child_process',
            '@oclif/core',
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process'],
    },
  },
);
