// Bundles src/ into one classic script (no runtime framework) and writes it
// under a content-hashed name with gzip and brotli copies beside it:
//   dist/center-chat.js                the bundle (stable name, for development)
//   dist/center-chat.<hash>.js(.gz|.br) the file to serve, cached for a year
//   dist/manifest.json                 {"center-chat.js": "center-chat.<hash>.js"}
// Fails when the gzipped size passes the budget.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
const outfile = join(dist, 'center-chat.js');
// About 20% above the bundle's size (33 KB): a new dependency or a big
// mistake fails the build, the next small feature does not.
const BUDGET_GZIP_BYTES = 40 * 1024;

mkdirSync(dist, { recursive: true });
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
const hash = createHash('sha256').update(code).digest('hex').slice(0, 12);
const hashedName = `center-chat.${hash}.js`;
for (const name of readdirSync(dist)) {
  if (/^center-chat\.[0-9a-f]{12}\.js(\.gz|\.br)?$/.test(name) && !name.startsWith(hashedName)) unlinkSync(join(dist, name));
}
const gzipped = gzipSync(code, { level: 9 });
const brotli = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
writeFileSync(join(dist, hashedName), code);
writeFileSync(join(dist, `${hashedName}.gz`), gzipped);
writeFileSync(join(dist, `${hashedName}.br`), brotli);
writeFileSync(join(dist, 'manifest.json'), `${JSON.stringify({ 'center-chat.js': hashedName }, null, 2)}\n`);

const kb = (bytes) => (bytes / 1024).toFixed(1);
console.log(
  `dist/${hashedName}: ${kb(code.length)} KB, ${kb(gzipped.length)} KB gzipped, ${kb(brotli.length)} KB brotli (budget ${kb(BUDGET_GZIP_BYTES)} KB gzipped)`,
);
if (gzipped.length > BUDGET_GZIP_BYTES) {
  console.error(`the bundle is over the ${kb(BUDGET_GZIP_BYTES)} KB gzip budget`);
  process.exit(1);
}
