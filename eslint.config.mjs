// ESLint: the NestJS starter's baseline (eslint recommended, typescript-eslint type-checked) and
// the rules that guard the layering of this codebase (docs/conventions.md).
import path from 'node:path';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** A module's repository is its own: other folders call its service. */
const layering = {
  rules: {
    'no-foreign-repository': {
      meta: {
        type: 'problem',
        messages: { foreign: "{{from}} imports {{to}}: another module's repository; call that module's service instead" },
      },
      create(context) {
        const file = context.filename;
        const src = path.join(context.cwd, 'src') + path.sep;
        if (!file.startsWith(src)) return {};
        const folder = file.slice(src.length).split(path.sep)[0];
        // The command-line entry points compose modules, as main.ts does.
        if (folder === 'cli') return {};
        return {
          ImportDeclaration(node) {
            const spec = node.source.value;
            if (typeof spec !== 'string' || !spec.startsWith('.')) return;
            const target = path.resolve(path.dirname(file), spec);
            if (!target.startsWith(src) || !/\.repository$/.test(target)) return;
            const targetFolder = target.slice(src.length).split(path.sep)[0];
            if (targetFolder !== folder && node.importKind !== 'type') {
              context.report({ node, messageId: 'foreign', data: { from: folder, to: target.slice(src.length) } });
            }
          },
        };
      },
    },
  },
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'src/generated/**', 'coverage/**', 'test-output/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: ['./tsconfig.test.json', './src/admin/client/tsconfig.json'], tsconfigRootDir: import.meta.dirname },
    },
    plugins: { otklik: layering },
    rules: {
      // As in the NestJS starter.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-floating-promises': 'warn',
      '@typescript-eslint/no-unsafe-argument': 'warn',
      'otklik/no-foreign-repository': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Hostile JSON and template arguments are turned into text on purpose: an object there
      // becomes "[object Object]", which is the intended outcome, never a crash.
      '@typescript-eslint/no-base-to-string': 'off',
      // The storable-text and MIME code matches control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Tests read JSON answers (typed `any` by fetch) field by field: the no-unsafe family would
    // demand a cast on every line of every assertion.
    files: ['test/**/*.ts', '**/*.spec.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Fakes implement async interfaces without awaiting anything; parsed rows are cast to
      // the shape the assertion expects; log lines are rebuilt from parsed JSON.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/restrict-template-expressions': 'off',
    },
  },
);
