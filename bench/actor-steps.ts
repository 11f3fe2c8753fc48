// Bench 1 (actor steps/s) and bench 5 (metrics cost). 1M stepper actors, each woken every tick:
// an RNG draw, a state update, an occasional send. Baselines in the same run: the plain loop in
// one thread and split over two raw worker threads. Every subject is measured in a fresh process
// of its own (bench/actor-steps-subject.ts), once per round.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { STEP_BENCH, fmt, medianOf, printTable } from './harness.js';

const { actors: ACTORS, ticks: TICKS, warmTicks: WARM_TICKS } = STEP_BENCH;
// The host drifts by tens of percent from one minute to the next, so every subject runs once per
// round, rounds repeat, and each ratio is the median of its per-round ratios.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);

const subjectFile = fileURLToPath(new URL('./actor-steps-subject.js', import.meta.url));
function measure(...args: string[]): Record<string, number> {
  const out = execFileSync(process.execPath, [subjectFile, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Record<string, number>;
}

const configurations = [
  ['tw1', 1, false],
  ['tw2', 2, false],
  ['tw0', 0, false],
  ['tw1Observed', 1, true],
] as const;
type TickworkKey = (typeof configurations)[number][0];
type Round = { plain: number; plainMain: number; raw1: number; raw2: number } & Record<TickworkKey, number> &
  Partial<Record<`${TickworkKey}Whole`, number>>;

const rounds: Round[] = [];
for (let k = 0; k < ROUNDS; k++) {
  const { plainMain, raw1, raw2 } = measure('plain');
  // The one-thread baseline is the faster of the two one-thread loops in the round.
  const round = { plain: Math.max(plainMain, raw1), plainMain, raw1, raw2 } as Round;
  // A different order each round (a rotation), so no configuration always follows the same one.
  for (let i = 0; i < configurations.length; i++) {
    const [key, workers, observe] = configurations[(i + k) % configurations.length];
    const { steady, whole } = measure('tickwork', String(workers), observe ? '1' : '0');
    round[key] = steady;
    round[`${key}Whole`] = whole;
  }
  rounds.push(round);
  process.stderr.write(`round ${k + 1}/${ROUNDS}\n`);
}
const rate = (key: keyof Round) => medianOf(rounds.map((r) => r[key]!));
const ratio = (key: keyof Round, base: keyof Round = 'plain') => medianOf(rounds.map((r) => r[key]! / r[base]!));
const perRound = (f: (r: Round) => number) => rounds.map((r) => f(r).toFixed(2)).join(' ');

printTable(
  `Bench 1: actor steps/s, ${fmt(ACTORS, 0)} actors, ${TICKS} timed ticks after ${WARM_TICKS} warm-up ticks, ${ROUNDS} rounds, a fresh process per subject`,
  [
    {
      what: 'plain for-loop, 1 thread: the faster of the next two in each round (baseline)',
      'steps/s': fmt(rate('plain')),
      'ratio (median of rounds)': '1.00',
      'ratio per round': '',
      'whole tick loop, warm-up ticks included': '',
    },
    ...(
      [
        ['plain loop, main thread', 'plainMain'],
        ['plain loop, 1 raw worker thread', 'raw1'],
        ['plain loop, 2 raw worker threads', 'raw2'],
        ['tickwork workers=0 (inline)', 'tw0'],
        ['tickwork workers=1', 'tw1'],
        ['tickwork workers=2', 'tw2'],
      ] as const
    ).map(([what, key]) => ({
      what,
      'steps/s': fmt(rate(key)),
      'ratio (median of rounds)': ratio(key).toFixed(2),
      'ratio per round': perRound((r) => r[key] / r.plain),
      'whole tick loop, warm-up ticks included': key.startsWith('tw')
        ? `${fmt(rate(`${key as TickworkKey}Whole`))} (${ratio(`${key as TickworkKey}Whole`).toFixed(2)})`
        : '',
    })),
  ],
);
const share = medianOf(rounds.map((r) => r.tw2 / r.tw1 / (r.raw2 / r.raw1)));
console.log(`\nworkers=1 vs plain loop: ${(ratio('tw1') * 100).toFixed(0)}% (target >= 25%)`);
console.log(
  `speedup 2 vs 1: tickwork ${perRound((r) => r.tw2 / r.tw1)}, raw threads ${perRound((r) => r.raw2 / r.raw1)} -> median ${(share * 100).toFixed(0)}% of raw (target >= 90%)`,
);

printTable('Bench 5: cost of recording every step into HDR (workers=1)', [
  {
    what: 'no per-step observe (baseline)',
    'steps/s': fmt(rate('tw1')),
    'ratio (median of rounds)': '1.00',
    'ratio per round': '',
  },
  {
    what: 'observe every step',
    'steps/s': fmt(rate('tw1Observed')),
    'ratio (median of rounds)': ratio('tw1Observed', 'tw1').toFixed(2),
    'ratio per round': perRound((r) => r.tw1Observed / r.tw1),
  },
]);
console.log(`\nmetrics overhead: ${((1 - ratio('tw1Observed', 'tw1')) * 100).toFixed(1)}% (target <= 10%)`);
