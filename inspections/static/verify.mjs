#!/usr/bin/env node
// A second, independent verifier of draw algorithm v1, written from docs/draw-algorithm.md alone (it shares
// no code with the Python reference). Usage: node verify.mjs record.json population.txt inspectors.txt
// Prints MATCH, or MISMATCH: and the first difference (exit 1). Needs only Node.js (18 or later).

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

const TIERS = ["A", "B", "C", "D"];

class Mismatch extends Error {}

const sha256 = (text) => createHash("sha256").update(text, "utf8").digest("hex");

// "Sorted" means by Unicode code point. JavaScript's < compares UTF-16 code units, which agrees with
// code points except where a surrogate pair meets U+E000..U+FFFF: compare by code point in that case.
const SURROGATE = /[\ud800-\udfff]/;
function cmp(a, b) {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = [...a].map((c) => c.codePointAt(0));
  const y = [...b].map((c) => c.codePointAt(0));
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

// §1, §7.1: four TAB-separated fields per LF-terminated line, keys strictly ascending.
function parseLines(text, what) {
  if (text.length && !text.endsWith("\n")) throw new Mismatch(`${what}: missing final LF`);
  const lines = text.length ? text.slice(0, -1).split("\n") : [];
  const rows = lines.map((line, i) => {
    const f = line.split("\t");
    if (f.length !== 4) throw new Mismatch(`${what}: line ${i + 1} has ${f.length} fields`);
    return f;
  });
  for (let i = 1; i < rows.length; i++) {
    if (cmp(rows[i - 1][0], rows[i][0]) >= 0) throw new Mismatch(`${what}: line ${i + 1} out of order or repeated`);
  }
  return rows;
}

// §6.1 strict form: one spelling of each file. record.json must be exactly the canonical serialization of
// what it parses to (so no duplicate key, fraction, exponent, white space or escape survives), with exactly
// the documented fields; the lists in their stated order; the text files line by line in their grammar.
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort(cmp);
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
const FIELDS = {
  record: "algorithm created_at draw_id exclusions inspectors outcome population recusals seed task",
  task: "code departments directed items max_per_inspector plan sample scope team_size title window",
  "task.items[]": "code department legal_basis name",
  "task.window": "end start",
  "task.sample": "count ratios",
  population: "count digest tiers",
  "population.tiers": "A B C D",
  inspectors: "count digest",
  "exclusions[]": "reason uscc",
  seed: "beacon mode participants seed",
  "seed.participants[]": "commitment participant reveal",
  "seed.beacon": "source value",
  outcome: "quotas selected unstaffed",
  "outcome.quotas": "A B C D",
  "outcome.selected[]": "team ticket tier uscc",
  "outcome.unstaffed[]": "reason ticket tier uscc",
};
function fields(value, where) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Mismatch(`${where} is not an object`);
  if (Object.keys(value).sort().join(" ") !== FIELDS[where]) throw new Mismatch(`${where} has other fields than ${FIELDS[where]}`);
  return value;
}
function integer(value, where, nullable = false) {
  if (value === null && nullable) return;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) throw new Mismatch(`${where} is not a non-negative integer`);
}
function ascending(values, where, compare) {
  for (let i = 1; i < values.length; i++) {
    if (compare(values[i - 1], values[i]) >= 0) throw new Mismatch(`${where} out of order or repeated`);
  }
}
const pairCmp = (x, y) => cmp(x[0], y[0]) || cmp(x[1], y[1]);
function strictRecord(text) {
  const record = JSON.parse(text);
  if (canonical(record) !== text) throw new Mismatch("record.json is not in canonical form");
  fields(record, "record");
  const task = fields(record.task, "task");
  task.items.forEach((item) => fields(item, "task.items[]"));
  fields(task.window, "task.window");
  const sample = fields(task.sample, "task.sample");
  for (const [tier, ratio] of Object.entries(sample.ratios)) {
    if (!TIERS.includes(tier) || typeof ratio !== "string" || !/^(?:0(?:\.[0-9]+)?|1(?:\.0+)?)$/.test(ratio)) {
      throw new Mismatch(`ratio of tier ${tier} is not a decimal string from 0 to 1`);
    }
  }
  integer(sample.count, "task.sample.count", true);
  integer(task.team_size, "task.team_size");
  integer(task.max_per_inspector, "task.max_per_inspector");
  ascending(task.departments, "task.departments", cmp);
  const pop = fields(record.population, "population");
  integer(pop.count, "population.count");
  TIERS.forEach((t) => integer(fields(pop.tiers, "population.tiers")[t], `population.tiers.${t}`));
  integer(fields(record.inspectors, "inspectors").count, "inspectors.count");
  record.exclusions.forEach((ex) => fields(ex, "exclusions[]"));
  ascending(record.exclusions.map((e) => [e.uscc, e.reason]), "exclusions", pairCmp);
  ascending(record.recusals, "recusals", pairCmp);
  const seed = fields(record.seed, "seed");
  seed.participants.forEach((p) => fields(p, "seed.participants[]"));
  ascending(seed.participants.map((p) => p.participant), "seed.participants", cmp);
  if (seed.mode === "single_operator" && seed.participants.length !== 1) {
    throw new Mismatch("a single_operator seed has exactly one participant");
  }
  if (seed.beacon !== null) fields(seed.beacon, "seed.beacon");
  const outcome = fields(record.outcome, "outcome");
  TIERS.forEach((t) => integer(fields(outcome.quotas, "outcome.quotas")[t], `outcome.quotas.${t}`));
  outcome.selected.forEach((s) => fields(s, "outcome.selected[]"));
  outcome.unstaffed.forEach((s) => fields(s, "outcome.unstaffed[]"));
  return record;
}
// A name: no control characters, and of Unicode's white space only single spaces between other characters.
const WORD = "[^ \\t\\n\\v\\f\\r\\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f]";
const NAME = `(?:${WORD}+(?: ${WORD}+)*)?`;
const LINE = {
  "population.txt": new RegExp(`^[0-9A-Z]{18}\t[A-D]\t[0-9]{6}\t${NAME}$`),
  "inspectors.txt": new RegExp(`^[!-~]+\t[!-~]+\t[0-9]{6}\t${NAME}$`),
};
function strictLines(text, what) {
  if (text.includes("\r")) throw new Mismatch(`${what}: carriage return`);
  const lines = text.length ? text.slice(0, -1).split("\n") : [];
  lines.forEach((line, i) => {
    if (!LINE[what].test(line)) throw new Mismatch(`${what}: line ${i + 1} is not in the strict form`);
  });
}

// Exact rationals on BigInt: [numerator, denominator], denominator > 0.
const gcd = (a, b) => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
function frac(n, d = 1n) {
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d) || 1n;
  return [n / g, d / g];
}
const mul = (x, y) => frac(x[0] * y[0], x[1] * y[1]);
const add = (x, y) => frac(x[0] * y[1] + y[0] * x[1], x[1] * y[1]);
const sub = (x, y) => add(x, [-y[0], y[1]]);
const div = (x, y) => frac(x[0] * y[1], x[1] * y[0]);
const fcmp = (x, y) => {
  const d = x[0] * y[1] - y[0] * x[1];
  return d < 0n ? -1 : d > 0n ? 1 : 0;
};
const floorOf = (x) => (x[0] >= 0n ? x[0] / x[1] : -((-x[0] + x[1] - 1n) / x[1]));
const ceilOf = (x) => -floorOf([-x[0], x[1]]);

function decimal(text, tier) {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(text));
  if (!m) throw new Mismatch(`ratio of tier ${tier} is not a decimal: ${text}`);
  const digits = m[2] || "";
  const r = frac(BigInt(m[1] + digits), 10n ** BigInt(digits.length));
  if (fcmp(r, [1n, 1n]) > 0) throw new Mismatch(`ratio of tier ${tier} is above 1`);
  return r;
}

// §4 quotas.
function quotas(sizes, sample) {
  const r = Object.fromEntries(TIERS.map((t) => [t, decimal(sample.ratios?.[t] ?? "0", t)]));
  const k = Object.fromEntries(TIERS.map((t) => [t, 0n]));
  if (sample.count === undefined || sample.count === null) {
    for (const t of TIERS) {
      const c = ceilOf(mul([sizes[t], 1n], r[t]));
      k[t] = c < sizes[t] ? c : sizes[t];
    }
    return k;
  }
  let active = TIERS.filter((t) => sizes[t] > 0n && r[t][0] > 0n);
  const total = active.reduce((s, t) => s + sizes[t], 0n);
  let R = BigInt(sample.count) < total ? BigInt(sample.count) : total;
  while (active.length && R > 0n) {
    const w = Object.fromEntries(active.map((t) => [t, mul([sizes[t], 1n], r[t])]));
    const W = active.reduce((s, t) => add(s, w[t]), [0n, 1n]);
    const s = Object.fromEntries(active.map((t) => [t, div(mul([R, 1n], w[t]), W)]));
    const a = Object.fromEntries(active.map((t) => [t, floorOf(s[t])]));
    let left = R - active.reduce((acc, t) => acc + a[t], 0n);
    const order = [...active].sort((x, y) => fcmp(sub(s[y], [a[y], 1n]), sub(s[x], [a[x], 1n])) || cmp(x, y));
    for (const t of order) {
      if (left <= 0n) break;
      a[t] += 1n;
      left -= 1n;
    }
    const over = active.filter((t) => a[t] > sizes[t]);
    if (!over.length) {
      for (const t of active) k[t] = a[t];
      break;
    }
    for (const t of over) {
      k[t] = sizes[t];
      R -= sizes[t];
    }
    active = active.filter((t) => !over.includes(t));
  }
  return k;
}

function jurisdiction(region) {
  while (region.endsWith("00") && region.length > 2) region = region.slice(0, -2);
  return region;
}

function verify(record, popText, insText) {
  if (record.algorithm !== "supervise-draw/v1") throw new Mismatch(`algorithm ${record.algorithm}`);
  const population = parseLines(popText, "population.txt");
  const inspectors = parseLines(insText, "inspectors.txt");
  // §2 digests and counts.
  const digest = sha256(population.map((f) => f[0]).join("\n"));
  if (digest !== record.population.digest) throw new Mismatch(`population digest ${digest}`);
  if (population.length !== record.population.count) throw new Mismatch(`population count ${population.length}`);
  const sizes = Object.fromEntries(TIERS.map((t) => [t, 0n]));
  for (const f of population) {
    if (!(f[1] in sizes)) throw new Mismatch(`firm ${f[0]} has unknown tier ${f[1]}`);
    sizes[f[1]] += 1n;
  }
  for (const t of TIERS) {
    if (sizes[t] !== BigInt(record.population.tiers[t])) throw new Mismatch(`tier ${t} has ${sizes[t]} firms`);
  }
  const insDigest = sha256(inspectors.map((f) => f[0]).join("\n"));
  if (insDigest !== record.inspectors.digest || inspectors.length !== record.inspectors.count) {
    throw new Mismatch(`inspector digest ${insDigest} (${inspectors.length})`);
  }
  const inPopulation = new Set(population.map((f) => f[0]));
  for (const ex of record.exclusions) {
    if (inPopulation.has(ex.uscc)) throw new Mismatch(`excluded firm ${ex.uscc} is in the population`);
  }
  // §3 seed.
  const seedPart = record.seed;
  if (seedPart.mode === "commit_reveal" && seedPart.participants.length < 2) {
    throw new Mismatch("a commit-reveal seed needs at least two participants");
  }
  const participants = [...seedPart.participants].sort((x, y) => cmp(x.participant, y.participant));
  let seedText = "";
  for (const p of participants) {
    if (sha256(p.reveal) !== p.commitment) throw new Mismatch(`reveal of ${p.participant} does not match`);
    seedText += `${p.participant}=${p.reveal}\n`;
  }
  seedText += `beacon=${seedPart.beacon ? seedPart.beacon.value : ""}\n`;
  const seed = sha256(seedText);
  if (seed !== seedPart.seed) throw new Mismatch(`seed ${seed}`);
  const ticket = (role, key) => sha256(`${seed}|${role}|${key}`);
  // §4 quotas and selection.
  const task = record.task;
  const k = quotas(sizes, task.sample);
  for (const t of TIERS) {
    if (BigInt(record.outcome.quotas[t]) !== k[t]) throw new Mismatch(`quota of tier ${t}: ${k[t]}`);
  }
  const byTier = Object.fromEntries(TIERS.map((t) => [t, []]));
  for (const [uscc, tier, region] of population) {
    if (k[tier] > 0n) byTier[tier].push({ uscc, tier, region, ticket: ticket("target", uscc) });
  }
  const byTicket = (x, y) => cmp(x.ticket, y.ticket) || cmp(x.uscc, y.uscc);
  const selected = TIERS.flatMap((t) => byTier[t].sort(byTicket).slice(0, Number(k[t]))).sort(byTicket);
  // §5 teams.
  const departments = [...task.departments].sort(cmp);
  const recused = new Set(record.recusals.map(([badge, uscc]) => `${badge}\u0000${uscc}`));
  const load = new Map(inspectors.map((f) => [f[0], 0]));
  const covering = new Map(); // firm region -> inspectors whose jurisdiction covers it (属地)
  const staffed = [];
  const unstaffed = [];
  for (const firm of selected) {
    if (!covering.has(firm.region)) {
      covering.set(firm.region, inspectors.filter(([, , region]) => firm.region.startsWith(jurisdiction(region))));
    }
    const eligible = covering
      .get(firm.region)
      .filter(([badge]) => !recused.has(`${badge}\u0000${firm.uscc}`) && load.get(badge) < task.max_per_inspector)
      .map(([badge, department]) => ({ badge, department, ticket: ticket("inspector", `${firm.uscc}|${badge}`) }))
      .sort((x, y) => cmp(x.ticket, y.ticket) || cmp(x.badge, y.badge));
    const team = [];
    let reason = null;
    for (const dept of departments) {
      const pick = eligible.find((o) => o.department === dept && !team.includes(o.badge));
      if (!pick) {
        reason = `no eligible inspector from ${dept}`;
        break;
      }
      team.push(pick.badge);
    }
    if (reason === null) {
      for (const o of eligible) {
        if (team.length >= task.team_size) break;
        if (!team.includes(o.badge)) team.push(o.badge);
      }
      if (team.length < task.team_size) reason = `only ${team.length} eligible inspectors; the team needs ${task.team_size}`;
    }
    const entry = { uscc: firm.uscc, tier: firm.tier, ticket: firm.ticket };
    if (reason !== null) {
      unstaffed.push({ ...entry, reason });
      continue;
    }
    for (const badge of team) load.set(badge, load.get(badge) + 1);
    staffed.push({ ...entry, team });
  }
  compareEntries("selected", staffed, record.outcome.selected, ["uscc", "tier", "ticket", "team"]);
  compareEntries("unstaffed", unstaffed, record.outcome.unstaffed, ["uscc", "tier", "ticket", "reason"]);
}

function compareEntries(what, mine, theirs, fields) {
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    if (!mine[i] || !theirs[i]) throw new Mismatch(`${what} has ${theirs.length} entries, expected ${mine.length}`);
    for (const f of fields) {
      if (JSON.stringify(mine[i][f]) !== JSON.stringify(theirs[i][f])) {
        throw new Mismatch(`${what}[${i}].${f} is ${JSON.stringify(theirs[i][f])}, expected ${JSON.stringify(mine[i][f])}`);
      }
    }
  }
}

const files = process.argv.slice(2);
if (files.length !== 3) {
  console.error("usage: node verify.mjs record.json population.txt inspectors.txt");
  process.exit(2);
}
try {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const [record, pop, ins] = files.map((f) => decoder.decode(readFileSync(f)));
  strictLines(pop, "population.txt");
  strictLines(ins, "inspectors.txt");
  verify(strictRecord(record), pop, ins);
  console.log("MATCH");
} catch (err) {
  if (!(err instanceof Mismatch) && !(err instanceof SyntaxError) && !(err instanceof TypeError)) throw err;
  console.log(`MISMATCH: ${err.message}`);
  process.exit(1);
}
