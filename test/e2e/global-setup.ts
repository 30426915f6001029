// Before the browser journeys: build the web app if it is missing or older than its sources,
// and say loudly when there is no browser (with REQUIRE_BROWSER=1 that fails the run).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { CHROMIUM } from './desk.js';

function newest(dir: string): number {
  let t = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : fs.statSync(p).mtimeMs);
  }
  return t;
}

export default function setup(): void {
  if (!fs.existsSync(CHROMIUM)) {
    const msg = `\n${'!'.repeat(72)}\n  NO BROWSER at ${CHROMIUM}: the browser journeys in test/e2e are SKIPPED.\n  Install it with: apt-get install -y chromium\n${'!'.repeat(72)}\n`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
    console.error(msg);
    return;
  }
  const index = path.resolve('dist/web/index.html');
  const built = fs.existsSync(index) ? fs.statSync(index).mtimeMs : 0;
  const sources = Math.max(newest(path.resolve('src/web')), newest(path.resolve('src/contracts')));
  if (built < sources) {
    console.log('Building the web app for the browser journeys…');
    execFileSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
      stdio: 'inherit',
    });
  }
}
