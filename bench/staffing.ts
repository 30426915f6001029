// The staffing planner's arithmetic benchmark (issue 12): a full week plan (7 × 24 intervals ×
// 1…200 agents, Erlang C and A) for three demand profiles and for the worst flat week of a grid,
// one Erlang A point at 500 agents, and the forecast from a year of hourly history at a million
// cases. Pure CPU work, no database.
// Run alone with `flock /tmp/servewell-bench.lock npx tsx bench/staffing.ts`; `bench/run.ts`
// can call `benchStaffing()` and append `staffingTable()`. It reports numbers and never fails.
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { erlangA } from '../src/server/staffing/erlang.js';
import { smallestStaff, weekPlan, type IntervalDemand } from '../src/server/staffing/plan.js';
import { forecastWeek, type HourlyCount } from '../src/server/staffing/forecast.js';
import fs from 'node:fs';
import { migrateToLatest, openDb, type Db } from '../src/server/db/index.js';
import { dayToIso, isoToDay, localTime, mondayOf } from '../src/server/staffing/calendar.js';
import { arrivalCounts } from '../src/server/staffing/queries.js';

export interface StaffingRow {
  name: string;
  p50: number;
  p95: number;
  /** CPU time per call, median. */
  cpuP50: number;
  /** The bar in ms, when it sets one. */
  bar?: number;
}

interface Profile {
  name: string;
  peakPerHour: number;
  handleSeconds: number;
  patienceSeconds: number;
}

/** Three kinds of desk; the Erlang load at the peak is peak × handle / 3600. */
export const PROFILES: Profile[] = [
  {
    name: 'box office (peak 120 calls/h, 4 min, patience 3 min; ≤ 8 Erlangs)',
    peakPerHour: 120,
    handleSeconds: 240,
    patienceSeconds: 180,
  },
  {
    name: 'helpline (peak 1,500 calls/h, 5 min, patience 2 min; ≤ 125 Erlangs)',
    peakPerHour: 1500,
    handleSeconds: 300,
    patienceSeconds: 120,
  },
  {
    name: 'large centre (peak 3,000 calls/h, 4 min, patience 10 min; ≤ 200 Erlangs)',
    peakPerHour: 3000,
    handleSeconds: 240,
    patienceSeconds: 600,
  },
];

/** A week of hourly demand: open 9:00–21:00 with a midday peak, 5% of it overnight, quieter Sundays. */
export function weekOf(p: Profile): IntervalDemand[] {
  const out: IntervalDemand[] = [];
  for (let day = 0; day < 7; day++) {
    for (let hour = 0; hour < 24; hour++) {
      const open = hour >= 9 && hour < 21;
      const shape = open ? 0.6 + 0.4 * Math.sin(((hour - 9) / 12) * Math.PI) : 0.05;
      const dayFactor = day === 6 ? 0.5 : 1;
      out.push({
        arrivalsPerHour: p.peakPerHour * shape * dayFactor,
        handleSeconds: p.handleSeconds,
        patienceSeconds: p.patienceSeconds,
      });
    }
  }
  return out;
}

/** A year (52 weeks) of hourly counts adding up to `cases`, shaped like `weekOf`. */
export function yearOfCounts(cases: number): HourlyCount[] {
  const shape = weekOf(PROFILES[0]!).map((d) => d.arrivalsPerHour);
  const perWeek = cases / 52;
  const scale = perWeek / shape.reduce((s, v) => s + v, 0);
  const rows: HourlyCount[] = [];
  const start = Date.UTC(2025, 2, 3);
  let total = 0;
  for (let w = 0; w < 52; w++) {
    const weekStart = new Date(start + w * 7 * 86_400_000).toISOString().slice(0, 10);
    const season = 1 + 0.3 * Math.sin((w / 52) * 2 * Math.PI);
    shape.forEach((v, i) => {
      const count = Math.round(v * scale * season);
      total += count;
      rows.push({ weekStart, weekday: Math.floor(i / 24), hour: i % 24, count });
    });
  }
  // Exactly `cases` in all: the rounding difference spread one by one (never below zero).
  let diff = cases - total;
  for (let i = 0; diff !== 0; i = (i + 1) % rows.length) {
    const row = rows[i]!;
    if (diff > 0) {
      row.count++;
      diff--;
    } else if (row.count > 0) {
      row.count--;
      diff++;
    }
  }
  return rows;
}

/**
 * Times `run`: each sample is `inner` calls in a row, reported per call. Wall time is what a
 * request waits; CPU time (this process, user + system) is what the work costs, and stays
 * honest when other work shares the machine's two cores.
 */
function measure(
  name: string,
  samples: number,
  inner: number,
  run: () => unknown,
  bar?: number,
): StaffingRow {
  // Warm until the optimizing compiler has settled: half the samples, and at least half a
  // second (a server computes plans all day). With 20 calls, the first 40 of 200 samples of a
  // small plan still ran while V8 recompiled the series code for the new profile (CPU time as
  // high as the wall time), and that warm-up, not the arithmetic, set the p95.
  const warmUntil = performance.now() + 500;
  for (let i = 0; i < Math.max(5, samples / 2) || performance.now() < warmUntil; i++) run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < samples; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let j = 0; j < inner; j++) run();
    wall.push((performance.now() - t0) / inner);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000 / inner);
  }
  const at = (xs: number[], q: number) =>
    [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  return {
    name,
    p50: at(wall, 0.5),
    p95: at(wall, 0.95),
    cpuP50: at(cpu, 0.5),
    ...(bar === undefined ? {} : { bar }),
  };
}

/**
 * The worst week for the plan's arithmetic, searched rather than chosen: a flat week (every hour
 * at the same load, a 24/7 line) over a grid of loads up to 200 Erlangs, handle times from 20 s
 * to 15 min and patience from 30 s to 30 min. Each candidate is timed as the fastest of a few
 * plans (so the machine's slow moments do not pick it), and the slowest candidate is returned.
 */
export function worstFlatWeek(): { name: string; intervals: IntervalDemand[] } {
  let worst = { ms: -1, name: '', intervals: [] as IntervalDemand[] };
  for (const erlangs of [50, 100, 150, 199]) {
    for (const handleSeconds of [20, 60, 120, 180, 240, 300, 600, 900]) {
      for (const patienceSeconds of [30, 60, 120, 180, 300, 600, 1800]) {
        const arrivalsPerHour = (erlangs / handleSeconds) * 3600;
        const intervals = Array.from({ length: 7 * 24 }, () => ({ arrivalsPerHour, handleSeconds, patienceSeconds }));
        const input = { intervals, targetSeconds: 20, serviceLevelTarget: 0.8, maxAgents: 200 };
        weekPlan(input);
        let fastest = Infinity;
        for (let i = 0; i < 3; i++) {
          const t0 = performance.now();
          weekPlan(input);
          fastest = Math.min(fastest, performance.now() - t0);
        }
        if (fastest > worst.ms) {
          worst = {
            ms: fastest,
            name: `worst flat week of the grid (${erlangs} Erlangs every hour: ${Math.round(arrivalsPerHour).toLocaleString('en-US')} calls/h, ${handleSeconds} s, patience ${patienceSeconds} s)`,
            intervals,
          };
        }
      }
    }
  }
  return worst;
}

export function benchStaffing(options: { repetitions?: number } = {}): StaffingRow[] {
  const reps = options.repetitions ?? 200;
  const rows: StaffingRow[] = [];
  const worst = worstFlatWeek();
  for (const p of [...PROFILES, { name: worst.name, intervals: worst.intervals }]) {
    const intervals = 'intervals' in p ? p.intervals : weekOf(p);
    rows.push(
      measure(
        `Week plan, ${p.name}`,
        reps,
        1,
        () => weekPlan({ intervals, targetSeconds: 20, serviceLevelTarget: 0.8, maxAgents: 200 }),
        10,
      ),
    );
  }
  for (const [label, perHour] of [
    ['load = 500 Erlangs', 6000],
    ['load = 450', 5400],
    ['load = 750', 9000],
  ] as const) {
    rows.push(
      measure(
        `Erlang A, one interval, 500 agents (${label}, 5 min, patience 2 min)`,
        reps,
        100,
        () =>
          erlangA({
            arrivalsPerHour: perHour,
            handleSeconds: 300,
            patienceSeconds: 120,
            agents: 500,
            targetSeconds: 20,
          }),
        1,
      ),
    );
  }
  rows.push(
    measure('Smallest staff for 80/20, Erlang A, 125 Erlangs', reps, 10, () =>
      smallestStaff({
        arrivalsPerHour: 1500,
        handleSeconds: 300,
        patienceSeconds: 120,
        targetSeconds: 20,
        serviceLevelTarget: 0.8,
      }),
    ),
  );
  const counts = yearOfCounts(1_000_000);
  const nextWeek = new Date(Date.UTC(2025, 2, 3) + 52 * 7 * 86_400_000).toISOString().slice(0, 10);
  rows.push(
    measure(
      `Forecast from a year of hourly history (${counts.length.toLocaleString('en-US')} rows, 1,000,000 cases)`,
      reps,
      1,
      () => forecastWeek({ weekStart: nextWeek, counts, weeks: 52 }),
      200,
    ),
  );
  return rows;
}

async function measureAsync(name: string, samples: number, run: () => Promise<unknown>, bar?: number): Promise<StaffingRow> {
  for (let i = 0; i < Math.max(5, samples / 10); i++) await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < samples; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await run();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const at = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
  return { name, p50: at(wall, 0.5), p95: at(wall, 0.95), cpuP50: at(cpu, 0.5), ...(bar === undefined ? {} : { bar }) };
}

/**
 * The planner's forecast as the server computes it: a year (52 weeks) of one team's and
 * channel's arrivals read from the pre-aggregated `arrival_counts` (one index range, at most
 * 52 × 168 rows whatever the number of cases), the weighted forecast, and the smallest staff
 * for each of the week's 168 hours. On the generated data (`npm run gen`: team 1, Box office,
 * phone) when given; otherwise on a database of its own holding the aggregate of `cases` cases.
 */
export async function benchForecastTable(
  options: { sqliteFile?: string; databaseUrl?: string; cases?: number; repetitions?: number } = {},
): Promise<StaffingRow[]> {
  const reps = options.repetitions ?? 50;
  let db: Db;
  let label: string;
  const teamId = 1;
  if (options.databaseUrl) {
    db = openDb({ databaseUrl: options.databaseUrl, poolSize: 2 });
    label = 'generated data, PostgreSQL';
  } else if (options.sqliteFile && fs.existsSync(options.sqliteFile)) {
    db = openDb({ sqliteFile: options.sqliteFile });
    label = 'generated data, SQLite';
  } else {
    const cases = options.cases ?? 100_000;
    db = openDb({ sqliteFile: ':memory:' });
    await migrateToLatest(db);
    const k = db.kysely;
    await k.insertInto('organizations').values({ id: 1, slug: 'bench', name: 'Bench', locale: 'en-US', time_zone: 'America/Chicago', currency: 'USD', case_prefix: 'SW', case_seq: 1000, default_team_id: null, created_at: 0 }).execute();
    await k.insertInto('teams').values({ id: 1, org_id: 1, name: 'Box office', created_at: 0 }).execute();
    const rows = yearOfCounts(cases).map((c) => ({ org_id: 1, team_id: teamId, channel: 'phone' as const, day: isoToDay(c.weekStart) + c.weekday, hour: c.hour, count: c.count }));
    for (let i = 0; i < rows.length; i += 500) await k.insertInto('arrival_counts').values(rows.slice(i, i + 500)).execute();
    label = `own SQLite, the aggregate of ${cases.toLocaleString('en-US')} cases`;
  }
  try {
    const k = db.kysely;
    const latest = await k.selectFrom('arrival_counts').select((eb) => eb.fn.max('day').as('day')).where('team_id', '=', teamId).where('channel', '=', 'phone').executeTakeFirst();
    const lastDay = Number(latest?.day ?? localTime('America/Chicago', Date.now()).day);
    const monday = mondayOf(lastDay) + 7;
    const total = await k.selectFrom('arrival_counts').select((eb) => eb.fn.sum<number>('count').as('n')).where('team_id', '=', teamId).where('channel', '=', 'phone').where('day', '>=', monday - 364).execute();
    const year = async () => {
      const rows = await arrivalCounts(k, teamId, 'phone', monday - 52 * 7, monday - 1);
      const counts: HourlyCount[] = rows.map((r) => {
        const m = mondayOf(r.day);
        return { weekStart: dayToIso(m), weekday: r.day - m, hour: r.hour, count: r.count };
      });
      const f = forecastWeek({ weekStart: dayToIso(monday), counts, weeks: 52 });
      for (const day of f.arrivals) {
        for (const perHour of day) {
          if (perHour > 0) smallestStaff({ arrivalsPerHour: perHour, handleSeconds: 240, patienceSeconds: 180, targetSeconds: 20, serviceLevelTarget: 0.8, maxAgents: 200 });
        }
      }
      return f;
    };
    const casesInYear = Number(total[0]?.n ?? 0);
    return [
      await measureAsync(
        `Forecast from a year of arrivals in arrival_counts + staff per hour (${label}; ${casesInYear.toLocaleString('en-US')} phone arrivals of the team in that year)`,
        reps,
        year,
        200,
      ),
    ];
  } finally {
    await db.close();
  }
}

export function staffingTable(rows: StaffingRow[]): string {
  const f = (x: number) => (x < 0.1 ? x.toFixed(4) : x.toFixed(2));
  return [
    '**Staffing arithmetic** (pure CPU, one thread)',
    '',
    '| Measure | p50 (ms) | p95 (ms) | CPU p50 (ms) | Bar (ms) | |',
    '|---|---:|---:|---:|---:|---|',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${f(r.p50)} | ${f(r.p95)} | ${f(r.cpuP50)} | ${r.bar ?? ''} | ${r.bar === undefined ? '' : r.p95 <= r.bar ? 'met' : 'missed'} |`,
    ),
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `${os.cpus().length} × ${cpu}, Node ${process.version}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}\n`,
  );
  const cases = Number(process.argv.find((a) => a.startsWith('--cases='))?.slice(8) ?? 100_000);
  console.log(staffingTable([...benchStaffing(), ...(await benchForecastTable({ cases }))]));
}
