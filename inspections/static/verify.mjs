#!/usr/bin/env node
// A second, independent verifier of draw algorithms v1, v2 and v3, written from docs/draw-algorithm.md alone (it
// shares no code with the Python reference). Usage: node verify.mjs DIR (a v2/v3 full or public bundle, or the
// three v1 files), or node verify.mjs record.json population.txt inspectors.txt (v1).
// Prints the checks made, then MATCH, or MISMATCH: and the first difference (exit 1). Needs Node.js 18+.

import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

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
function fields(value, where, table = FIELDS) {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Mismatch(`${where} is not an object`);
  if (Object.keys(value).sort().join(" ") !== table[where]) throw new Mismatch(`${where} has other fields than ${table[where]}`);
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
  if (record && record.algorithm === "supervise-draw/v2") return strictRecordV2(record, FIELDS_V2);
  if (record && record.algorithm === "supervise-draw/v3") return strictRecordV2(record, FIELDS_V3);
  fields(record, "record");
  strictTask(record.task, FIELDS);
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
function strictTask(value, table) {
  const task = fields(value, "task", table);
  task.items.forEach((item) => fields(item, "task.items[]", table));
  fields(task.window, "task.window", table);
  const sample = fields(task.sample, "task.sample", table);
  for (const [tier, ratio] of Object.entries(sample.ratios)) {
    if (!TIERS.includes(tier) || typeof ratio !== "string" || !/^(?:0(?:\.[0-9]+)?|1(?:\.0+)?)$/.test(ratio)) {
      throw new Mismatch(`ratio of tier ${tier} is not a decimal string from 0 to 1`);
    }
  }
  integer(sample.count, "task.sample.count", true);
  integer(task.team_size, "task.team_size");
  integer(task.max_per_inspector, "task.max_per_inspector");
  ascending(task.departments, "task.departments", cmp);
  return task;
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
  const selected = select(population, k, ticket);
  const pool = inspectors.map(([badge, department, region]) => ({ badge, department, region, office: "" }));
  const recused = new Set(record.recusals.map(([badge, uscc]) => `${badge}\u0000${uscc}`));
  const staffed = [];
  const unstaffed = [];
  for (const { firm, team, reason } of staff(selected, pool, task, recused, false, ticket)) {
    const entry = { uscc: firm.uscc, tier: firm.tier, ticket: firm.ticket };
    if (reason !== null) unstaffed.push({ ...entry, reason });
    else staffed.push({ ...entry, team });
  }
  compareEntries("selected", staffed, record.outcome.selected, ["uscc", "tier", "ticket", "team"]);
  compareEntries("unstaffed", unstaffed, record.outcome.unstaffed, ["uscc", "tier", "ticket", "reason"]);
}

// §4 selection: the k lowest target tickets of each tier, then all of them in ticket order.
function select(population, k, ticket) {
  const byTier = Object.fromEntries(TIERS.map((t) => [t, []]));
  for (const [uscc, tier, region] of population) {
    if (k[tier] > 0n) byTier[tier].push({ uscc, tier, region, ticket: ticket("target", uscc) });
  }
  const byTicket = (x, y) => cmp(x.ticket, y.ticket) || cmp(x.uscc, y.uscc);
  return TIERS.flatMap((t) => byTier[t].sort(byTicket).slice(0, Number(k[t]))).sort(byTicket);
}

// §5 teams (and §10.4: 所所交叉 leaves out inspectors whose office's area holds the firm).
// v3 (§11.4) reads an office's area by its level: a 9-digit township is itself; other codes strip "00" pairs.
const officeArea = (office, v3) => (v3 && office.length === 9 ? office : jurisdiction(office));
function staff(selected, pool, task, recused, crossOffice, ticket, v3 = false) {
  const departments = [...task.departments].sort(cmp);
  const load = new Map(pool.map((o) => [o.badge, 0]));
  const covering = new Map(); // firm area -> inspectors who may serve it
  const out = [];
  for (const firm of selected) {
    if (!covering.has(firm.region)) {
      covering.set(
        firm.region,
        pool.filter(
          (o) =>
            firm.region.startsWith(jurisdiction(o.region)) && !(crossOffice && firm.region.startsWith(officeArea(o.office, v3))),
        ),
      );
    }
    const eligible = covering
      .get(firm.region)
      .filter((o) => !recused.has(`${o.badge}\u0000${firm.uscc}`) && load.get(o.badge) < task.max_per_inspector)
      .map((o) => ({ badge: o.badge, department: o.department, ticket: ticket("inspector", `${firm.uscc}|${o.badge}`) }))
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
    if (reason === null) for (const badge of team) load.set(badge, load.get(badge) + 1);
    out.push({ firm, team: reason === null ? team : [], reason });
  }
  return out;
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

// §10 version 2.
const FIELDS_V2 = {
  ...FIELDS,
  record: "algorithm created_at draw_id freeze outcome seed task",
  task: "assignment code departments directed items max_per_inspector plan sample scope team_size title window",
  "task.items[]": "code department legal_basis name specialty",
  freeze: "at beacon digest exclusions files firms inspectors recusals task tiers",
  "freeze.beacon": "at issue source",
  "freeze.files": "exclusions.txt inspectors.txt population.txt recusals.txt",
  "freeze.firms": "count digest",
  "freeze.tiers": "A B C D",
  "freeze.tiers.*": "count digest",
  "seed.participants[]": "commitment committed_at participant reveal revealed_at role",
  "seed.beacon": "entered_at value",
  "outcome.selected[]": "team ticket uscc",
  "outcome.unstaffed[]": "reason uscc",
};
// §11 version 3: the freeze binds the participants and a tier floor; counts and quotas may be withheld (null);
// the outcome lists firms by USCC without tickets.
const FIELDS_V3 = {
  ...FIELDS_V2,
  freeze: "at beacon digest exclusions files firms inspectors participants recusals task tier_floor tiers",
  "freeze.participants[]": "commitment committed_at participant role",
  "outcome.selected[]": "team uscc",
};
const TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$/;
const HEX = /^[0-9a-f]{64}$/;
function form(value, where, pattern) {
  if (typeof value !== "string" || !pattern.test(value)) throw new Mismatch(`${where} is not in the stated form`);
}
function strictRecordV2(record, F) {
  const v3 = F === FIELDS_V3;
  fields(record, "record", F);
  form(record.created_at, "created_at", TIME);
  const task = strictTask(record.task, F);
  if (!["territorial", "cross_office"].includes(task.assignment)) throw new Mismatch("task.assignment is unknown");
  const freeze = fields(record.freeze, "freeze", F);
  form(freeze.at, "freeze.at", TIME);
  form(freeze.digest, "freeze.digest", HEX);
  form(freeze.task, "freeze.task", HEX);
  ["exclusions", "inspectors", "recusals"].forEach((k) => integer(freeze[k], `freeze.${k}`));
  Object.entries(fields(freeze.files, "freeze.files", F)).forEach(([n, d]) => form(d, `freeze.files.${n}`, HEX));
  integer(fields(freeze.firms, "freeze.firms", F).count, "freeze.firms.count");
  form(freeze.firms.digest, "freeze.firms.digest", HEX);
  for (const t of TIERS) {
    const part = fields(fields(freeze.tiers, "freeze.tiers", F)[t], "freeze.tiers.*", F);
    integer(part.count, `freeze.tiers.${t}.count`, v3);
    form(part.digest, `freeze.tiers.${t}.digest`, HEX);
  }
  if (v3) {
    integer(freeze.tier_floor, "freeze.tier_floor");
    if (!Array.isArray(freeze.participants)) throw new Mismatch("freeze.participants is not a list");
    for (const p of freeze.participants) form(fields(p, "freeze.participants[]", F).committed_at, "committed_at", TIME);
    ascending(freeze.participants.map((p) => p.participant), "freeze.participants", cmp);
  }
  if (freeze.beacon !== null) form(fields(freeze.beacon, "freeze.beacon", F).at, "freeze.beacon.at", TIME);
  const seed = fields(record.seed, "seed", F);
  for (const p of seed.participants) {
    fields(p, "seed.participants[]", F);
    form(p.committed_at, "committed_at", TIME);
    form(p.revealed_at, "revealed_at", TIME);
  }
  ascending(seed.participants.map((p) => p.participant), "seed.participants", cmp);
  if (seed.beacon !== null) form(fields(seed.beacon, "seed.beacon", F).entered_at, "seed.beacon.entered_at", TIME);
  const outcome = fields(record.outcome, "outcome", F);
  if (!(v3 && outcome.quotas === null)) {
    TIERS.forEach((t) => integer(fields(outcome.quotas, "outcome.quotas", F)[t], `outcome.quotas.${t}`));
  }
  outcome.selected.forEach((x) => fields(x, "outcome.selected[]", F));
  outcome.unstaffed.forEach((x) => fields(x, "outcome.unstaffed[]", F));
  return record;
}

// §10.1 line grammars; keys in order (recusals.txt by the whole line).
const AREA = "[0-9]{6}(?:[0-9]{3})?";
const SPEC = "[^,\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\u0000-\\u001f\\u007f-\\u009f]+";
const LINE_V2 = {
  "population.txt": new RegExp(`^[0-9A-Z]{18}\t[A-D]\t${AREA}\t${NAME}$`),
  "inspectors.txt": new RegExp(`^[!-~]+\t[!-~]+\t[0-9]{6}\t${AREA}\t(?:-|${SPEC}(?:,${SPEC})*)\t${NAME}$`),
  "recusals.txt": /^[!-~]+\t[0-9A-Z]{18}\t(?:conflict|cross-office|residence|rotation)$/,
  "exclusions.txt": new RegExp(`^[0-9A-Z]{18}\t${WORD}+(?: ${WORD}+)*$`),
  "firms.txt": new RegExp(`^[0-9A-Z]{18}\t${NAME}$`),
};
function linesV2(text, what) {
  if (text.length && !text.endsWith("\n")) throw new Mismatch(`${what}: missing final LF`);
  if (text.includes("\r")) throw new Mismatch(`${what}: carriage return`);
  const lines = text.length ? text.slice(0, -1).split("\n") : [];
  lines.forEach((line, i) => {
    if (!LINE_V2[what].test(line)) throw new Mismatch(`${what}: line ${i + 1} is not in the strict form`);
  });
  const keys = what === "recusals.txt" ? lines : lines.map((l) => l.split("\t")[0]);
  ascending(keys, `${what} lines`, cmp);
  if (what === "inspectors.txt") {
    for (const line of lines) {
      const specs = line.split("\t")[4];
      if (specs !== "-") ascending(specs.split(","), `${what} specialties`, cmp);
    }
  }
  return lines.map((l) => l.split("\t"));
}

const PARTICIPANT =
  /^[^= \t\n\v\f\r\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\u0000-\u001f\u007f-\u009f]{1,64}$/u;

const isV3 = (record) => record.algorithm === "supervise-draw/v3";
const countsShown = (record) => TIERS.every((t) => record.freeze.tiers[t].count !== null);

// Returns the seed. Both bundles: the freeze's construction, the timeline, the participants (§10.3, §11.2).
function common(record, checks) {
  const { freeze, seed: part } = record;
  const v3 = isV3(record);
  const body = Object.fromEntries(Object.entries(freeze).filter(([k]) => k !== "digest"));
  if (sha256(canonical(body)) !== freeze.digest) throw new Mismatch("freeze.digest is not the digest of the freeze");
  if (sha256(canonical(record.task)) !== freeze.task) throw new Mismatch("freeze.task does not match the task");
  if (countsShown(record)) {
    if (TIERS.reduce((n, t) => n + freeze.tiers[t].count, 0) !== freeze.firms.count) {
      throw new Mismatch("the tier counts do not add up to freeze.firms.count");
    }
  } else if (!v3 || TIERS.some((t) => freeze.tiers[t].count !== null) || record.outcome.quotas !== null) {
    throw new Mismatch("tier counts and quotas are all published or all withheld");
  }
  checkTaskForm(record.task);
  checks.push("冻结摘要的构成与任务参数摘要；任务的部门、范围、期限与事项的形式");
  // §10.3 timeline.
  for (const p of part.participants) {
    if (!(p.committed_at <= freeze.at)) throw new Mismatch(`${p.participant} committed after the freeze`);
    if (!(freeze.at <= p.revealed_at && p.revealed_at <= record.created_at)) {
      throw new Mismatch(`${p.participant} revealed outside the freeze-to-draw interval`);
    }
  }
  if (freeze.beacon === null && part.beacon !== null) throw new Mismatch("a beacon not fixed at the freeze");
  if (freeze.beacon !== null) {
    if (part.beacon === null) throw new Mismatch("the beacon fixed at the freeze is missing");
    const e = part.beacon.entered_at;
    if (!(freeze.at < freeze.beacon.at && freeze.beacon.at <= e && e <= record.created_at)) {
      throw new Mismatch("the beacon's times are out of order");
    }
  }
  checks.push("时间顺序：承诺、冻结、揭示、信标、抽取");
  const roles = part.participants.map((p) => p.role);
  if (part.mode === "single_operator") {
    if (roles.length !== 1 || roles[0] !== "operator") throw new Mismatch("a single_operator seed has one operator");
  } else if (part.mode === "commit_reveal") {
    if (roles.length < 2 || roles.includes("operator")) {
      throw new Mismatch("a commit-reveal seed needs two participants, one of them the observer");
    }
    // §10.3: exactly one observer, 督查室, nobody else of that name; department participants are task departments.
    const observers = part.participants.filter((p) => p.role === "observer").map((p) => p.participant);
    const named = part.participants.filter((p) => p.participant === "督查室").length;
    if (observers.length !== 1 || observers[0] !== "督查室" || named !== 1) {
      throw new Mismatch("a commit-reveal seed has exactly one observer, 督查室, and no other");
    }
    for (const p of part.participants) {
      if (p.role === "department" && !record.task.departments.includes(p.participant)) {
        throw new Mismatch(`participant ${p.participant} is not one of the task's departments`);
      }
    }
  } else throw new Mismatch(`seed mode ${part.mode}`);
  if (v3) {
    // §11.2: the seed's participants are exactly those the freeze bound, with the same role, commitment and time.
    const bound = (p) => canonical([p.participant, p.role, p.commitment, p.committed_at]);
    const mine = part.participants.map(bound);
    const theirs = freeze.participants.map(bound);
    if (canonical(mine) !== canonical(theirs)) throw new Mismatch("the participants are not those bound at the freeze");
  }
  let text = `${record.algorithm}\nfreeze=${freeze.digest}\n`;
  for (const p of [...part.participants].sort((x, y) => cmp(x.participant, y.participant))) {
    // the white space of §6.1 (JavaScript's \s also holds U+FEFF, which the specification does not name)
    if (!PARTICIPANT.test(p.participant)) throw new Mismatch("participant id form");
    if (typeof p.reveal !== "string" || !/^[!-~]{1,256}$/.test(p.reveal)) throw new Mismatch("reveal form");
    if (sha256(p.reveal) !== p.commitment) throw new Mismatch(`reveal of ${p.participant} does not match`);
    text += `${p.participant}=${p.reveal}\n`;
  }
  if (part.beacon !== null && !/^[^\u0000-\u001f\u007f-\u009f]{1,128}$/u.test(part.beacon.value)) {
    throw new Mismatch("beacon value form");
  }
  text += `beacon=${part.beacon ? part.beacon.value : ""}\n`;
  const seed = sha256(text);
  if (seed !== part.seed) throw new Mismatch(`seed ${seed}`);
  checks.push(`承诺与揭示、参与方（督查室为唯一观察员，参与部门均为任务部门${v3 ? "，冻结时已绑定全部参与方及其承诺" : ""}）、随机种子`);
  return seed;
}

// Tickets: v2 keys them with the seed, v3 with sealed(seed) = SHA-256(salt LF seed) (§11.4).
function ticketsOf(record, seed, salt) {
  const key = isV3(record) ? sha256(`${salt}\n${seed}`) : seed;
  return (role, k) => sha256(`${key}|${role}|${k}`);
}

function checkTaskForm(task) {
  if (task.departments.length === 0) throw new Mismatch("task.departments is empty");
  if (task.team_size < task.departments.length || task.max_per_inspector < 1) {
    throw new Mismatch("task.team_size is below the number of departments, or max_per_inspector below 1");
  }
  if (task.scope === null || typeof task.scope !== "object" || Array.isArray(task.scope)) {
    throw new Mismatch("task.scope is not an object");
  }
  const day = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;
  const valid = (d) => typeof d === "string" && day.test(d) && new Date(`${d}T00:00:00Z`).toISOString().slice(0, 10) === d;
  if (!valid(task.window.start) || !valid(task.window.end) || task.window.end < task.window.start) {
    throw new Mismatch("task.window is not two dates YYYY-MM-DD, start first");
  }
  for (const item of task.items) {
    if (!task.departments.includes(item.department)) throw new Mismatch(`item ${item.code} belongs to no department of the task`);
  }
}

function checkPublicOutcome(task, outcome) {
  const load = new Map();
  for (const s of outcome.selected) for (const b of s.team) load.set(b, (load.get(b) ?? 0) + 1);
  for (const [badge, n] of [...load].sort((x, y) => cmp(x[0], y[0]))) {
    if (n > task.max_per_inspector) throw new Mismatch(`inspector ${badge} is on more teams than max_per_inspector allows`);
  }
  for (const u of outcome.unstaffed) {
    const dept = /^no eligible inspector from (\S+)$/.exec(u.reason);
    const short = /^only ([0-9]+) eligible inspectors; the team needs ([0-9]+)$/.exec(u.reason);
    if (dept && task.departments.includes(dept[1])) continue;
    if (short && Number(short[1]) < Number(short[2]) && Number(short[2]) === task.team_size) continue;
    throw new Mismatch(`unstaffed ${u.uscc} gives no reason of the stated form`);
  }
}

function checkQuotas(record) {
  if (!countsShown(record)) return null;
  const sizes = Object.fromEntries(TIERS.map((t) => [t, BigInt(record.freeze.tiers[t].count)]));
  const k = quotas(sizes, record.task.sample);
  for (const t of TIERS) {
    if (BigInt(record.outcome.quotas[t]) !== k[t]) throw new Mismatch(`quota of tier ${t}: ${k[t]}`);
  }
  return k;
}

function verifyFull(record, files, checks) {
  const rows = {};
  for (const n of ["population.txt", "inspectors.txt", "recusals.txt", "exclusions.txt"]) rows[n] = linesV2(files[n], n);
  if (!/^[0-9a-f]{64}\n$/.test(files["salt.txt"])) throw new Mismatch("salt.txt is not 64 hex digits and LF");
  const salt = files["salt.txt"].slice(0, 64);
  const sealed = (x) => sha256(`${salt}\n${x}`);
  const population = rows["population.txt"];
  const byTier = Object.fromEntries(TIERS.map((t) => [t, []]));
  population.forEach(([uscc, tier]) => byTier[tier].push(uscc));
  const body = {
    at: record.freeze.at,
    beacon: record.freeze.beacon,
    exclusions: rows["exclusions.txt"].length,
    files: Object.fromEntries(
      ["exclusions.txt", "inspectors.txt", "population.txt", "recusals.txt"].map((n) => [n, sealed(files[n])]),
    ),
    firms: { count: population.length, digest: sha256(population.map((f) => f[0]).join("\n")) },
    inspectors: rows["inspectors.txt"].length,
    recusals: rows["recusals.txt"].length,
    task: sha256(canonical(record.task)),
    tiers: Object.fromEntries(TIERS.map((t) => [t, { count: byTier[t].length, digest: sealed(byTier[t].join("\n")) }])),
  };
  const sizes = Object.fromEntries(TIERS.map((t) => [t, BigInt(byTier[t].length)]));
  const k = quotas(sizes, record.task.sample);
  if (isV3(record)) {
    // §11.1, §11.3: the bound participants, and counts shown only if every tier has tier_floor firms, none drawn whole.
    body.participants = [...record.seed.participants]
      .sort((x, y) => cmp(x.participant, y.participant))
      .map(({ participant, role, commitment, committed_at }) => ({ participant, role, commitment, committed_at }));
    body.tier_floor = record.freeze.tier_floor;
    const floor = BigInt(record.freeze.tier_floor);
    if (!TIERS.every((t) => sizes[t] >= floor && k[t] < sizes[t])) TIERS.forEach((t) => (body.tiers[t].count = null));
  }
  const freeze = { ...body, digest: sha256(canonical(body)) };
  for (const key of [...Object.keys(body).sort(), "digest"]) {
    if (canonical(freeze[key]) !== canonical(record.freeze[key])) throw new Mismatch(`freeze.${key} does not recompute`);
  }
  checks.push("冻结文件的密封摘要、分级摘要与户数");
  const ticket = ticketsOf(record, common(record, checks), salt);
  for (const [badge, department] of rows["inspectors.txt"]) {
    if (!record.task.departments.includes(department)) throw new Mismatch(`inspector ${badge} belongs to no department of the task`);
  }
  if ("firms.txt" in files) {
    const expected = population.map((f) => `${f[0]}\t${f[3]}\n`).join("");
    if (files["firms.txt"] !== expected) throw new Mismatch("firms.txt is not population.txt without tiers and areas");
    checks.push("公开名录与完整名录一致（去掉风险等级和区域）");
  }
  const inPopulation = new Set(population.map((f) => f[0]));
  for (const [uscc] of rows["exclusions.txt"]) {
    if (inPopulation.has(uscc)) throw new Mismatch(`excluded firm ${uscc} is in the population`);
  }
  const task = record.task;
  const published = checkQuotas(record);
  if (published === null && record.outcome.quotas !== null) throw new Mismatch("outcome.quotas is published");
  const need = new Map(task.departments.map((d) => [d, new Set()]));
  for (const item of task.items) {
    if (item.specialty) (need.get(item.department) ?? need.set(item.department, new Set()).get(item.department)).add(item.specialty);
  }
  const pool = rows["inspectors.txt"]
    .map(([badge, department, region, office, specs]) => ({ badge, department, region, office, specs: specs === "-" ? [] : specs.split(",") }))
    .filter((o) => [...(need.get(o.department) ?? [])].every((sp) => o.specs.includes(sp)));
  const recused = new Set(rows["recusals.txt"].map(([badge, uscc]) => `${badge}\u0000${uscc}`));
  const result = staff(select(population, k, ticket), pool, task, recused, task.assignment === "cross_office", ticket, isV3(record));
  let selected = result.map(({ firm, team }) => ({ uscc: firm.uscc, ticket: firm.ticket, team }));
  let unstaffed = result.filter((r) => r.reason !== null).map(({ firm, reason }) => ({ uscc: firm.uscc, reason }));
  if (isV3(record)) {
    // §11.5: v3 lists the firms by USCC and publishes no ticket.
    selected = selected.sort((x, y) => cmp(x.uscc, y.uscc));
    unstaffed = unstaffed.sort((x, y) => cmp(x.uscc, y.uscc));
  }
  compareEntries("selected", selected, record.outcome.selected, isV3(record) ? ["uscc", "team"] : ["uscc", "ticket", "team"]);
  compareEntries("unstaffed", unstaffed, record.outcome.unstaffed, ["uscc", "reason"]);
  checks.push("排除对象不在名录中；完整重算抽取与组队");
}

function verifyPublic(record, files, checks) {
  const firms = linesV2(files["firms.txt"], "firms.txt").map((f) => f[0]);
  if (firms.length !== record.freeze.firms.count || sha256(firms.join("\n")) !== record.freeze.firms.digest) {
    throw new Mismatch("firms.txt does not match freeze.firms");
  }
  checks.push("公开名录（不含风险分类）的户数与摘要");
  const v3 = isV3(record);
  const seed = common(record, checks);
  const ticket = v3 ? null : ticketsOf(record, seed, "");
  const k = checkQuotas(record);
  const { selected, unstaffed } = record.outcome;
  if (k !== null) {
    const total = TIERS.reduce((n, t) => n + k[t], 0n);
    if (BigInt(selected.length) !== total) throw new Mismatch(`${selected.length} selected, the quotas add up to ${total}`);
  }
  const known = new Set(firms);
  let previous = "";
  selected.forEach((x, i) => {
    if (!known.has(x.uscc)) throw new Mismatch(`selected[${i}] is not in firms.txt`);
    if (v3) {
      // v3's tickets need the salt: the public bundle checks only the USCC order.
      if (!(cmp(previous, x.uscc) < 0)) throw new Mismatch(`selected[${i}] is out of USCC order`);
      previous = x.uscc;
    } else {
      if (ticket("target", x.uscc) !== x.ticket || !(previous < x.ticket)) throw new Mismatch(`selected[${i}] ticket`);
      previous = x.ticket;
    }
    if (x.team.length && (x.team.length !== record.task.team_size || new Set(x.team).size !== x.team.length)) {
      throw new Mismatch(`selected[${i}] team size`);
    }
  });
  const empty = selected.filter((x) => x.team.length === 0).map((x) => x.uscc);
  if (canonical(empty) !== canonical(unstaffed.map((u) => u.uscc))) throw new Mismatch("unstaffed does not match");
  checkPublicOutcome(record.task, record.outcome);
  if (v3) {
    checks.push(`${k !== null ? "配额与入选户数、" : ""}入选企业均在公开名录中、组队人数`);
    notChecked.push("哪些企业入选（抽签值以盐值计算）、各等级名单、封存文件摘要、组队的具体组成（需完整包）");
  } else {
    checks.push("配额、入选户数、每户抽签值及其顺序、组队人数");
    notChecked.push("各等级名单、封存文件摘要、组队的具体组成（需完整包）");
  }
}

function readBundle(args) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const read = (f) => decoder.decode(readFileSync(f));
  if (args.length === 3) return { "record.json": read(args[0]), "population.txt": read(args[1]), "inspectors.txt": read(args[2]) };
  if (args.length === 1 && statSync(args[0]).isDirectory()) {
    const names = ["record.json", "population.txt", "inspectors.txt", "recusals.txt", "exclusions.txt", "salt.txt", "firms.txt"];
    const entries = readdirSync(args[0]);
    // each file under its own name, or as downloaded (D-…-record.json) when exactly one such file is there
    const pick = (n) => existsSync(join(args[0], n)) ? n : ((m) => (m.length === 1 ? m[0] : null))(entries.filter((e) => e.endsWith("-" + n)));
    return Object.fromEntries(names.map((n) => [n, pick(n)]).filter(([, f]) => f).map(([n, f]) => [n, read(join(args[0], f))]));
  }
  console.error("usage: node verify.mjs DIR [--freeze-digest HEX] | node verify.mjs record.json population.txt inspectors.txt");
  process.exit(2);
}

const args = process.argv.slice(2);
const at = args.indexOf("--freeze-digest");
const expected = at >= 0 ? (args.splice(at, 2)[1] ?? "").trim().toLowerCase() : null;
const br = args.indexOf("--beacon-results");
const beaconResults = br >= 0 ? readFileSync(args.splice(br, 2)[1]).toString("utf-8") : null;
const files = readBundle(args);
const checks = [];
const notChecked = [];
try {
  const record = strictRecord(files["record.json"] ?? "");
  if (record.algorithm === "supervise-draw/v2" || record.algorithm === "supervise-draw/v3") {
    const full = ["population.txt", "inspectors.txt", "recusals.txt", "exclusions.txt", "salt.txt"].every((n) => n in files);
    if (full) verifyFull(record, files, checks);
    else if ("firms.txt" in files) verifyPublic(record, files, checks);
    else throw new Mismatch("neither a full bundle nor firms.txt");
  } else {
    strictLines(files["population.txt"] ?? "", "population.txt");
    strictLines(files["inspectors.txt"] ?? "", "inspectors.txt");
    verify(record, files["population.txt"], files["inspectors.txt"]);
    checks.push("第1版记录：名录摘要、种子与完整重算");
  }
  checks.forEach((c) => console.log(`已核验：${c}`));
  notChecked.forEach((c) => console.log(`未核验：${c}`));
  const planned = record.freeze?.beacon;
  const entered = record.seed?.beacon;
  if (planned && entered) {
    console.log(`信标：来源 ${planned.source}，期号 ${planned.issue}，开奖时间 ${planned.at}，记录的值 ${entered.value}`);
    if (beaconResults === null) {
      console.log("注意：本程序不联网，没有核对信标的值；请与官方公布的该期开奖结果比对（或以 --beacon-results 给出）");
    } else {
      const line = beaconResults.split(/\r?\n/).map((l) => l.split("\t")).find((p) => p.length === 3 && p[0] === planned.source && p[1] === planned.issue);
      if (!line) throw new Mismatch(`信标结果文件中没有 ${planned.source} ${planned.issue} 的结果`);
      if (line[2] !== entered.value) throw new Mismatch(`信标 ${planned.source} ${planned.issue} 的官方结果为 ${line[2]}，记录为 ${entered.value}`);
      console.log("已核验：信标的值与所给官方结果一致");
    }
  }
  const digest = record.freeze?.digest;
  if (typeof digest === "string") {
    if (expected === null) {
      console.log(`注意：以上只证明文件包内部一致。冻结摘要为 ${digest}，请与抽查任务公告在冻结时公布的摘要逐字比对（或以 --freeze-digest 给出）`);
    } else if (expected !== digest) {
      throw new Mismatch(`冻结摘要 ${digest} 与抽查任务公告公布的 ${expected} 不符`);
    } else {
      console.log("已核验：冻结摘要与抽查任务公告公布的一致");
    }
  }
  console.log("MATCH");
} catch (err) {
  if (!(err instanceof Mismatch) && !(err instanceof SyntaxError) && !(err instanceof TypeError)) throw err;
  console.log(`MISMATCH: ${err.message}`);
  process.exit(1);
}
