// Before the browser journeys: build the web app if it is missing or older than its sources,
// and say loudly when there is no browser (with REQUIRE_BROWSER=1 that fails the run).
import fs from 'node:fs';
import { buildWebIfStale } from '../../scripts/build-web.js';
import { CHROMIUM } from './desk.js';

export default function setup(): void {
  if (!fs.existsSync(CHROMIUM)) {
    const msg = `\n${'!'.repeat(72)}\n  NO BROWSER at ${CHROMIUM}: the browser journeys in test/e2e are SKIPPED.\n  Install it with: apt-get install -y chromium\n${'!'.repeat(72)}\n`;
    if (process.env.REQUIRE_BROWSER === '1') throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing`);
    console.error(msg);
    return;
  }
  buildWebIfStale();
}
