// Lint rules: type-aware promise checks and the module boundaries from docs/STYLE.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const boundary = (patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: patterns.map((group) => ({ group, message: 'module boundary, see docs/STYLE.md' })),
    },
  ],
});

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', 'eslint.config.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      curly: ['error', 'all'],
      complexity: ['warn', 12],
      'max-depth': ['warn', 3],
      'max-params': ['warn', 4],
    },
  },
  // Plain JavaScript (bench scripts) is linted without type information.
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false, program: null },
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        structuredClone: 'readonly',
        performance: 'readonly',
      },
    },
  },
  { files: ['src/**/*.ts'], ignores: ['src/**/*.test.ts'], rules: { 'no-console': 'error' } },
  {
    files: [
      'src/controllers/**/*.ts',
      'src/node/**/*.ts',
      'src/proxy/**/*.ts',
      'src/metrics/**/*.ts',
    ],
    // Tests run loops against the real in-memory API (docs/STYLE.md), so they may import it.
    ignores: ['**/*.test.ts'],
    rules: boundary([['**/store/**', '**/api/**']]),
  },
  {
    files: ['src/autoscaling/**/*.ts', 'src/lib/**/*.ts'],
    rules: boundary([
      ['**/store/**', '**/api/**', '**/client/**', '**/controllers/**', '**/node/**'],
    ]),
  },
  {
    files: ['src/apis/**/*.ts'],
    rules: boundary([['**/store/**', '**/api/**', '**/client/**', '**/controllers/**']]),
  },
  {
    files: ['src/client/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: boundary([['**/store/**', '**/controllers/**']]),
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', '**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
