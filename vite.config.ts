// The web app: built into dist/web and served by the API server; `npm run dev:web` proxies
// /api to a server started with `npm run dev`. Two entries: the desk (index.html, each route its
// own chunk: router.tsx) and the public pages (help.html: help center, forms, status page, with
// neither the desk nor its router nor zod). Every asset is written compressed beside itself
// (.br, .gz) so the server sends the smallest file the browser takes without compressing on
// each request.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { PUBLIC_PAGE } from './src/contracts/routes.js';

const COMPRESSIBLE = /\.(js|css|svg|html|json|txt|map)$/;

function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'servewell-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string): string[] =>
        fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
          const p = path.join(dir, e.name);
          return e.isDirectory() ? walk(p) : [p];
        });
      // The manifest (.vite/) is read by the server from disk, never sent.
      const sent = (f: string) => COMPRESSIBLE.test(f) && !f.includes(`${path.sep}.vite${path.sep}`);
      for (const file of walk(outDir).filter(sent)) {
        const raw = fs.readFileSync(file);
        if (raw.length < 1024) continue; // headers would cost more than they save
        const br = zlib.brotliCompressSync(raw, {
          params: {
            [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
            [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
          },
        });
        const gz = zlib.gzipSync(raw, { level: 9 });
        if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
        if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
      }
    },
  };
}

/** In development, the public pages' addresses get their shell, as the server sends it. */
function publicShell(): Plugin {
  return {
    name: 'servewell-public-shell',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use((req, _res, next) => {
        if (req.url && PUBLIC_PAGE.test(req.url)) req.url = '/help.html';
        next();
      });
    },
  };
}

const web = (file: string) => fileURLToPath(new URL(`./src/web/${file}`, import.meta.url));

export default defineConfig({
  root: 'src/web',
  plugins: [react(), precompress(), publicShell()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    // Which files each screen needs: the server names a queue's in the page it sends with its
    // first view, so they load at once instead of one round trip after another.
    manifest: true,
    rolldownOptions: {
      input: { index: web('index.html'), help: web('help.html') },
      output: {
        // React gets its own chunk and the overlays (menus, dialogs, pickers: the desk's) theirs,
        // so a public page's first load carries neither the overlays nor anything of the desk.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 },
            {
              name: 'overlays',
              test: /node_modules[\\/](@floating-ui|react-remove-scroll|react-remove-scroll-bar|use-sidecar|use-callback-ref|react-style-singleton|get-nonce|tslib)[\\/]/,
              priority: 10,
            },
          ],
        },
      },
    },
  },
  server: { port: 5173, proxy: { '/api': 'http://127.0.0.1:3000', '/healthz': 'http://127.0.0.1:3000' } },
});
