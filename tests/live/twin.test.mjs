// The JavaScript twin (book/live/mlp.js) against vectors exported from mlpcore
// (book/live_export.py). Run by tests/test_live_twin.py:
//   MLP_VECTORS=vectors.json node --test tests/live/
// Each array must agree to 1e-12 relative to its largest entry; the largest difference is
// printed, and written to $MLP_REPORT when that is set.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import { after, test } from "node:test";

import * as mlp from "../../book/live/mlp.js";

const TOL = 1e-12;
const path = process.env.MLP_VECTORS;
if (!path) throw new Error("set MLP_VECTORS to the JSON written by book/live_export.py vectors");
const V = JSON.parse(readFileSync(path, "utf8"));
let worst = { rel: 0, where: "" };
// At alpha = 10 rounding differences grow step after step: over the 200 steps of the
// playground-rule case, mlpcore's own two paths (sgd's fast path and the plain loop) differ by
// 1.6e-10. Those runs are held to DIVERGING instead, and their messages must be identical.
const DIVERGING = 1e-8;
let chaotic = { rel: 0, where: "" };

/** max |got − want| / max |want|, checked against TOL and kept if it is the worst so far. */
function close(got, want, where, tol = TOL) {
  assert.equal(got.length, want.length, `${where}: length`);
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  const rel = diff === 0 ? 0 : diff / scale;
  assert.ok(rel <= tol, `${where}: relative difference ${rel} > ${tol}`);
  if (tol === TOL && rel > worst.rel) worst = { rel, where };
  if (tol !== TOL && rel > chaotic.rel) chaotic = { rel, where };
}

function closeLists(got, want, where, tol = TOL) {
  assert.equal(got.length, want.length, `${where}: list length`);
  want.forEach((x, k) => {
    if (x === null) assert.equal(got[k], null, `${where}[${k}] must be null`);
    else close(got[k], x, `${where}[${k}]`, tol);
  });
}

const netOf = (j) => mlp.fromArrays(j.s, j.g, j.w, j.b);
const flatNet = (j) => ({ w: j.w.map((x) => x.flat()), b: j.b });

test("forward, dL, dB and dW on one sample and on batches, every g and loss", () => {
  assert.ok(V.passes.length >= 32);
  for (const c of V.passes) {
    const name = `${c.net.g}/${c.loss}/s=${c.net.s}/n=${c.n}`;
    const net = netOf(c.net);
    const X = Float64Array.from(c.X);
    const Y = Float64Array.from(c.Y);
    const trace = mlp.forward(net, X, c.n);
    closeLists(trace.a, c.a, `${name} a`);
    closeLists(trace.z, c.z, `${name} z`);
    const p = net.s.length - 1;
    close([mlp.loss(c.loss, Y, trace.z[p], net.s[p], c.n)], [c.L], `${name} L`);
    const g = mlp.backward(net, trace, Y, c.loss, c.n);
    closeLists(g.dL, c.dL, `${name} dL`);
    closeLists(g.dB, c.dB, `${name} dB`);
    closeLists(g.dW, c.dW, `${name} dW`);
  }
});

function run(c) {
  const net = netOf(c.start);
  const data = { X: Float64Array.from(c.X), Y: Float64Array.from(c.Y), n: c.n };
  const order = (epoch) => Int32Array.from(c.orders[epoch - 1]);
  const t = new mlp.Trainer(net, data, {
    loss: c.loss, alpha: c.alpha, batchSize: c.batch, order, climb: c.climb ?? null,
  });
  return { net, t };
}

test("50 training steps, per-sample and mini-batch, equal mlpcore's plain loop and sgd", () => {
  assert.ok(V.training.length >= 16);
  for (const c of V.training) {
    const name = `${c.start.g}/${c.loss}/batch=${c.batch}`;
    const { net, t } = run(c);
    const values = [];
    for (let i = 0; i < c.values.length; i++) values.push(t.step().value);
    assert.equal(t.diverged, null, name);
    assert.ok(values.length >= 50);
    close(values, c.values, `${name} step losses`);
    close(t.history, c.history, `${name} sgd history`);
    for (const ref of ["plain", "sgd"]) {
      const want = flatNet(c[ref]);
      closeLists(net.w, want.w, `${name} w vs ${ref}`);
      closeLists(net.b, want.b, `${name} b vs ${ref}`);
    }
  }
});

test("divergence: sgd's rule, the playground's epoch rule, and sgd's message", () => {
  for (const c of V.diverging) {
    const { net, t } = run(c);
    for (let i = 0; i < 100000 && !t.diverged; i++) t.step();
    assert.ok(t.diverged, "the run must diverge");
    assert.equal(t.diverged.message, c.message);
    assert.equal(t.diverged.epoch, c.epoch);
    assert.equal(t.diverged.sample, c.sample);
    assert.equal(t.step(), null, "no step after divergence");
    const name = `${c.start.g}/alpha=${c.alpha}/batch=${c.batch}/climb=${c.climb}`;
    close(t.history, c.history, `${name} history vs sgd`, DIVERGING);
    close(t.history, c.plain_history.slice(0, t.history.length), `${name} history vs plain`, DIVERGING);
    const want = flatNet(c.end);
    closeLists(net.w, want.w, `${name} kept w`, DIVERGING);
    closeLists(net.b, want.b, `${name} kept b`, DIVERGING);
  }
});

test("formatG prints numbers as Python's format(x, 'g') does", () => {
  const cases = [[10, 6, "10"], [0.1, 6, "0.1"], [1e-4, 6, "0.0001"], [1e-5, 6, "1e-05"],
    [6647.0866, 3, "6.65e+03"], [67.0, 3, "67"], [Infinity, 3, "inf"], [NaN, 3, "nan"],
    [123456789, 6, "1.23457e+08"], [0.000123456, 3, "0.000123"], [2.5e-7, 3, "2.5e-07"]];
  for (const [x, p, want] of cases) assert.equal(mlp.formatG(x, p), want, `${x}`);
});

test("a step that would make a parameter non-finite is not applied", () => {
  const net = mlp.fromArrays([1, 1], "identity", [[1e308]], [[0]]);
  const data = { X: Float64Array.from([1e10]), Y: Float64Array.from([0]), n: 1 };
  const t = new mlp.Trainer(net, data, { loss: "squared_error", alpha: 1, lossLimit: Infinity });
  assert.equal(t.step(), null);
  assert.match(t.diverged.message, /the loss became (inf|nan)/);
  assert.deepEqual(Array.from(net.w[0]), [1e308]);
});

after(() => {
  const fmt = (x) => `${x.rel.toExponential(2)} (${x.where})`;
  console.log(`largest relative difference from mlpcore: ${fmt(worst)}`);
  console.log(`largest in the diverging runs (alpha = 10): ${fmt(chaotic)}`);
  if (process.env.MLP_REPORT) writeFileSync(process.env.MLP_REPORT, JSON.stringify({ worst, chaotic }));
});
