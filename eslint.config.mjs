// ESLint (flat config) with typescript-eslint's recommended rules over every hand-written source.
// Formatting is Prettier's job (.prettierrc.json), so no stylistic rules here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/generated/**',
      'openapi/client/schema.d.ts',
      'coverage/**',
      '.data/**',
      '.tools/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
    },
    rules: {
      // Unused arguments document an interface (tsoa handlers, Koa middleware); unused locals are tsc's job.
      '@typescript-eslint/no-unused-vars': ['error', { args: 'none', ignoreRestSiblings: true, caughtErrors: 'none' }],
      // prom-client calls a gauge's collect() with `this` bound to the gauge, so the metrics object is `self`.
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      // `import { z }` is zod's namespace as one object, which no bundler can trim: every service
      // bundle then carried all of zod (locales included) and parsed it at every start
      // (docs/benchmarks.md, row 5). `import * as z from 'zod'` is the same API, tree-shaken.
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
          message: "Use `import * as z from 'zod'` (tree-shaken bundles, docs/benchmarks.md row 5).",
        },
      ],
    },
  },
);
