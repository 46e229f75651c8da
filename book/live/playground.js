// The live playground of lesson 08: mlpcore's training, in the reader's browser.
//
// A classic script (it must run from file://, where module scripts are blocked). It needs
// window.MLP (book/live/mlp.js, the twin of mlpcore, loaded as a classic script by the book) and
// window.MLP_DATA (book/live_export.py: mlpcore's data sets and initial networks), and
// window.MLPDraw, the drawing of the three views (mlpcore/course/playground/web/views.js, shared
// with the Jupyter widget). It fills <div id="mlp-live"> with the controls, three views, the
// "one stroke" panel and a table view: what the page computes and how the reader drives it.
// About 750 lines in one file: the page loads its scripts with no framework and no build step.
(function () {
  "use strict";
  const root = document.getElementById("mlp-live");
  if (!root || !window.MLP || !window.MLP_DATA || !window.MLPDraw) return;
  const MLP = window.MLP;
  const DATA = window.MLP_DATA;
  const D = window.MLPDraw;
  const LOSS = "softmax_cross_entropy";
  const CLIMB = 5; // mlpcore.playground.CLIMB
  const GRID_MAX = 56; // decision boundary: at most GRID_MAX² network evaluations
  const S = {
    dataset: "circles", hidden: DATA.hidden.slice(), g: "tanh", alpha: 0.1, batch: 1, seed: 0,
    running: false, added: [], selected: { type: "node", k: 0, i: 0 }, cursor: [0, 0],
    newClass: 0, frames: 0, frameStart: 0, dirty: 0, stroke: null,
  };

  // ---- small helpers --------------------------------------------------------------------------
  const $ = (sel) => root.querySelector(sel);
  const { el, fmt, sup, sub } = D;
  function say(text) {
    const status = $("#ml-status");
    status.textContent = text;
  }

  // ---- the data: mlpcore.data's points, plus the reader's ------------------------------------
  function dataset(which) {
    const d = DATA.datasets[S.dataset];
    const set = d[which];
    let pts = [];
    for (let m = 0; m < set.n; m++) pts.push([set.X[m], set.X[set.n + m], set.labels[m]]);
    if (which === "train") pts = pts.concat(S.added);
    const n = pts.length;
    const C = d.n_classes;
    const X = new Float64Array(2 * n);
    const Y = new Float64Array(C * n);
    pts.forEach(([x0, x1, c], m) => {
      X[m] = x0;
      X[n + m] = x1;
      Y[c * n + m] = 1;
    });
    return { X, Y, n, C, pts };
  }
  function bounds() {
    const d = DATA.datasets[S.dataset];
    let lo = 0;
    for (const which of ["train", "test"]) for (const v of d[which].X) lo = Math.max(lo, Math.abs(v));
    lo = Math.ceil((lo + 0.25) * 2) / 2;
    return [-lo, lo];
  }

  // ---- the network and its training -----------------------------------------------------------
  function sizes() {
    return [2, ...S.hidden, DATA.datasets[S.dataset].n_classes];
  }
  function initialNetwork() {
    const s = sizes();
    const mine = DATA.networks[`${S.dataset}/${S.g}`];
    if (S.seed === 0 && mine && mine.s.join() === s.join()) {
      S.origin = `mlpcore's Network((${s.join(", ")}), g="${S.g}", seed=0)`;
      return MLP.fromArrays(mine.s, mine.g, mine.w, mine.b);
    }
    S.origin = `drawn in the browser (${MLP.ACTIVATIONS[S.g].init === "he" ? "He" : "Xavier"}, seed ${S.seed})`;
    return MLP.network(s, S.g, S.seed);
  }
  function reset(announce = true) {
    stop();
    S.train = dataset("train");
    S.test = dataset("test");
    S.net = initialNetwork();
    S.trainer = new MLP.Trainer(S.net, { X: S.train.X, Y: S.train.Y, n: S.train.n }, {
      loss: LOSS, alpha: S.alpha, batchSize: S.batch, seed: S.seed + 1, climb: CLIMB,
    });
    S.curve = [{ epoch: 0, train: S.trainer.history[0], test: testLoss() }];
    S.last = null;
    S.stepCount = 0;
    S.stroke = null;
    root.dataset.points = String(S.train.n);
    delete root.dataset.diverged;
    delete root.dataset.lastSamples;
    buildDiagram();
    showStroke();
    drawAll();
    if (announce) say(`Reset: s = (${sizes().join(", ")}), g = ${S.g}; initial weights ${S.origin}.`);
  }
  function testLoss() {
    return MLP.meanLoss(S.net, S.test.X, S.test.Y, LOSS, S.test.n);
  }
  function afterStep(res) {
    S.stepCount += 1;
    if (res) S.last = { idx: res.idx, trace: res.trace, grads: res.grads, r: res.idx.length };
    if (res && res.epochEnd) {
      const tr = S.trainer;
      S.curve.push({ epoch: tr.history.length - 1, train: tr.history[tr.history.length - 1], test: testLoss() });
    }
    if (S.trainer.diverged) {
      // the playground's rule also stops on an epoch whose loss climbs: record that epoch
      const tr = S.trainer;
      if (tr.history.length > S.curve.length) S.curve.push({ epoch: tr.history.length - 1, train: tr.history[tr.history.length - 1], test: testLoss() });
      stop();
      say(`Training stopped. ${tr.diverged.message}`);
      root.dataset.diverged = "true";
    }
  }
  function oneStep() {
    if (S.trainer.diverged) return say(`Training diverged; press Reset. ${S.trainer.diverged.message}`);
    const res = S.trainer.step();
    afterStep(res);
    if (res) {
      root.dataset.lastSamples = res.idx.join(" ");
      say(`Step ${S.stepCount}: ${res.idx.length === 1 ? `sample m = ${res.idx[0]}` : `${res.idx.length} samples`}, loss before the step ${fmt(res.value)}.`);
    }
    drawAll();
  }

  // ---- the animation loop ---------------------------------------------------------------------
  function frame(now) {
    if (!S.running) return;
    S.frames += 1;
    const t0 = performance.now();
    const n = S.train.n;
    let samples = 0;
    while (S.running && samples < n && performance.now() - t0 < 8) {
      afterStep(S.trainer.step());
      samples += S.batch;
      S.stepsRun += 1;
    }
    if (!S.running) drawAll();
    else drawSome(now);
    if (S.running) requestAnimationFrame(frame);
  }
  // While training: the loss curve every frame; at most one of the heavier views per frame,
  // each at most every 90 ms and never more than a fifth of the time (its last cost × 4 apart).
  function drawSome(now) {
    drawLoss();
    S.cost = S.cost || {};
    for (const [name, draw] of [["boundary", drawBoundary], ["diagram", drawDiagram], ["tables", drawTables]]) {
      const v = S.cost[name] || (S.cost[name] = { last: 0, cost: 0 });
      // the browser's painting is not in the cost: a diagram of thousands of edges waits longer
      const paint = name === "diagram" ? S.diagram.edgeCount() / 20 : 0;
      if (now - v.last > Math.max(90, 4 * v.cost, paint)) {
        const t = performance.now();
        draw();
        v.cost = performance.now() - t;
        v.last = now;
        return;
      }
    }
  }
  function play() {
    if (S.trainer.diverged) return say("Training diverged; press Reset to start again from the same weights.");
    S.stroke = null;
    showStroke();
    S.running = true;
    S.frames = 0;
    S.stepsRun = 0;
    S.frameStart = performance.now();
    $("#ml-play").textContent = "Pause";
    $("#ml-play").setAttribute("aria-pressed", "true");
    say(`Training: α = ${fmt(S.alpha, 3)}, batch size ${S.batch}.`);
    requestAnimationFrame(frame);
  }
  function pause() {
    stop();
    const c = S.curve[S.curve.length - 1];
    say(`Paused in epoch ${S.trainer.epoch} after ${S.trainer.steps} steps; mean training loss ${fmt(c.train)} after epoch ${c.epoch}.`);
  }
  function stop() {
    if (!S.running) return;
    S.running = false;
    S.frameEnd = performance.now();
    const play = $("#ml-play");
    play.textContent = "Play";
    play.setAttribute("aria-pressed", "false");
    drawAll();
  }

  // ---- controls -------------------------------------------------------------------------------
  function field(label, input, extra = null) {
    return el("label", { class: "ml-field" }, el("span", { text: label }), input, ...(extra ? [extra] : []));
  }
  function select(id, options, value, onchange) {
    const s = el("select", { id, onchange });
    for (const [v, t] of options) s.append(el("option", { value: v, text: t, selected: String(v) === String(value) }));
    return s;
  }
  function buildControls() {
    const alpha = el("input", {
      id: "ml-alpha", type: "range", min: -4, max: 1, step: 0.1, value: Math.log10(S.alpha),
      "aria-valuetext": `α = ${S.alpha}`,
      oninput: (e) => {
        S.alpha = Number((10 ** Number(e.target.value)).toPrecision(2));
        e.target.setAttribute("aria-valuetext", `α = ${S.alpha}`);
        $("#ml-alpha-value").textContent = String(S.alpha);
        if (S.trainer.diverged) reset(false);
        S.trainer.alpha = S.alpha;
        say(`α = ${S.alpha}${S.running ? "; training goes on from the current weights" : ""}.`);
      },
    });
    const layers = el("input", {
      id: "ml-layers", type: "number", min: 0, max: 4, value: S.hidden.length,
      onchange: (e) => {
        const p = Math.max(0, Math.min(4, Math.round(Number(e.target.value) || 0)));
        e.target.value = p;
        if (p === S.hidden.length) return;
        while (S.hidden.length < p) S.hidden.push(S.hidden[S.hidden.length - 1] || 4);
        S.hidden.length = p;
        buildSizes();
        reset();
      },
    });
    const controls = el("div", { class: "ml-controls", role: "group", "aria-label": "Playground controls" },
      field("Data set", select("ml-dataset", Object.keys(DATA.datasets).map((d) => [d, d]), S.dataset, (e) => {
        S.dataset = e.target.value;
        S.added = [];
        buildClassChoice();
        reset();
      })),
      field("Learning rate α", alpha, el("output", { id: "ml-alpha-value", for: "ml-alpha", text: String(S.alpha) })),
      field("Hidden layers", layers),
      el("span", { id: "ml-sizes", class: "ml-sizes" }),
      field("Activation g", select("ml-g", Object.keys(MLP.ACTIVATIONS).map((g) => [g, g]), S.g, (e) => {
        S.g = e.target.value;
        reset();
      })),
      field("Batch size", select("ml-batch", [1, 2, 4, 8, 16, 32, 64].map((m) => [m, m]), S.batch, (e) => {
        S.batch = Number(e.target.value);
        S.trainer.batchSize = S.batch;
        say(`Batch size ${S.batch}: each step uses the mean gradient of ${S.batch} sample${S.batch > 1 ? "s" : ""}.`);
      })),
      field("Seed", el("input", {
        id: "ml-seed", type: "number", min: 0, max: 9999, value: S.seed,
        onchange: (e) => {
          const seed = Math.max(0, Math.round(Number(e.target.value) || 0));
          e.target.value = seed;
          if (seed === S.seed) return;
          S.seed = seed;
          reset();
        },
      })),
      field("Class of new points", el("select", { id: "ml-class", onchange: (e) => (S.newClass = Number(e.target.value)) })),
      el("div", { class: "ml-buttons" },
        el("button", { id: "ml-play", type: "button", "aria-pressed": "false", text: "Play", onclick: () => (S.running ? pause() : play()) }),
        el("button", { id: "ml-step", type: "button", text: "One step", onclick: () => { stop(); oneStep(); } }),
        el("button", { id: "ml-reset", type: "button", text: "Reset", onclick: () => reset() }),
        el("button", { id: "ml-stroke", type: "button", text: "One stroke (section 3.1)", onclick: startStroke })));
    return controls;
  }
  function buildSizes() {
    const box = $("#ml-sizes");
    box.replaceChildren();
    S.hidden.forEach((sk, idx) => {
      const k = idx + 1;
      box.append(field(`s${sub(k)}`, el("input", {
        id: `ml-size-${k}`, type: "number", min: 1, max: 64, value: sk, "aria-label": `s${sub(k)}, neurons in hidden layer ${k}`,
        onchange: (e) => {
          const sk = Math.max(1, Math.min(64, Math.round(Number(e.target.value) || 1)));
          e.target.value = sk;
          if (sk === S.hidden[idx]) return;
          S.hidden[idx] = sk;
          reset();
        },
      })));
    });
  }
  function buildClassChoice() {
    const s = $("#ml-class");
    s.replaceChildren();
    for (let c = 0; c < DATA.datasets[S.dataset].n_classes; c++) s.append(el("option", { value: c, text: `class ${c}` }));
    S.newClass = 0;
  }

  // ---- the decision boundary ------------------------------------------------------------------
  function drawBoundary() {
    const canvas = $("#ml-boundary");
    const [lo, hi] = bounds();
    const grid = gridSize();
    const N = grid * grid;
    const z = MLP.forward(S.net, D.gridPoints(lo, hi, grid), N).z;
    const { best, conf } = D.classify(z[z.length - 1], N, S.train.C);
    D.drawBoundary(canvas, {
      bounds: [lo, hi], grid, best, conf, C: S.train.C, train: S.train.pts, test: S.test.pts,
      added: S.added.length, cursor: document.activeElement === canvas ? S.cursor : null,
    });
  }
  // A finer grid for a small network, a coarser one for a large one: about 6e6 products.
  function gridSize() {
    const s = S.net.s;
    let macs = 0;
    for (let k = 0; k + 1 < s.length; k++) macs += s[k] * s[k + 1];
    return Math.max(16, Math.min(GRID_MAX, Math.round(Math.sqrt(6e6 / macs))));
  }
  function addPoint(x0, x1) {
    S.added.push([x0, x1, S.newClass]);
    const wasRunning = S.running;
    const data = dataset("train");
    S.train = data;
    S.trainer.data = { X: data.X, Y: data.Y, n: data.n };
    if (S.trainer.perm && S.trainer.perm.length !== data.n) {
      // the epoch under way keeps its order; the new point joins from the next epoch
      const perm = S.trainer.perm;
      S.trainer.order = ((order) => (epoch, n) => (n === perm.length ? perm : order(epoch, n)))(S.trainer.order);
    }
    root.dataset.points = String(data.n);
    say(`Point added at (${fmt(x0, 3)}, ${fmt(x1, 3)}), class ${S.newClass}: ${data.n} training points.`);
    if (!wasRunning) drawAll();
  }

  // ---- the loss curve -------------------------------------------------------------------------
  function drawLoss() {
    D.drawLoss($("#ml-loss"), S.curve);
    const pts = S.curve;
    const p = pts[pts.length - 1];
    $("#ml-loss-text").textContent = `Epoch ${p.epoch}: mean loss ${fmt(p.train)} on the ${S.train.n} training points, ${fmt(p.test)} on the ${S.test.n} test points.`;
  }

  // ---- the network diagram --------------------------------------------------------------------
  const { DW, DH } = D;
  function buildDiagram() {
    const s = S.net.s;
    S.diagram.build(s);
    $("#ml-network").setAttribute("aria-label", `Network diagram, s = (${s.join(", ")}). Arrow keys choose a neuron; its numbers appear below.`);
    root.dataset.sizes = s.join(",");
    const sel = S.selected;
    if (!(sel.k < s.length && sel.i < s[sel.k])) S.selected = { type: "node", k: 0, i: 0 };
  }
  // What the diagram and the inspector show: the last step's sample, or sample 0 before any step.
  function probe() {
    if (S.last) return S.last;
    const idx = [0];
    const X = Float64Array.from([S.train.X[0], S.train.X[S.train.n]]);
    const Y = new Float64Array(S.train.C);
    for (let c = 0; c < S.train.C; c++) Y[c] = S.train.Y[c * S.train.n];
    const trace = MLP.forward(S.net, X, 1);
    return { idx, trace, grads: MLP.backward(S.net, trace, Y, LOSS, 1), r: 1 };
  }
  function col(v, r) {
    return (arr, i) => arr[i * r]; // first column of an (s, r) array
  }
  function drawDiagram() {
    const P = probe();
    const first = col(null, P.r);
    const dL = S.net.s.map((sk, k) => (P.grads.dL[k] ? Array.from({ length: sk }, (_, i) => first(P.grads.dL[k], i)) : null));
    S.diagram.draw(S.net.w, dL);
    S.diagram.select(S.selected);
    highlightStroke();
    inspect();
  }
  function inspect() {
    const s = S.net.s;
    const p = s.length - 1;
    const P = probe();
    const v = col(null, P.r);
    const sel = S.selected;
    const sample = P.r === 1 ? `sample m = ${P.idx[0]}` : `the first of the ${P.r} samples of the batch (m = ${P.idx[0]})`;
    const grad = P.r === 1 ? "" : ` (summed over the batch of ${P.r})`;
    const lines = [];
    if (sel.type === "node") {
      const { k, i } = sel;
      lines.push(`Neuron ${i} of layer ${k}${k === 0 ? " (input)" : k === p ? " (output)" : ""}; numbers of ${sample} at the last step:`);
      if (k < p) lines.push(`a${sup(k)}[${i}] = ${fmt(v(P.trace.a[k], i), 6)}${k === 0 ? `  (= x[${i}])` : ""}`);
      if (k > 0) {
        lines.push(`z${sup(k)}[${i}] = ${fmt(v(P.trace.z[k], i), 6)}`);
        lines.push(`dL${sup(k)}[${i}] = ${fmt(v(P.grads.dL[k], i), 6)}`);
        lines.push(`b${sup(k - 1)}[${i}] = ${fmt(S.net.b[k - 1][i], 6)} (now), dB${sup(k - 1)}[${i}] = ${fmt(P.grads.dB[k - 1][i], 6)}${grad}`);
      }
    } else {
      const { k, i, j } = sel;
      lines.push(`Edge from neuron ${j} of layer ${k} to neuron ${i} of layer ${k + 1}; ${sample}:`);
      lines.push(`w${sup(k)}[${i}, ${j}] = ${fmt(S.net.w[k][i * s[k] + j], 6)} (now)`);
      lines.push(`dW${sup(k)}[${i}, ${j}] = dL${sup(k + 1)}[${i}] a${sup(k)}[${j}] = ${fmt(P.grads.dW[k][i * s[k] + j], 6)}${grad}`);
      lines.push(`a${sup(k)}[${j}] = ${fmt(v(P.trace.a[k], j), 6)}, dL${sup(k + 1)}[${i}] = ${fmt(v(P.grads.dL[k + 1], i), 6)}`);
    }
    const box = $("#ml-inspect");
    box.replaceChildren(...lines.map((t) => el("div", { text: t })));
  }
  function pick(evt) {
    const svg = $("#ml-network");
    const rect = svg.getBoundingClientRect();
    const x = ((evt.clientX - rect.left) / rect.width) * DW;
    const y = ((evt.clientY - rect.top) / rect.height) * DH;
    const best = S.diagram.pick(x, y);
    if (best) {
      S.selected = best;
      drawDiagram();
      say($("#ml-inspect").firstChild.textContent);
    }
  }
  function diagramKeys(evt) {
    const s = S.net.s;
    let { k, i } = S.selected.type === "node" ? S.selected : { k: S.selected.k + 1, i: S.selected.i };
    const keys = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };
    if (!(evt.key in keys)) return;
    evt.preventDefault();
    k = Math.max(0, Math.min(s.length - 1, k + keys[evt.key][0]));
    i = Math.max(0, Math.min(s[k] - 1, i + keys[evt.key][1]));
    S.selected = { type: "node", k, i };
    drawDiagram();
    say($("#ml-inspect").firstChild.textContent);
  }

  // ---- the table view -------------------------------------------------------------------------
  function drawTables() {
    const box = $("#ml-tables");
    if (!$("#ml-table-view").open) return;
    const s = S.net.s;
    const P = probe();
    const v = col(null, P.r);
    const parts = [];
    for (let k = 0; k + 1 < s.length; k++) {
      const t = el("table", { id: `ml-table-w${k}`, class: "ml-table" },
        el("caption", { text: `w${sup(k)} (${s[k + 1]} × ${s[k]}) and b${sup(k)}: row i, column j is w${sup(k)}[i, j]` }));
      const head = el("tr", {}, el("th", { scope: "col", text: "i" }));
      for (let j = 0; j < s[k]; j++) head.append(el("th", { scope: "col", text: `j = ${j}` }));
      head.append(el("th", { scope: "col", text: `b${sup(k)}[i]` }));
      t.append(el("thead", {}, head));
      const body = el("tbody");
      for (let i = 0; i < s[k + 1]; i++) {
        const tr = el("tr", {}, el("th", { scope: "row", text: String(i) }));
        for (let j = 0; j < s[k]; j++) {
          const x = S.net.w[k][i * s[k] + j];
          tr.append(el("td", { "data-value": String(x), "data-i": i, "data-j": j, text: fmt(x, 6) }));
        }
        tr.append(el("td", { class: "ml-bias", "data-value": String(S.net.b[k][i]), text: fmt(S.net.b[k][i], 6) }));
        body.append(tr);
      }
      t.append(body);
      parts.push(t);
    }
    const vt = el("table", { id: "ml-table-vectors", class: "ml-table" },
      el("caption", { text: `a${sup("k")}, z${sup("k")}, dL${sup("k")} of sample m = ${P.idx[0]}${P.r > 1 ? " (first of the batch)" : ""}` }));
    vt.append(el("thead", {}, el("tr", {}, ...["layer k", "i", "a", "z", "dL"].map((h) => el("th", { scope: "col", text: h })))));
    const vb = el("tbody");
    const p = s.length - 1;
    for (let k = 0; k <= p; k++) for (let i = 0; i < s[k]; i++) {
      vb.append(el("tr", {}, el("th", { scope: "row", text: String(k) }), el("td", { text: String(i) }),
        el("td", { text: k < p ? fmt(v(P.trace.a[k], i), 6) : "—" }),
        el("td", { text: k > 0 ? fmt(v(P.trace.z[k], i), 6) : "—" }),
        el("td", { text: k > 0 ? fmt(v(P.grads.dL[k], i), 6) : "—" })));
    }
    vt.append(vb);
    parts.push(vt);
    box.replaceChildren(...parts);
  }

  // ---- one stroke: section 3.1 on one sample, step by step ------------------------------------
  function startStroke() {
    stop();
    if (S.trainer.diverged) reset(false);
    const tr = S.trainer;
    if (tr.perm === null) tr.perm = tr.order(tr.epoch, tr.data.n);
    const m = tr.perm[tr.pos];
    const n = S.train.n;
    const x = Float64Array.from([S.train.X[m], S.train.X[n + m]]);
    const y = new Float64Array(S.train.C);
    for (let c = 0; c < S.train.C; c++) y[c] = S.train.Y[c * n + m];
    const trace = MLP.forward(S.net, x, 1);
    const grads = MLP.backward(S.net, trace, y, LOSS, 1);
    const p = S.net.s.length - 1;
    const vec = (a) => `[${Array.from(a).slice(0, 8).map((t) => fmt(t, 4)).join(", ")}${a.length > 8 ? ", …" : ""}]`;
    const st = [{ eq: "eq-forward", layer: [0], text: `Sample m = ${m}: a${sup(0)} = x = ${vec(x)}, its class ${y.indexOf(1)}.` }];
    for (let k = 0; k < p; k++) {
      let t = `z${sup(k + 1)} = w${sup(k)} a${sup(k)} + b${sup(k)} = ${vec(trace.z[k + 1])}`;
      if (k + 1 < p) t += `; a${sup(k + 1)} = g(z${sup(k + 1)}) = ${vec(trace.a[k + 1])}`;
      else t += ` = y_pred`;
      st.push({ eq: "eq-forward", layer: [k + 1], edges: k, text: t });
    }
    st.push({ eq: "eq-dLp", layer: [p], text: `dL${sup(p)} = ∇L(y)(z${sup(p)}) = softmax(z${sup(p)}) − y = ${vec(grads.dL[p])}` });
    for (let k = p - 1; k >= 1; k--) {
      st.push({ eq: "eq-dLk", layer: [k], edges: k, text: `dL${sup(k)} = g′(z${sup(k)}) ⊙ w${sup(k)}ᵀ dL${sup(k + 1)} = ${vec(grads.dL[k])}` });
    }
    for (let k = p - 1; k >= 0; k--) {
      st.push({ eq: k === 0 ? "eq-dW0" : "eq-dW", also: "eq-dB", layer: [k + 1], edges: k,
        text: `dB${sup(k)} = dL${sup(k + 1)} = ${vec(grads.dB[k])}; dW${sup(k)} = dL${sup(k + 1)} ${k === 0 ? "xᵀ" : `a${sup(k)}ᵀ`} = ${vec(grads.dW[k])} (row by row)` });
    }
    st.push({ eq: "eq-update", layer: [], edges: "all", update: true,
      text: `w${sup("k")} ← w${sup("k")} − α dW${sup("k")} and b${sup("k")} ← b${sup("k")} − α dB${sup("k")} for every k, with α = ${S.alpha}.` });
    S.last = { idx: [m], trace, grads, r: 1 };
    S.stroke = { stages: st, at: 0, m, grads, done: false };
    showStroke();
    drawAll();
  }
  function strokeNext() {
    const k = S.stroke;
    if (!k) return;
    if (k.at + 1 < k.stages.length) k.at += 1;
    const stage = k.stages[k.at];
    if (stage.update && !k.done) {
      MLP.update(S.net, k.grads, S.alpha);
      k.done = true;
      const tr = S.trainer;
      tr.pos += 1; // the sample is used: the next step takes the one after it
      if (tr.pos >= tr.data.n) { tr.pos = 0; tr.perm = null; }
    }
    showStroke();
    drawAll();
  }
  function showStroke() {
    const panel = $("#ml-stroke-panel");
    const k = S.stroke;
    panel.hidden = !k;
    for (const li of root.querySelectorAll(".ml-formula")) li.classList.remove("ml-current");
    if (!k) return;
    const stage = k.stages[k.at];
    for (const li of root.querySelectorAll(".ml-formula")) {
      // Sphinx writes the anchors in lower case: #equation-eq-dlp for eq-dLp
      const want = [stage.eq, stage.also].filter(Boolean).map((e) => e.toLowerCase());
      if (li.dataset.eq.split(" ").some((e) => want.includes(e))) li.classList.add("ml-current");
    }
    $("#ml-stroke-text").textContent = `Stage ${k.at + 1} of ${k.stages.length}: ${stage.text}${stage.update ? " Done: the weights moved." : ""}`;
    $("#ml-stroke-next").disabled = k.at + 1 >= k.stages.length;
    say($("#ml-stroke-text").textContent);
  }
  function highlightStroke() {
    const k = S.stroke;
    const stage = k ? k.stages[k.at] : null;
    S.diagram.highlight(stage ? stage.layer : [], stage ? stage.edges : null);
  }
  function autoStroke() {
    if (!S.stroke) startStroke();
    const tick = () => {
      if (!S.stroke || S.stroke.at + 1 >= S.stroke.stages.length) return;
      strokeNext();
      S.strokeTimer = setTimeout(tick, 1400);
    };
    clearTimeout(S.strokeTimer);
    S.strokeTimer = setTimeout(tick, 1400);
  }

  // ---- drawing everything ---------------------------------------------------------------------
  function drawAll() {
    drawBoundary();
    drawLoss();
    drawDiagram();
    drawTables();
  }

  // ---- the page -------------------------------------------------------------------------------
  function build() {
    const intro = root.querySelector(".ml-noscript-note");
    if (intro) intro.remove();
    root.classList.add("ml-ready");
    const boundary = el("canvas", {
      id: "ml-boundary", width: 360, height: 360, tabindex: 0, class: "ml-canvas",
      "aria-label": "Decision boundary and training points. Click to add a point of the chosen class; from the keyboard, arrow keys move a cursor and Enter adds a point there.",
      onclick: (e) => {
        const c = e.currentTarget;
        const r = c.getBoundingClientRect();
        const [x0, x1] = D.toPlane(((e.clientX - r.left) / r.width) * c.width, ((e.clientY - r.top) / r.height) * c.height, c, bounds());
        addPoint(x0, x1);
      },
      onkeydown: (e) => {
        const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] }[e.key];
        if (d) {
          e.preventDefault();
          const [lo, hi] = bounds();
          S.cursor = S.cursor.map((v, i) => Math.max(lo, Math.min(hi, v + 0.1 * d[i])));
          drawBoundary();
        } else if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          addPoint(S.cursor[0], S.cursor[1]);
        }
      },
      onfocus: () => drawBoundary(),
      onblur: () => drawBoundary(),
    });
    // The formulas of one stroke are the lesson's own list (math and {eq} links drawn by the
    // book), the list right after <div class="mlp-live-formulas-marker">; it moves into the panel.
    const marker = document.querySelector(".mlp-live-formulas-marker");
    let formulas = marker ? marker.nextElementSibling : null;
    if (formulas && !/^(OL|UL)$/.test(formulas.tagName)) formulas = formulas.querySelector("ol, ul");
    if (formulas) formulas.classList.add("mlp-live-formulas");
    const strokePanel = el("div", { id: "ml-stroke-panel", class: "ml-stroke", hidden: true },
      el("p", { id: "ml-stroke-text" }),
      el("div", { class: "ml-buttons" },
        el("button", { id: "ml-stroke-next", type: "button", text: "Next stage", onclick: strokeNext }),
        el("button", { id: "ml-stroke-auto", type: "button", text: "Animate", onclick: autoStroke }),
        el("button", { id: "ml-stroke-exit", type: "button", text: "Leave one stroke", onclick: () => { clearTimeout(S.strokeTimer); S.stroke = null; showStroke(); drawAll(); } })));
    if (formulas) {
      for (const li of formulas.querySelectorAll("li")) {
        const labels = Array.from(li.querySelectorAll("a[href*='#equation-']")).map((a) => a.getAttribute("href").split("#equation-")[1]);
        li.classList.add("ml-formula");
        li.dataset.eq = labels.join(" ").toLowerCase();
      }
    }
    root.append(
      buildControls(),
      el("p", { id: "ml-status", class: "ml-status", role: "status", "aria-live": "polite" }),
      el("div", { class: "ml-views" },
        el("figure", { class: "ml-view" }, boundary, el("figcaption", { text: "Decision boundary: the class the network predicts at each point (filled dots: training points; rings: test points; black outline: points you added)." })),
        el("figure", { class: "ml-view" }, el("canvas", { id: "ml-loss", width: 360, height: 220, class: "ml-canvas", role: "img", "aria-labelledby": "ml-loss-text" }),
          el("figcaption", {}, el("span", { text: "Mean loss L̃₀ after each epoch (log scale): training (solid), test (dashed). " }), el("span", { id: "ml-loss-text" }))),
        el("figure", { class: "ml-view ml-wide" },
          el("svg", { id: "ml-network", class: "ml-network", viewBox: `0 0 ${DW} ${DH}`, tabindex: 0, role: "img", onclick: pick, onkeydown: diagramKeys }),
          el("figcaption", { text: "The network: edge width |w⁽ᵏ⁾[i, j]| (red positive, blue negative); neuron shading dL⁽ᵏ⁾ of the last step's sample. Click a neuron or an edge, or use the arrow keys." }),
          el("div", { id: "ml-inspect", class: "ml-inspect" }))),
      strokePanel,
      el("details", { id: "ml-table-view", ontoggle: drawTables }, el("summary", { text: "Table view: the network's numbers" }), el("div", { id: "ml-tables", tabindex: 0, role: "region", "aria-label": "Tables of w, b, a, z and dL" })));
    if (formulas) strokePanel.prepend(formulas);
    S.diagram = D.diagram($("#ml-network"));
    buildSizes();
    buildClassChoice();
    reset(false);
    say(`Ready: s = (${sizes().join(", ")}), g = ${S.g}, α = ${S.alpha}; initial weights ${S.origin}. Press Play.`);
  }

  window.mlpLive = {
    state: S,
    stats: () => ({
      frames: S.frames,
      seconds: ((S.running ? performance.now() : S.frameEnd || performance.now()) - S.frameStart) / 1000,
      steps: S.stepsRun,
    }),
  };
  // The lesson's formula list comes after this script in the page: build once it is parsed.
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", build);
  else build();
})();
