// The document's network in plain JavaScript: a twin of mlpcore, checked against it by
// tests/live (node --test on vectors exported from mlpcore). One ES module, no dependency.
//
// Notation and shapes are mlpcore's. A network is {s, g, w, b}: s = [s_0, ..., s_p];
// w[k] is (s_{k+1}, s_k) and b[k] is (s_{k+1}) for k = 0..p-1, stored row-major in
// Float64Arrays (w^(k)_{ij} is w[k][i * s[k] + j]). Samples are columns: X is (s_0, n), entry
// (i, m) at X[i * n + m]; one sample is n = 1. The lists keep the document's indices:
// a[k] for k = 0..p-1, z[k] and dL[k] for k = 1..p, with z[0] = dL[0] = null.
//
// One module on purpose (about 400 lines): the page loads it as one file, and the tests check
// this file and nothing else. Arithmetic follows mlpcore line by line (same formulas, same order of operations where it
// matters), so the two agree to rounding: the tests ask for 1e-12 relative.

export const ACTIVATIONS = {
  // g and g' entry by entry (eq-g); sigmoid written so that exp never overflows
  sigmoid: {
    g: (u) => {
      const e = Math.exp(-Math.abs(u));
      return u >= 0 ? 1 / (1 + e) : e / (1 + e);
    },
    gp: (u) => {
      const e = Math.exp(-Math.abs(u));
      const s = u >= 0 ? 1 / (1 + e) : e / (1 + e);
      return s * (1 - s);
    },
    init: "xavier",
  },
  tanh: {
    g: Math.tanh,
    gp: (u) => {
      const t = Math.tanh(u);
      return 1 - t * t;
    },
    init: "xavier",
  },
  relu: { g: (u) => (u > 0 ? u : 0), gp: (u) => (u > 0 ? 1 : 0), init: "he" },
  identity: { g: (u) => u, gp: () => 1, init: "xavier" },
};

export const LOSSES = ["squared_error", "softmax_cross_entropy"];

function activation(name) {
  const g = ACTIVATIONS[name];
  if (!g) throw new Error(`unknown activation g=${name}; expected one of ${Object.keys(ACTIVATIONS)}`);
  return g;
}

/** A deterministic generator of floats in [0, 1) (mulberry32); not numpy's. */
export function randomSource(seed) {
  let t = seed >>> 0;
  return () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r = (r + Math.imul(r ^ (r >>> 7), 61 | r)) ^ r;
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
}

/** Network(s, g, seed): w^(k) by Xavier (uniform) or He (normal) as mlpcore, b^(k) = 0. */
export function network(s, g, seed = 0) {
  const init = activation(g).init;
  const rand = randomSource(seed);
  const w = [];
  const b = [];
  for (let k = 0; k + 1 < s.length; k++) {
    const wk = new Float64Array(s[k + 1] * s[k]);
    const r = Math.sqrt(6 / (s[k] + s[k + 1]));
    const sd = Math.sqrt(2 / s[k]);
    for (let i = 0; i < wk.length; i++) {
      if (init === "xavier") wk[i] = -r + 2 * r * rand();
      else wk[i] = sd * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    }
    w.push(wk);
    b.push(new Float64Array(s[k + 1]));
  }
  return { s: s.slice(), g, w, b };
}

/** A network from plain arrays (e.g. mlpcore's, exported as JSON): w[k] nested rows. */
export function fromArrays(s, g, w, b) {
  activation(g);
  return {
    s: s.slice(),
    g,
    w: w.map((wk) => Float64Array.from(wk.flat())),
    b: b.map((bk) => Float64Array.from(bk)),
  };
}

export function copyNetwork(net) {
  return { s: net.s.slice(), g: net.g, w: net.w.map((x) => x.slice()), b: net.b.map((x) => x.slice()) };
}

/** h_k: z^(k+1) = w^(k) a^(k) + b^(k) for n columns (eq-h, eq-forward-batch). */
function h(bk, wk, ak, rows, cols, n) {
  const z = new Float64Array(rows * n);
  for (let i = 0; i < rows; i++) {
    const row = i * cols;
    if (n === 1) {
      let acc = 0;
      for (let j = 0; j < cols; j++) acc += wk[row + j] * ak[j];
      z[i] = acc + bk[i];
      continue;
    }
    // the same sums in the same order (j = 0, 1, ...), with the columns m innermost
    const zi = i * n;
    for (let j = 0; j < cols; j++) {
      const wij = wk[row + j];
      const aj = j * n;
      for (let m = 0; m < n; m++) z[zi + m] += wij * ak[aj + m];
    }
    for (let m = 0; m < n; m++) z[zi + m] += bk[i];
  }
  return z;
}

/** Forward propagation recording a^(k) and z^(k) (eq-forward). Returns {a, z}; y_pred = z[p]. */
export function forward(net, X, n = 1) {
  const { s, w, b } = net;
  const p = s.length - 1;
  const g = activation(net.g).g;
  if (X.length !== s[0] * n) throw new Error(`X must have s_0 * n = ${s[0] * n} entries, got ${X.length}`);
  const a = [X];
  const z = [null, h(b[0], w[0], X, s[1], s[0], n)];
  for (let k = 1; k < p; k++) {
    a.push(z[k].map(g));
    z.push(h(b[k], w[k], a[k], s[k + 1], s[k], n));
  }
  return { a, z };
}

/** log softmax of each column of Z (rows r, n columns), computed stably as mlpcore does. */
function logSoftmax(Z, r, n) {
  const out = new Float64Array(r * n);
  for (let m = 0; m < n; m++) {
    let mx = -Infinity;
    for (let i = 0; i < r; i++) mx = Math.max(mx, Z[i * n + m]);
    let se = 0;
    for (let i = 0; i < r; i++) se += Math.exp(Z[i * n + m] - mx);
    const lse = Math.log(se);
    for (let i = 0; i < r; i++) out[i * n + m] = Z[i * n + m] - mx - lse;
  }
  return out;
}

/** L(y)(z^(p)) summed over the n columns: ½‖z − y‖² or −Σ y log softmax(z). */
export function loss(name, Y, Z, r, n = 1) {
  let total = 0;
  if (name === "squared_error") {
    for (let i = 0; i < Z.length; i++) total += (Z[i] - Y[i]) * (Z[i] - Y[i]);
    return 0.5 * total;
  }
  if (name !== "softmax_cross_entropy") throw new Error(`unknown loss ${name}`);
  const ls = logSoftmax(Z, r, n);
  for (let i = 0; i < Z.length; i++) total += Y[i] * ls[i];
  return -total;
}

/** ∇L(y)(z^(p)) column by column: z − y, or softmax(z) Σ_i y_i − y (eq-dLp). */
export function lossGrad(name, Y, Z, r, n = 1) {
  if (name === "squared_error") return Z.map((zi, i) => zi - Y[i]);
  const ls = logSoftmax(Z, r, n);
  const out = new Float64Array(r * n);
  for (let m = 0; m < n; m++) {
    let sy = 0;
    for (let i = 0; i < r; i++) sy += Y[i * n + m];
    for (let i = 0; i < r; i++) out[i * n + m] = Math.exp(ls[i * n + m]) * sy - Y[i * n + m];
  }
  return out;
}

/** dL^(p) = ∇L(y)(z^(p)) (eq-dLp), dL^(k) = g'(z^(k)) ⊙ w^(k)T dL^(k+1) (eq-dLk). */
export function dL(net, z, Y, lossName, n = 1) {
  const { s, w } = net;
  const p = s.length - 1;
  const gp = activation(net.g).gp;
  const out = new Array(p + 1).fill(null);
  out[p] = lossGrad(lossName, Y, z[p], s[p], n);
  for (let k = p - 1; k >= 1; k--) {
    const d = new Float64Array(s[k] * n);
    const [wk, next, zk, sk, rows] = [w[k], out[k + 1], z[k], s[k], s[k + 1]];
    if (n === 1) {
      // the same sums in the same order, row by row of w^(k) (contiguous in memory)
      for (let i = 0; i < rows; i++) for (let j = 0; j < sk; j++) d[j] += wk[i * sk + j] * next[i];
      for (let j = 0; j < sk; j++) d[j] = gp(zk[j]) * d[j];
      out[k] = d;
      continue;
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < sk; j++) {
        const wij = wk[i * sk + j];
        for (let m = 0; m < n; m++) d[j * n + m] += wij * next[i * n + m];
      }
    }
    for (let jm = 0; jm < sk * n; jm++) d[jm] = gp(zk[jm]) * d[jm];
    out[k] = d;
  }
  return out;
}

/** dB^(k) = dL^(k+1), summed over the columns of a batch (eq-dB, eq-dB-batch). */
export function dB(d, n = 1) {
  return d.slice(1).map((dk) => {
    const out = new Float64Array(dk.length / n);
    for (let i = 0; i < out.length; i++) {
      let acc = 0;
      for (let m = 0; m < n; m++) acc += dk[i * n + m];
      out[i] = acc;
    }
    return out;
  });
}

/** dW^(k) = dL^(k+1) a^(k)T, dW^(0) = dL^(1) x^T; summed over a batch (eq-dW, eq-dW0). */
export function dW(d, a, n = 1) {
  return a.map((ak, k) => {
    const rows = d[k + 1].length / n;
    const cols = ak.length / n;
    const out = new Float64Array(rows * cols);
    const dk = d[k + 1];
    if (n === 1) {
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[i * cols + j] = dk[i] * ak[j];
      return out;
    }
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        let acc = 0;
        for (let m = 0; m < n; m++) acc += dk[i * n + m] * ak[j * n + m];
        out[i * cols + j] = acc;
      }
    }
    return out;
  });
}

/** All three for the samples of a trace: {dW, dB, dL}. */
export function backward(net, trace, Y, lossName, n = 1) {
  const d = dL(net, trace.z, Y, lossName, n);
  return { dW: dW(d, trace.a, n), dB: dB(d, n), dL: d };
}

/** w^(k) ← w^(k) − c dW^(k), b^(k) ← b^(k) − c dB^(k) for every k (eq-update); c = α or α/m. */
export function update(net, grads, c) {
  for (let k = 0; k < net.w.length; k++) {
    const wk = net.w[k];
    const bk = net.b[k];
    for (let i = 0; i < wk.length; i++) wk[i] -= c * grads.dW[k][i];
    for (let i = 0; i < bk.length; i++) bk[i] -= c * grads.dB[k][i];
  }
}

/**
 * One step of section 3.1 on the n columns of X, Y: forward, backward, update with the mean
 * gradient, α/n Σ (n = 1 is the document's per-sample step). Returns {value, trace, grads}
 * with value = the mean loss before the step.
 */
export function step(net, X, Y, lossName, alpha, n = 1) {
  const trace = forward(net, X, n);
  const value = loss(lossName, Y, trace.z[trace.z.length - 1], net.s[net.s.length - 1], n) / n;
  const grads = backward(net, trace, Y, lossName, n);
  update(net, grads, alpha / n); // α/1 is α exactly
  return { value, trace, grads };
}

/** The objective of section 3.1: the mean of L̃_0 over the n columns (eq-objective). */
export function meanLoss(net, X, Y, lossName, n) {
  const z = forward(net, X, n).z;
  return loss(lossName, Y, z[z.length - 1], net.s[net.s.length - 1], n) / n;
}


/** Python's format(x, "g") (precision 6) or ".3g": how mlpcore's messages print numbers. */
export function formatG(x, precision = 6) {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  const [mant, e] = x.toExponential(precision - 1).split("e");
  const exp = Number(e);
  const strip = (t) => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
  if (exp >= -4 && exp < precision) return strip(x.toFixed(precision - 1 - exp));
  return `${strip(mant)}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** mlpcore.run.DivergenceError's message, word for word (limit: null when none was passed). */
export function divergenceMessage(alpha, epoch, sample, value, limit = null) {
  const above = limit === null ? "" : `, above the loss limit ${formatG(limit, 3)}`;
  return (
    `training diverged with alpha=${formatG(alpha)} in epoch ${epoch} (sample ${sample} of that ` +
    `epoch): the loss became ${formatG(value, 3)}${above}. The parameters of the last finite ` +
    "step were kept. Try a smaller alpha."
  );
}

/** Whether the update with step c would leave every parameter finite (nothing is changed). */
function updateFinite(net, grads, c) {
  for (let k = 0; k < net.w.length; k++) {
    const [wk, bk, gw, gb] = [net.w[k], net.b[k], grads.dW[k], grads.dB[k]];
    for (let i = 0; i < wk.length; i++) if (!Number.isFinite(wk[i] - c * gw[i])) return false;
    for (let i = 0; i < bk.length; i++) if (!Number.isFinite(bk[i] - c * gb[i])) return false;
  }
  return true;
}

function gather(M, rows, n, idx) {
  const r = idx.length;
  const out = new Float64Array(rows * r);
  for (let i = 0; i < rows; i++) for (let c = 0; c < r; c++) out[i * r + c] = M[i * n + idx[c]];
  return out;
}

/**
 * mlpcore.sgd one step at a time, so that a page can draw between steps.
 *
 * data = {X (s_0, n), Y (s_p, n), n}. Each epoch visits the samples in the order given by
 * order(epoch, n) (default: a shuffle seeded by `seed`), in batches of batchSize; a batch of
 * r samples steps with α/r Σ, the mean gradient, as mlpcore.sgd does. Divergence follows sgd:
 * before a step, a batch loss that is not finite or above `limit` (default
 * 1e3 × max(initial mean loss, 1)) stops training without applying the step; a step that would
 * make a parameter non-finite is not applied either; at the end of an epoch the mean loss is
 * checked against the limit too. `diverged` then holds sgd's DivergenceError message.
 * climb = c adds mlpcore.playground's rule: an epoch whose mean loss ends above c times the
 * initial one diverges too (playground.CLIMB = 5).
 */
export class Trainer {
  constructor(net, data, { loss: lossName, alpha, batchSize = 1, order = null, seed = 0, lossLimit = null, climb = null }) {
    if (!(alpha > 0)) throw new Error(`alpha must be > 0, got ${alpha}`);
    Object.assign(this, { net, data, lossName, alpha, batchSize, climb });
    const rand = randomSource(seed);
    this.order = order || ((epoch, n) => shuffled(n, rand));
    const first = this.fullLoss();
    this.history = [first];
    this.limit = lossLimit ?? 1e3 * Math.max(first, 1);
    this.epoch = 1;
    this.pos = 0;
    this.perm = null;
    this.steps = 0;
    this.diverged = null;
  }

  fullLoss() {
    const { X, Y, n } = this.data;
    const v = meanLoss(this.net, X, Y, this.lossName, n);
    return Number.isFinite(v) ? v : Infinity;
  }

  batch(net, pos) {
    const { X, Y, n } = this.data;
    const idx = Array.from(this.perm.slice(pos, Math.min(pos + this.batchSize, n)));
    const s = net.s;
    return { idx, X: gather(X, s[0], n, idx), Y: gather(Y, s[s.length - 1], n, idx), r: idx.length };
  }

  /** One step; returns {value, idx, trace, grads, epochEnd} or null once training diverged. */
  step() {
    if (this.diverged) return null;
    if (this.perm === null) this.perm = this.order(this.epoch, this.data.n);
    const b = this.batch(this.net, this.pos);
    const trace = forward(this.net, b.X, b.r);
    const p = this.net.s.length - 1;
    const value = loss(this.lossName, b.Y, trace.z[p], this.net.s[p], b.r) / b.r;
    if (!(value <= this.limit)) return this.diverge(this.pos, value, null, this.limit);
    const grads = backward(this.net, trace, b.Y, this.lossName, b.r);
    const c = this.alpha / b.r;
    if (!updateFinite(this.net, grads, c)) {
      const next = copyNetwork(this.net);
      update(next, grads, c);
      return this.diverge(this.pos, this.laterFailure(next, this.pos + b.r), null, this.limit);
    }
    update(this.net, grads, c);
    this.steps += 1;
    this.pos += b.r;
    const out = { value, idx: b.idx, trace, grads, epochEnd: false };
    if (this.pos >= this.data.n) {
      const full = this.fullLoss();
      if (!(full <= this.limit)) return this.diverge(this.data.n, full, out, this.limit);
      this.history.push(full);
      if (this.climb !== null && full > this.climb * this.history[0]) return this.diverge(this.data.n, full, out);
      this.epoch += 1;
      this.pos = 0;
      this.perm = null;
      out.epochEnd = true;
    }
    return out;
  }

  // sgd finds a non-finite parameter by replaying the epoch; the value it reports is the loss
  // of the first later batch of the epoch that fails the check, or inf if none does.
  laterFailure(bad, pos) {
    const p = bad.s.length - 1;
    while (pos < this.data.n) {
      const b = this.batch(bad, pos);
      const trace = forward(bad, b.X, b.r);
      const value = loss(this.lossName, b.Y, trace.z[p], bad.s[p], b.r) / b.r;
      if (!(value <= this.limit)) return value;
      update(bad, backward(bad, trace, b.Y, this.lossName, b.r), this.alpha / b.r);
      pos += b.r;
    }
    return Infinity;
  }

  /** Stop: sgd's DivergenceError names the loss limit; the playground's climb rule does not. */
  diverge(sample, value, out = null, limit = null) {
    const message = divergenceMessage(this.alpha, this.epoch, sample, value, limit);
    this.diverged = { epoch: this.epoch, sample, value, message };
    return out;
  }
}

function shuffled(n, rand) {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return perm;
}
