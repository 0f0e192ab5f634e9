// Bundles the admin UI's browser modules (src/admin/client/*.ts, one bundle per file) into
// dist/client/, from npm packages only: nothing is loaded from a CDN at run time. Run by
// `npm run build` after `nest build`; the admin controller serves dist/client/<name>.js at
// /admin/assets/<name>.js.
const { buildSync } = require('esbuild');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'src/admin/client');
const entries = readdirSync(source)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts'))
  .filter((name) => !name.startsWith('_'))
  .map((name) => join(source, name));

buildSync({
  entryPoints: entries,
  outdir: join(root, 'dist/client'),
  bundle: true,
  format: 'iife',
  target: ['es2020'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
});
