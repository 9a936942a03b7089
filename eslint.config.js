// ESLint flat config: typescript-eslint's type-aware recommended rules over the sources and benches.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'out/**', 'src/**/generated/**', 'test/**', 'scripts/**', '*.config.*'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      // many functions are async to implement an async interface (CliIO.readStdin, benchmarks) without awaiting
      '@typescript-eslint/require-await': 'off',
    },
  },
  // The rules explorer's page script runs in the browser as a classic script, untyped.
  {
    files: ['src/site/assets/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'script',
      globals: { window: 'readonly', document: 'readonly', location: 'readonly', history: 'readonly', performance: 'readonly', URLSearchParams: 'readonly' },
    },
  },
);
