import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkTargets,
  median,
  parseVegetaReport,
  ratios,
  renderMarkdown,
  summarise,
  totalErrors,
  type Report,
  type Round,
  type ScenarioResult,
} from '../../bench/report.js';
import { countReviews, cpuTicks, rssKiB } from '../../bench/proc.js';
import { targetText } from '../../bench/vegeta.js';
import { bodyFileName } from '../../bench/bare-server.js';

// Trimmed from a real `vegeta report -type=json` (v12.13.0): durations are nanoseconds.
const VEGETA = JSON.stringify({
  latencies: {
    total: 9e9,
    mean: 3e6,
    '50th': 2_500_000,
    '90th': 4e6,
    '95th': 5e6,
    '99th': 12_340_000,
    max: 40e6,
    min: 5e5,
  },
  bytes_in: { total: 0, mean: 0 },
  bytes_out: { total: 0, mean: 0 },
  earliest: '2026-11-22T03:33:21.5Z',
  latest: '2026-11-22T03:33:23.5Z',
  end: '2026-11-22T03:33:23.5Z',
  duration: 2e9,
  wait: 5e8,
  requests: 3000,
  rate: 1500,
  throughput: 1198.8,
  success: 0.999,
  status_codes: { '200': 2997, '0': 3 },
  errors: ['Get "https://127.0.0.1:1/": EOF'],
});

test('a vegeta report becomes a round: milliseconds, successful req/s, errors counted from the success ratio', () => {
  const r = parseVegetaReport(VEGETA);
  assert.equal(r.requests, 3000);
  assert.equal(r.seconds, 2.5);
  assert.equal(r.rps, 1198.8);
  assert.equal(r.p50Ms, 2.5);
  assert.equal(r.p99Ms, 12.34);
  assert.equal(r.maxMs, 40);
  assert.equal(r.errors, 3);
  assert.deepEqual(r.errorMessages, ['Get "https://127.0.0.1:1/": EOF']);
});

test('a vegeta report with null errors has none; a broken one is refused', () => {
  const clean = JSON.parse(VEGETA) as Record<string, unknown>;
  clean.success = 1;
  clean.errors = null;
  assert.equal(parseVegetaReport(JSON.stringify(clean)).errors, 0);
  assert.deepEqual(parseVegetaReport(JSON.stringify(clean)).errorMessages, []);
  assert.throws(() => parseVegetaReport('not json'), /not JSON/);
  assert.throws(() => parseVegetaReport(JSON.stringify({ ...clean, latencies: undefined })), /no latencies/);
  assert.throws(() => parseVegetaReport(JSON.stringify({ ...clean, throughput: 'x' })), /throughput/);
});

test('median of odd and even counts', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

const round = (rps: number, p99Ms: number, errors = 0): Round => ({
  requests: rps * 2,
  seconds: 2,
  rps,
  p50Ms: p99Ms / 4,
  p99Ms,
  maxMs: p99Ms * 2,
  errors,
  statusCodes: { '200': rps * 2 - errors },
  errorMessages: [],
});

function scenario(
  id: string,
  ours: number,
  sample: number | undefined,
  bare: number,
  oursP99 = 10,
): ScenarioResult {
  const usage = { cpuSeconds: 1, rssMiB: 100, reviews: 0 };
  return {
    id,
    title: id,
    connections: 8,
    results: [
      summarise('ours', [round(ours, oursP99), round(ours * 1.2, oursP99)], usage),
      ...(sample === undefined ? [] : [summarise('sample', [round(sample, 10)], { ...usage, rssMiB: 80 })]),
      summarise('bare', [round(bare, 2)], usage),
    ],
  };
}

test('summaries take medians over rounds and per-request CPU and reviews', () => {
  const s = summarise('ours', [round(1000, 9), round(3000, 5), round(2000, 7, 4)], {
    cpuSeconds: 6,
    rssMiB: 90,
    reviews: 3,
  });
  assert.equal(s.rps, 2000);
  assert.equal(s.p99Ms, 7);
  assert.equal(s.requests, 12000);
  assert.equal(s.errors, 4);
  assert.equal(s.cpuMsPerRequest, 0.5);
  assert.equal(s.reviewsPerRequest, 3 / 12000);
});

test('ratios are ours ÷ sample-apiserver and ours ÷ bare; missing servers give none', () => {
  const r = ratios(scenario('a-discovery', 1000, 2000, 4000, 20));
  assert.equal(r.rpsVsSample, 1100 / 2000);
  assert.equal(r.rpsVsBare, 1100 / 4000);
  assert.equal(r.p99VsSample, 2);
  assert.equal(ratios(scenario('d-restart', 1000, undefined, 4000)).rpsVsSample, undefined);
});

test('targets: met and missed are told apart', () => {
  const scenarios = [scenario('a-discovery', 1000, 900, 2000, 5), scenario('b-get', 1000, 2000, 8000, 20)];
  const targets = checkTargets(scenarios, { ours: [900, 1500, 1200], sample: [300] });
  const met = (what: string) => targets.find((t) => t.what.startsWith(what))?.met;
  assert.equal(met('a-discovery: req/s ≥ 1.0×'), true);
  assert.equal(met('a-discovery: p99'), true);
  assert.equal(met('a-discovery: req/s ≥ 0.5× bare'), true);
  assert.equal(met('b-get: req/s ≥ 1.0×'), false);
  assert.equal(met('b-get: p99'), false);
  assert.equal(met('b-get: req/s ≥ 0.5× bare'), false);
  assert.equal(met('RSS'), true); // 100 ≤ 1.5 × 80
  assert.equal(met('start to /readyz'), false);
  assert.equal(met('SubjectAccessReviews'), true);
});

test('RSS is compared over the scenarios both servers ran; ours after the rest is shown apart', () => {
  const withRss = (s: ScenarioResult, mib: number): ScenarioResult => ({
    ...s,
    results: s.results.map((x) => (x.server === 'ours' ? { ...x, rssMiB: mib } : x)),
  });
  const shared = withRss(scenario('a-discovery', 1000, 900, 2000), 110);
  const oursOnly = withRss(scenario('e-table-5000', 10, undefined, 100), 400);
  const targets = checkTargets([shared, oursOnly], { ours: [900], sample: [300] });
  const rss = targets.find((t) => t.what.startsWith('RSS after load'));
  assert.equal(rss?.met, true); // 110 ≤ 1.5 × 80, the 400 after e- left out
  assert.match(rss!.value, /110 \/ 80 MiB/);
  const after = targets.find((t) => t.what.startsWith('our RSS after every'));
  assert.equal(after?.value, '400 MiB');
  assert.equal(after?.met, undefined);
  const over = checkTargets([withRss(shared, 130)], { ours: [900], sample: [300] });
  assert.equal(over.find((t) => t.what.startsWith('RSS after load'))?.met, false); // 130 > 120
});

test('the Markdown report has a row per server and the targets; errors are summed', () => {
  const scenarios = [scenario('a-discovery', 1000, 900, 2000)];
  scenarios[0]!.results[1]!.errors = 2;
  const report: Report = {
    date: '2026-11-22T03:00:00.000Z',
    machine: { cpu: 'Test CPU', cores: '2', memory: '4.0 GiB', kernel: 'Linux 6' },
    versions: { node: 'v24' },
    settings: { mode: 'quick' },
    start: { ours: [1300, 800, 900], sample: [200, 250, 300] },
    scenarios,
    targets: checkTargets(scenarios, { ours: [1300, 800, 900], sample: [200, 250, 300] }),
  };
  const md = renderMarkdown(report);
  assert.match(md, /\| a-discovery \(8 conn\) \| k8s-cloud-node-manager \| 1,100 \|/);
  assert.match(md, /\|\s+\| sample-apiserver \| 900 \|/);
  assert.match(md, /\| 1\.22× \| 0\.55× \|/);
  // The median of the starts, which here is met although the first start alone was not.
  assert.match(md, /start to \/readyz ≤ 1 s \(median of the starts\) \| 900 ms \(1300, 800, 900\) \| yes/);
  assert.match(md, /sample-apiserver 250 ms \(200, 250, 300\)/);
  assert.equal(totalErrors(scenarios), 2);
});

test('/proc parsing: CPU ticks after a command name with spaces and parentheses; VmRSS', () => {
  const stat =
    '4242 (node (bench) x) S 1 4242 4242 0 -1 4194560 5000 0 0 0 1234 567 0 0 20 0 11 0 100 1000000 25000';
  assert.equal(cpuTicks(stat), 1234 + 567);
  assert.equal(rssKiB('Name:\tnode\nVmHWM:\t  200000 kB\nVmRSS:\t  123456 kB\nThreads: 11\n'), 123456);
  assert.throws(() => rssKiB('Name: node\n'), /VmRSS/);
});

test('SubjectAccessReviews are counted per user from completed audit events only', () => {
  const event = (stage: string, resource: string, user: string) =>
    JSON.stringify({
      stage,
      objectRef: { resource, apiGroup: 'authorization.k8s.io' },
      user: { username: user },
    });
  const lines = [
    event('ResponseComplete', 'subjectaccessreviews', 'ours'),
    event('ResponseStarted', 'subjectaccessreviews', 'ours'),
    event('ResponseComplete', 'subjectaccessreviews', 'sample'),
    event('ResponseComplete', 'subjectaccessreviews', 'ours'),
    event('ResponseComplete', 'tokenreviews', 'ours'),
    event('ResponseComplete', 'subjectaccessreviews', 'someone-else'),
    '',
  ].join('\n');
  assert.deepEqual(countReviews(lines, ['ours', 'sample']), { ours: 2, sample: 1 });
});

test('vegeta targets: request line, headers in order (repeated X-Remote-Group), body file', () => {
  assert.equal(
    targetText({
      method: 'POST',
      url: 'https://127.0.0.1:1/x?dryRun=All',
      headers: [
        ['X-Remote-User', 'u'],
        ['X-Remote-Group', 'a'],
        ['X-Remote-Group', 'b'],
      ],
      bodyFile: '/tmp/b.json',
    }),
    'POST https://127.0.0.1:1/x?dryRun=All\nX-Remote-User: u\nX-Remote-Group: a\nX-Remote-Group: b\n@/tmp/b.json\n',
  );
});

test('the bare server keeps one body per method, URL and Accept', () => {
  const json = bodyFileName('GET', '/apis/g/v1/nodes', 'application/json');
  assert.notEqual(
    json,
    bodyFileName('GET', '/apis/g/v1/nodes', 'application/json;as=Table;v=v1;g=meta.k8s.io'),
  );
  assert.notEqual(json, bodyFileName('POST', '/apis/g/v1/nodes', 'application/json'));
  assert.equal(json, bodyFileName('GET', '/apis/g/v1/nodes', 'application/json'));
});
