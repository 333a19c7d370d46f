#!/usr/bin/env node
// bench/report.mjs: turns the JSON lines of one bench/run.sh invocation into the results section of
// docs/benchmarks.md (medians, ratios, the issue's targets checked mechanically). Node 18 or later, no packages.
//
//   node bench/report.mjs RESULTS.jsonl [--out docs/benchmarks.md]   without --out: the section on stdout
//   node bench/report.mjs --describe-machine [--build-dir DIR]       one "machine" meta line (run.sh calls it)
//
// With --out, only the part between `<!-- results:begin -->` and `<!-- results:end -->` is replaced: the rest of
// the file (the hand-written analysis) stays as it is. A missing file is created with both markers and a header.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BEGIN = '<!-- results:begin -->';
const END = '<!-- results:end -->';

// The issue's targets.
const S1_RATIO_TARGET = 1.5;
const S3_BYTES_TARGET = 4096;
// Defaults of a measured run: anything shorter or smaller is labelled a trial.
const FULL = { runs: 3, duration_s: 5, warmup_s: 1 };

// ---- Small helpers ------------------------------------------------------------------------------------------

function run(file, args, options = {}) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options }).trim();
  } catch {
    return null;
  }
}

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = Math.floor(v.length / 2);
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}
const sum = (values) => values.reduce((a, b) => a + (Number(b) || 0), 0);

function int(x) {
  return x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : Math.round(x).toLocaleString('en-US');
}
function pct(x) {
  return x === null || x === undefined || x < 0 ? 'n/a' : `${x.toFixed(0)}%`;
}
function ratio(a, b) {
  return a === null || b === null || !b ? 'n/a' : `${(a / b).toFixed(2)}x`;
}
// Microseconds as milliseconds, three significant digits at most.
function ms(us) {
  if (us === null || us === undefined || !Number.isFinite(us)) return 'n/a';
  const m = us / 1000;
  return m >= 100 ? m.toFixed(0) : m >= 10 ? m.toFixed(1) : m >= 1 ? m.toFixed(2) : m.toFixed(3);
}
function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
function code(text) {
  return '```\n' + text.replace(/\n+$/, '') + '\n```';
}

// ---- --describe-machine -------------------------------------------------------------------------------------

function describeMachine(buildDir) {
  const lscpu = run('lscpu', []) || '';
  const osRelease = fs.existsSync('/etc/os-release') ? fs.readFileSync('/etc/os-release', 'utf8') : '';
  const osField = (key) => (osRelease.match(new RegExp(`^${key}="?([^"\\n]*)"?$`, 'm')) || [])[1] || null;
  const cache = buildDir && fs.existsSync(path.join(buildDir, 'CMakeCache.txt'))
    ? fs.readFileSync(path.join(buildDir, 'CMakeCache.txt'), 'utf8') : '';
  const cacheField = (key) => (cache.match(new RegExp(`^${key}:[A-Z]+=(.*)$`, 'm')) || [])[1] || null;
  const compiler = cacheField('CMAKE_CXX_COMPILER') || 'c++';
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'bench/peers/package-lock.json'), 'utf8'));
  const npm = {};
  for (const name of ['uwebsockets', 'ws', 'socket.io', 'engine.io']) {
    const entry = lock.packages && lock.packages[`node_modules/${name}`];
    if (entry) npm[name] = entry.version;
  }
  const git = (...args) => run('git', ['-C', root, ...args]);
  const changed = (git('diff', '--name-only', 'HEAD') || '').split('\n').filter(Boolean);
  return {
    meta: 'machine',
    date: new Date().toISOString(),
    cpu: (lscpu.match(/^Model name:\s*(.*)$/m) || [])[1] || os.cpus()[0]?.model || null,
    cores: os.cpus().length,
    kernel: os.release(),
    os: osField('PRETTY_NAME'),
    debian_version: fs.existsSync('/etc/debian_version') ? fs.readFileSync('/etc/debian_version', 'utf8').trim() : null,
    ram_bytes: os.totalmem(),
    compiler: (run(compiler, ['--version']) || '').split('\n')[0] || null,
    build_type: cacheField('CMAKE_BUILD_TYPE'),
    boost: (cacheField('Boost_DIR') || '').match(/Boost-([\d.]+)/)?.[1] || null,
    libbenchmark: run('dpkg-query', ['-W', '-f=${Version}', 'libbenchmark-dev']),
    node: process.version,
    npm_packages: npm,
    nats_server: run('nats-server', ['--version']),
    git_commit: git('rev-parse', 'HEAD'),
    git_uncommitted: changed,
  };
}

// ---- Reading the results ------------------------------------------------------------------------------------

function readResults(file) {
  const meta = { notes: [], failures: [] };
  const results = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  for (const [i, l] of lines.entries()) {
    let o;
    try {
      o = JSON.parse(l);
    } catch {
      meta.failures.push(`line ${i + 1} of ${path.basename(file)} is not JSON`);
      continue;
    }
    if (o.meta === 'note') meta.notes.push(o.text);
    else if (o.meta === 'failure') meta.failures.push(o.text);
    else if (o.meta) meta[o.meta] = o;
    else if (o.scenario) results.push(o);
  }
  return { meta, results };
}

// A run is clean when loadgen said so (exit 0) and its line has no error.
const clean = (r) => (r.run ? r.run.loadgen_exit === 0 : true) && !r.error;
const pinnedOf = (r) => (r.run ? r.run.pinned : true);

function groups(results, scenario, pinned) {
  const map = new Map();
  for (const r of results) {
    if (r.scenario !== scenario || (pinned !== undefined && pinnedOf(r) !== pinned)) continue;
    if (!map.has(r.target)) map.set(r.target, []);
    map.get(r.target).push(r);
  }
  return map;
}
const lat = (r, key) => (r.latency_us ? r.latency_us[key] : null);
const cpu = (runs, key) => median(runs.map((r) => (r[key] >= 0 ? r[key] : null)));
function uncleanNote(runs) {
  const bad = runs.filter((r) => !clean(r));
  if (bad.length === 0) return '';
  const reasons = [...new Set(bad.map((r) => r.error || `loadgen exit ${r.run ? r.run.loadgen_exit : '?'}`))];
  return ` (${bad.length} unclean: ${reasons.join('; ')})`;
}
const TARGET_NAMES = {
  switchboard: 'Switchboard',
  uws: 'uWebSockets.js (`uwebsockets`)',
  nats: 'nats-server (WebSocket)',
  ws: 'Node `ws`',
  socketio: 'socket.io',
  blaster: 'blaster (64 KiB per send)',
  'blaster-1': 'blaster --batch 1 (a frame per send)',
};
const ORDER = Object.keys(TARGET_NAMES);
const sorted = (map) => [...map.entries()].sort((a, b) => ORDER.indexOf(a[0]) - ORDER.indexOf(b[0]));
const name = (t) => TARGET_NAMES[t] || t;

// ---- The sections -------------------------------------------------------------------------------------------

function s1Section(results, pinned, heading) {
  const g = groups(results, 's1', pinned);
  for (const t of ['blaster', 'blaster-1']) g.delete(t);
  if (g.size === 0) return null;
  const med = (t) => (g.has(t) ? median(g.get(t).map((r) => r.deliveries_per_s)) : null);
  const sb = med('switchboard');
  const rows = sorted(g).map(([t, runs]) => [
    name(t), runs.length, int(med(t)), t === 'switchboard' ? '1.00x' : ratio(sb, med(t)),
    pct(cpu(runs, 'server_cpu_pct')), pct(cpu(runs, 'loadgen_cpu_pct')),
    int(sum(runs.map((r) => r.lost))), int(sum(runs.map((r) => r.reordered))),
    int(sum(runs.map((r) => r.closed))) + uncleanNote(runs),
  ]);
  const first = [...g.values()][0][0];
  return [
    heading,
    '',
    `${int(first.subscribers)} subscribers on one channel, one publisher with ${first.window} publishes in flight, ` +
      `${first.payload_bytes}-byte payloads. Medians over the runs; lost, reordered and closed are totals over all runs.`,
    '',
    table(['target', 'runs', 'deliveries/s', 'switchboard / target', 'server CPU', 'loadgen CPU', 'lost',
      'reordered', 'closed by server'], rows),
  ].join('\n');
}

function ceilingSection(results) {
  const g = groups(results, 's1');
  const rows = [];
  for (const t of ['blaster', 'blaster-1']) {
    if (!g.has(t)) continue;
    const runs = g.get(t);
    rows.push([name(t), runs.length, int(median(runs.map((r) => r.deliveries_per_s))),
      pct(cpu(runs, 'loadgen_cpu_pct')), pct(cpu(runs, 'server_cpu_pct')),
      int(sum(runs.map((r) => r.lost)) + sum(runs.map((r) => r.reordered))) + uncleanNote(runs)]);
  }
  if (rows.length === 0) return null;
  // Runs where loadgen was near a full core: their rate may be loadgen's, not the server's.
  const busy = results.filter((r) => r.scenario === 's1' && r.publisher !== false && r.loadgen_cpu_pct >= 95)
    .map((r) => `${r.run ? r.run.name : r.target} (${pct(r.loadgen_cpu_pct)})`);
  return [
    '### Loadgen\'s ceiling (S1 against the blaster, `loadgen --no-publisher`)',
    '',
    'The blaster only writes message frames; what loadgen consumes from it is the most it can measure. Against ' +
      '`--batch 1` (one frame per `send()`) the reading side pays for many small segments.',
    '',
    table(['target', 'runs', 'deliveries/s', 'loadgen CPU', 'blaster CPU', 'lost + reordered'], rows),
    '',
    busy.length ? `S1 runs with loadgen at 95% of its core or more (possibly loadgen-bound): ${busy.join(', ')}.`
      : 'No S1 run against a server had loadgen at 95% of its core or more.',
  ].join('\n');
}

function s2Section(results) {
  const g = groups(results, 's2');
  if (g.size === 0) return null;
  const p99 = (t) => (g.has(t) ? median(g.get(t).map((r) => lat(r, 'p99'))) : null);
  const uws = p99('uws');
  const rows = sorted(g).map(([t, runs]) => [
    name(t), runs.length, int(median(runs.map((r) => r.deliveries_per_s))),
    ms(median(runs.map((r) => lat(r, 'p50')))), ms(p99(t)), ms(median(runs.map((r) => lat(r, 'max')))),
    t === 'uws' ? '1.00x' : ratio(p99(t), uws),
    pct(cpu(runs, 'server_cpu_pct')), pct(cpu(runs, 'loadgen_cpu_pct')),
    int(sum(runs.map((r) => r.lost))), int(sum(runs.map((r) => r.reordered))),
    ms(Math.max(...runs.map((r) => r.publish_lag_max_us ?? 0))) + uncleanNote(runs),
  ]);
  const f = [...g.values()][0][0];
  return [
    '### S2 many channels: latency',
    '',
    `${f.channels} channels x ${f.subscribers_per_channel} subscribers, ${f.publishers} publishers x ` +
      `${int(f.rate_per_publisher)} publishes/s (paced by the clock), ${f.payload_bytes}-byte payloads. Latency is ` +
      'receive time minus send time; medians over the runs of each run\'s p50, p99 and max. "p99 / uWS" is the ' +
      'target\'s p99 over uWebSockets\' (below 1: better). "publish lag" is the most a publisher ran behind its ' +
      'schedule in any run (loadgen\'s own lateness).',
    '',
    table(['target', 'runs', 'deliveries/s', 'p50 ms', 'p99 ms', 'max ms', 'p99 / uWS', 'server CPU', 'loadgen CPU',
      'lost', 'reordered', 'publish lag ms'], rows),
  ].join('\n');
}

function s3Section(results) {
  const g = groups(results, 's3');
  if (g.size === 0) return null;
  const perConn = (t) => (g.has(t) ? median(g.get(t).map((r) => r.rss_per_connection_bytes)) : null);
  const uws = perConn('uws');
  const rows = sorted(g).map(([t, runs]) => {
    const r = runs[runs.length - 1];
    let reached = `${int(r.connections_after_idle)} of ${int(r.connections)}`;
    if (r.connections_reached < r.connections) {
      reached += ` (stopped at ${int(r.connections_reached)}: ${r.connect_error || r.error || 'see the log'})`;
    }
    return [name(t), reached, r.connect_s !== undefined ? `${r.connect_s.toFixed(1)} s` : 'n/a',
      `${int(r.rss_before_kib)} -> ${int(r.rss_after_kib)}`, int(perConn(t)),
      t === 'uws' ? '1.00x' : ratio(perConn(t), uws), pct(r.server_cpu_pct) + uncleanNote(runs)];
  });
  return [
    '### S3 idle connections: server memory',
    '',
    'Connections opened, each subscribed to one of 100 channels, then idle; the server\'s VmRSS before the first ' +
      'and after the idle time, per connection still open. A peer that cannot open them all is measured at what it ' +
      'reached (the count says so).',
    '',
    table(['target', 'connections (open after idle, of asked)', 'time to open', 'RSS KiB before -> after',
      'bytes per connection', 'vs uWS', 'server CPU idle'], rows),
  ].join('\n');
}

function s4Section(results) {
  const g = groups(results, 's4');
  if (g.size === 0) return null;
  const rows = sorted(g).map(([t, runs]) => [
    name(t), runs.length, int(median(runs.map((r) => r.churn_cycles_per_s))), int(runs[0].churn_rate),
    int(sum(runs.map((r) => r.churn_failed))), int(median(runs.map((r) => r.deliveries_per_s))),
    ms(median(runs.map((r) => lat(r, 'p99')))), int(sum(runs.map((r) => r.lost))),
    int(sum(runs.map((r) => r.reordered))), int(sum(runs.map((r) => r.closed))) + uncleanNote(runs),
  ]);
  const f = [...g.values()][0][0];
  return [
    '### S4 churn',
    '',
    `Clients connect, subscribe, wait for the ack and leave (every ${f.abrupt_every}th by dropping its socket) at ` +
      `${int(f.churn_rate)} cycles/s asked, while ${f.subscribers} stable subscribers receive a broadcast of ` +
      `${int(f.rate)} publishes/s. Medians over the runs; failures, lost, reordered and closed are totals.`,
    '',
    table(['target', 'runs', 'churn cycles/s', 'asked/s', 'failed cycles', 'stable deliveries/s', 'stable p99 ms',
      'lost', 'reordered', 'closed by server'], rows),
  ].join('\n');
}

function targetsSection(results) {
  const verdict = (ok) => (ok === null ? '**not measured**' : ok ? '**met**' : '**not met**');
  const rows = [];
  const s1 = groups(results, 's1', true);
  const s1med = (t) => (s1.has(t) ? median(s1.get(t).map((r) => r.deliveries_per_s)) : null);
  const [sb1, uws1] = [s1med('switchboard'), s1med('uws')];
  rows.push(['S1 deliveries/s at least 1.5x uWebSockets\' (pinned)',
    sb1 !== null && uws1 ? `${int(sb1)} / ${int(uws1)} = ${ratio(sb1, uws1)}` : 'n/a',
    verdict(sb1 !== null && uws1 ? sb1 / uws1 >= S1_RATIO_TARGET : null)]);
  const s2 = groups(results, 's2');
  const p99 = (t) => (s2.has(t) ? median(s2.get(t).map((r) => lat(r, 'p99'))) : null);
  const [sb2, uws2] = [p99('switchboard'), p99('uws')];
  rows.push(['S2 p99 no worse than uWebSockets\'',
    sb2 !== null && uws2 !== null ? `${ms(sb2)} ms vs ${ms(uws2)} ms (${ratio(sb2, uws2)})` : 'n/a',
    verdict(sb2 !== null && uws2 !== null ? sb2 <= uws2 : null)]);
  const s3 = groups(results, 's3').get('switchboard');
  if (s3) {
    const r = s3[s3.length - 1];
    const all = r.connections_after_idle === r.connections;
    rows.push([`S3 at most ${int(S3_BYTES_TARGET)} bytes of RSS per idle connection`,
      `${int(r.rss_per_connection_bytes)} B at ${int(r.connections_after_idle)} connections` +
        (all ? '' : ` (of ${int(r.connections)} asked)`),
      verdict(r.rss_per_connection_bytes <= S3_BYTES_TARGET && all)]);
  } else {
    rows.push([`S3 at most ${int(S3_BYTES_TARGET)} bytes of RSS per idle connection`, 'n/a', verdict(null)]);
  }
  const sbRuns = results.filter((r) => r.target === 'switchboard');
  const lost = sum(sbRuns.map((r) => r.lost));
  const reordered = sum(sbRuns.map((r) => r.reordered));
  const closed = sum(sbRuns.map((r) => r.closed));
  const unclean = sbRuns.filter((r) => !clean(r)).length;
  rows.push(['Zero loss and zero reordering (Switchboard, every scenario and run)',
    `${sbRuns.length} runs: ${int(lost)} lost, ${int(reordered)} reordered, ${int(closed)} closed by the server, ` +
      `${unclean} unclean`,
    verdict(sbRuns.length ? lost === 0 && reordered === 0 : null)]);
  const peersWithLoss = [...new Set(results.filter((r) => r.target !== 'switchboard' && (r.lost || r.reordered))
    .map((r) => `${r.target} (${r.scenario})`))];
  return [
    '### The issue\'s targets',
    '',
    table(['target', 'measured', 'verdict'], rows),
    '',
    peersWithLoss.length ? `Peers with loss or reordering: ${peersWithLoss.join(', ')}.`
      : 'No peer lost or reordered a message either.',
  ].join('\n');
}

function runsSection(results) {
  const rows = results.map((r) => {
    const key = r.scenario === 's3' ? `${int(r.rss_per_connection_bytes)} B/conn, ${int(r.connections_after_idle)} conns`
      : r.scenario === 's4' ? `${int(r.churn_cycles_per_s)} cycles/s, ${int(r.deliveries_per_s)} deliveries/s`
        : `${int(r.deliveries_per_s)} deliveries/s`;
    return [r.run ? r.run.name : `${r.scenario}-${r.target}`, key,
      r.latency_us && r.publisher !== false ? `${ms(lat(r, 'p50'))} / ${ms(lat(r, 'p99'))} / ${ms(lat(r, 'max'))}` : '-',
      `${pct(r.server_cpu_pct)} / ${pct(r.loadgen_cpu_pct)}`,
      `${int(r.lost ?? 0)} / ${int(r.reordered ?? 0)} / ${int(r.closed ?? 0)}`,
      r.run ? String(r.run.loadgen_exit) : '?',
      (r.run && r.run.server_warnings ? `${r.run.server_warnings} warn lines; ` : '') + (r.error || '')];
  });
  return [
    '<details><summary>Every run, in the order run</summary>',
    '',
    table(['run', 'rate', 'latency p50 / p99 / max ms', 'server / loadgen CPU', 'lost / reordered / closed',
      'loadgen exit', 'error'], rows),
    '',
    '</details>',
  ].join('\n');
}

function commandsSection(meta, results) {
  const s = meta.settings || {};
  const lines = [];
  if (s.build) lines.push(...s.build);
  lines.push('(cd bench/peers && npm ci)    # when node_modules is missing or older than package-lock.json');
  lines.push(`ulimit -n ${s.fd_limit ?? 20000}    # for every server and loadgen (S3)`);
  const seen = new Set();
  const generic = (c) => c.replace(/--port \d+/, '--port P').replace(/--server-pid \d+/, '--server-pid PID');
  for (const r of results) {
    if (!r.run) continue;
    const pair = `${r.run.server_command}\n${generic(r.run.loadgen_command)}`;
    const key = `${r.scenario} ${r.target} ${r.run.pinned}`;
    if (seen.has(key)) continue;
    seen.add(key);
    lines.push(`# ${r.scenario} ${r.target}${r.run.pinned ? '' : ' (unpinned)'}`, ...pair.split('\n'));
  }
  if (meta.micro) lines.push('# microbenchmarks', meta.micro.command);
  return [
    '### Commands',
    '',
    'Each run starts its server afresh (its port read from its ready line: P below) and stops it after loadgen ' +
      'is done; PID is the server process (nats-server under `nats.sh`).',
    '',
    code(lines.join('\n')),
  ].join('\n');
}

function machineSection(meta) {
  const m = meta.machine || {};
  const s = meta.settings || {};
  const npm = Object.entries(m.npm_packages || {}).map(([k, v]) => `\`${k}\` ${v}`).join(', ');
  const commit = m.git_commit ? `\`${m.git_commit.slice(0, 12)}\`` +
    (m.git_uncommitted && m.git_uncommitted.length
      ? ` plus uncommitted changes to ${m.git_uncommitted.map((f) => `\`${f}\``).join(', ')}` : '') : 'n/a';
  const gib = m.ram_bytes ? `${(m.ram_bytes / 2 ** 30).toFixed(1)} GiB` : 'n/a';
  return [
    `- **Date**: ${m.date || 'n/a'} (runs started; ${meta.end ? `the whole run took ${Math.floor(meta.end.elapsed_s / 60)} min ${meta.end.elapsed_s % 60} s` : 'the run did not finish'})`,
    `- **Machine**: ${m.cpu || 'n/a'}, ${m.cores ?? 'n/a'} cores, ${gib} RAM; kernel ${m.kernel || 'n/a'}; ` +
      `${m.os || 'n/a'} (debian_version ${m.debian_version || 'n/a'})`,
    `- **Versions**: ${m.compiler || 'n/a'} (${m.build_type || '?'}), Boost ${m.boost || 'n/a'}, ` +
      `libbenchmark ${m.libbenchmark || 'n/a'}; Node ${m.node || 'n/a'}; ${npm || 'no npm packages'}; ` +
      `${m.nats_server || 'nats-server not installed'}; Switchboard ${commit}`,
    `- **Settings**: RUNS=${s.runs}, S4_RUNS=${s.s4_runs}, ${s.warmup_s} s warm-up + ${s.duration_s} s measured ` +
      `(S1, S2, S4), S3 ${int(s.s3_connections)} connections idle ${s.idle_s} s; ` +
      (s.pin ? `servers pinned to core ${s.server_core}, loadgen to core ${s.loadgen_core}` : 'nothing pinned') +
      `; scenarios: ${s.scenarios}; targets: ${s.targets}` +
      (Object.values(s.extra_args || {}).some(Boolean) ? `; extra loadgen options: ${JSON.stringify(s.extra_args)}` : ''),
  ].join('\n');
}

function isTrial(meta) {
  const s = meta.settings || {};
  const why = [];
  if (!(s.runs >= FULL.runs)) why.push(`RUNS=${s.runs}`);
  if (!(s.duration_s >= FULL.duration_s)) why.push(`${s.duration_s} s measured`);
  if (!(s.warmup_s >= FULL.warmup_s)) why.push(`${s.warmup_s} s warm-up`);
  for (const x of ['s1', 's2', 's3', 's4', 'micro']) if (!` ${s.scenarios} `.includes(` ${x} `)) why.push(`no ${x}`);
  for (const x of ['switchboard', 'uws', 'nats', 'ws', 'socketio']) {
    if (!` ${s.targets} `.includes(` ${x} `)) why.push(`no ${x}`);
  }
  if (!meta.end) why.push('the run did not finish');
  return why;
}

function section(meta, results) {
  const trial = isTrial(meta);
  const parts = [
    '## Results',
    '',
    trial.length
      ? `> **Trial run, not a measurement** (${trial.join(', ')}): it checks that the pipeline works. The measured ` +
        'run is `bench/run.sh` with its defaults.'
      : '> Generated by `bench/run.sh` (medians of its runs); do not edit between the markers: the next run ' +
        'replaces it.',
    '',
    machineSection(meta),
  ];
  if (meta.failures.length) parts.push('', '**Failures**:', '', ...meta.failures.map((f) => `- ${f}`));
  if (meta.notes.length) parts.push('', '**Notes**:', '', ...meta.notes.map((n) => `- ${n}`));
  const sections = [
    targetsSection(results),
    s1Section(results, true, '### S1 fan-out (server and loadgen pinned to a core each)'),
    s1Section(results, false, '### S1 fan-out, unpinned'),
    s2Section(results),
    s3Section(results),
    s4Section(results),
    ceilingSection(results),
  ];
  for (const s of sections) if (s) parts.push('', s);
  if (meta.micro) {
    parts.push('', '### Microbenchmarks', '', `\`${meta.micro.command}\` (Google Benchmark; read the CPU column):`,
      '', code(meta.micro.stderr.trim() ? `${meta.micro.stderr.trim()}\n${meta.micro.output}` : meta.micro.output));
  }
  parts.push('', runsSection(results), '', commandsSection(meta, results));
  return parts.join('\n');
}

function writeInto(file, text) {
  const block = `${BEGIN}\n${text}\n${END}`;
  let doc;
  if (!fs.existsSync(file)) {
    doc = [
      '# Benchmarks (issue 6)',
      '',
      'Switchboard against uWebSockets.js, nats-server, Node `ws` and socket.io on one machine, by `bench/run.sh` ' +
        '(bench/README.md says what it runs). The results section is regenerated by every run; the analysis after ' +
        'it is written by hand and kept.',
      '',
      block,
      '',
      '## Analysis',
      '',
      '(Hand-written: what the numbers say, and the profiles that explain what remains.)',
      '',
    ].join('\n');
  } else {
    const old = fs.readFileSync(file, 'utf8');
    const b = old.indexOf(BEGIN);
    const e = old.indexOf(END);
    if (b >= 0 && e > b) doc = old.slice(0, b) + block + old.slice(e + END.length);
    else doc = `${old.replace(/\n*$/, '\n')}\n${block}\n`;
  }
  fs.writeFileSync(file, doc);
}

// ---- main ---------------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const opt = (flag) => {
  const i = args.indexOf(flag);
  if (i < 0) return undefined;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
if (args.includes('--describe-machine')) {
  args.splice(args.indexOf('--describe-machine'), 1);
  console.log(JSON.stringify(describeMachine(opt('--build-dir'))));
} else {
  const out = opt('--out');
  if (args.length !== 1) {
    console.error('usage: node bench/report.mjs RESULTS.jsonl [--out docs/benchmarks.md]\n' +
      '       node bench/report.mjs --describe-machine [--build-dir DIR]');
    process.exit(2);
  }
  const { meta, results } = readResults(args[0]);
  const text = section(meta, results);
  if (out) {
    writeInto(out, text);
    console.log(`report.mjs: wrote ${out}\n\n${targetsSection(results)}`);
  } else {
    console.log(text);
  }
}
