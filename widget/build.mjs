// Bundles src/ into dist/center-chat.js (one classic script, no runtime
// framework) and fails when the gzipped size passes the budget.
import { build } from 'esbuild';
import { readFileSync, mkdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outfile = join(here, 'dist', 'center-chat.js');
const BUDGET_GZIP_BYTES = 60 * 1024;

mkdirSync(dirname(outfile), { recursive: true });
await build({
  entryPoints: [join(here, 'src', 'index.js')],
  outfile,
  bundle: true,
  format: 'iife',
  minify: true,
  legalComments: 'eof',
  target: ['es2019', 'chrome80', 'firefox78', 'safari13.1'],
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});

const code = readFileSync(outfile);
const gzipped = gzipSync(code, { level: 9 }).length;
console.log(`dist/center-chat.js: ${(code.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped (budget 60 KB)`);
if (gzipped > BUDGET_GZIP_BYTES) {
  console.error('bundle is over the 60 KB gzip budget');
  process.exit(1);
}
