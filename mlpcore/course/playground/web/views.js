// The playground's three views, drawn from plain numbers: the decision boundary, the loss curve
// and the network diagram. One source for both faces of the playground:
// - the book's live page (book/live/playground.js), whose numbers come from the JavaScript twin
//   of mlpcore training in the page;
// - the Jupyter widget (widget.js, mlpcore.course.playground.widget), whose numbers come from
//   mlpcore training in the kernel.
// A classic script (the book loads it from file:// too, where module scripts are blocked) that
// sets MLPDraw on the global object; the widget's module is this file followed by widget.js.
// About 300 lines: three views and their shared helpers, each short, in the one file both load.
(function (root) {
  "use strict";
  // Class colours: matplotlib's tab10, reordered so that classes 0, 1, 2 are blue, red, green.
  const COLORS = [
    [31, 119, 180], [214, 39, 40], [44, 160, 44], [255, 127, 14], [148, 103, 189],
    [140, 86, 75], [227, 119, 194], [127, 127, 127], [188, 189, 34], [23, 190, 207],
  ];
  const SVG_TAGS = ["svg", "line", "circle", "g", "text", "rect"];

  function el(tag, attrs = {}, ...children) {
    const node = SVG_TAGS.includes(tag)
      ? document.createElementNS("http://www.w3.org/2000/svg", tag)
      : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) node.append(c);
    return node;
  }
  const fmt = (x, d = 4) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : String(x));
  const sup = (k) => `⁽${String(k).replace(/\d/g, (c) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[c])}⁾`;
  const sub = (s) => String(s).replace(/\d/g, (c) => "₀₁₂₃₄₅₆₇₈₉"[c]);
  const color = (c) => `rgb(${COLORS[c % COLORS.length].join()})`;

  // ---- the decision boundary ------------------------------------------------------------------
  // The plane is the square [lo, hi]²; the grid has `grid` × `grid` cells, row 0 at the top.
  function gridPoints(lo, hi, grid) {
    const N = grid * grid;
    const G = new Float64Array(2 * N); // (2, N), samples as columns like mlpcore's X
    for (let r = 0; r < grid; r++) {
      for (let c = 0; c < grid; c++) {
        G[r * grid + c] = lo + ((c + 0.5) / grid) * (hi - lo);
        G[N + r * grid + c] = hi - ((r + 0.5) / grid) * (hi - lo);
      }
    }
    return G;
  }
  // From the outputs z^(p) (C, N) of the grid: the predicted class and its softmax probability.
  function classify(Z, N, C) {
    const best = new Uint8Array(N);
    const conf = new Float64Array(N);
    for (let m = 0; m < N; m++) {
      let mx = -Infinity;
      let se = 0;
      for (let i = 0; i < C; i++) if (Z[i * N + m] > mx) { mx = Z[i * N + m]; best[m] = i; }
      for (let i = 0; i < C; i++) se += Math.exp(Z[i * N + m] - mx);
      conf[m] = Number.isFinite(se) ? 1 / se : 0;
    }
    return { best, conf };
  }
  function toPixel(x, y, canvas, [lo, hi]) {
    return [((x - lo) / (hi - lo)) * canvas.width, ((hi - y) / (hi - lo)) * canvas.height];
  }
  function toPlane(px, py, canvas, [lo, hi]) {
    return [lo + (px / canvas.width) * (hi - lo), hi - (py / canvas.height) * (hi - lo)];
  }
  // v: {bounds: [lo, hi], grid, best, conf (grid² each), C, train: [[x0, x1, class], ...],
  //     test: [...] (rings), added: how many of the last training points the reader added,
  //     cursor: [x0, x1] or null}
  function drawBoundary(canvas, v) {
    const ctx = canvas.getContext("2d");
    const { grid, best, conf, C } = v;
    const img = ctx.createImageData(grid, grid);
    for (let m = 0; m < grid * grid; m++) {
      const t = 0.15 + 0.55 * Math.max(0, (conf[m] - 1 / C) / (1 - 1 / C));
      const col = COLORS[best[m] % COLORS.length];
      for (let ch = 0; ch < 3; ch++) img.data[4 * m + ch] = Math.round(255 * (1 - t) + col[ch] * t);
      img.data[4 * m + 3] = 255;
    }
    const off = document.createElement("canvas");
    off.width = grid;
    off.height = grid;
    off.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
    for (const [x0, x1, c] of v.test || []) {
      const [px, py] = toPixel(x0, x1, canvas, v.bounds);
      ctx.beginPath();
      ctx.arc(px, py, 2.2, 0, 2 * Math.PI);
      ctx.strokeStyle = color(c);
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    const mine = v.train.length - (v.added || 0);
    v.train.forEach(([x0, x1, c], m) => {
      const [px, py] = toPixel(x0, x1, canvas, v.bounds);
      ctx.beginPath();
      ctx.arc(px, py, m >= mine ? 5 : 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = color(c);
      ctx.fill();
      ctx.strokeStyle = m >= mine ? "#000" : "#fff";
      ctx.lineWidth = m >= mine ? 2 : 0.8;
      ctx.stroke();
    });
    if (v.cursor) {
      const [px, py] = toPixel(v.cursor[0], v.cursor[1], canvas, v.bounds);
      ctx.strokeStyle = "#000";
      ctx.lineWidth = 1.5;
      ctx.strokeRect(px - 7, py - 7, 14, 14);
    }
  }

  // ---- the loss curve -------------------------------------------------------------------------
  // curve: [{epoch, train, test}] (test may be absent); steps: [[epoch, loss]] drawn as dots.
  function drawLoss(canvas, curve, steps = []) {
    if (!curve.length) return;
    const ctx = canvas.getContext("2d");
    const W = canvas.width;
    const H = canvas.height;
    const pad = { l: 44, r: 8, t: 8, b: 26 };
    ctx.clearRect(0, 0, W, H);
    const ok = (v) => Number.isFinite(v) && v > 0;
    const vals = curve.flatMap((p) => [p.train, p.test]).concat(steps.map((s) => s[1])).filter(ok);
    let lo = Math.floor(Math.log10(Math.min(...vals, 1)));
    let hi = Math.ceil(Math.log10(Math.max(...vals, 1)));
    if (hi === lo) hi += 1;
    const end = Math.max(curve[curve.length - 1].epoch, ...steps.map((s) => s[0]));
    const last = Math.max(end, 5);
    const X = (e) => pad.l + (e / last) * (W - pad.l - pad.r);
    const Y = (v) => pad.t + ((hi - Math.log10(Math.max(v, 10 ** lo))) / (hi - lo)) * (H - pad.t - pad.b);
    ctx.font = "11px sans-serif";
    ctx.fillStyle = "#333";
    ctx.strokeStyle = "#ccc";
    ctx.lineWidth = 1;
    for (let d = lo; d <= hi; d++) {
      ctx.beginPath();
      ctx.moveTo(pad.l, Y(10 ** d));
      ctx.lineTo(W - pad.r, Y(10 ** d));
      ctx.stroke();
      ctx.fillText(`1e${d}`, 4, Y(10 ** d) + 4);
    }
    ctx.fillText(`epoch (0 to ${fmt(end, 4)})`, pad.l, H - 6);
    for (const [key, stroke, dash] of [["train", "#1f5fa8", []], ["test", "#b35900", [5, 4]]]) {
      ctx.beginPath();
      ctx.setLineDash(dash);
      ctx.strokeStyle = stroke;
      ctx.lineWidth = 2;
      let pen = false;
      for (const p of curve) {
        if (!ok(p[key])) { pen = false; continue; }
        if (pen) ctx.lineTo(X(p.epoch), Y(p[key]));
        else ctx.moveTo(X(p.epoch), Y(p[key]));
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.fillStyle = "#b35900";
    for (const [e, v] of steps) {
      if (!ok(v)) continue;
      ctx.beginPath();
      ctx.arc(X(e), Y(v), 2.5, 0, 2 * Math.PI);
      ctx.fill();
    }
  }

  // ---- the network diagram --------------------------------------------------------------------
  const DW = 420;
  const DH = 300;
  // The diagram of one architecture s in an <svg>: build(s) makes its lines and circles once,
  // draw(w, dL) restyles them: edge width |w^(k)[i, j]| (red positive, blue negative), neuron
  // shading dL^(k)[i] scaled per layer. w[k] is row-major (s[k+1], s[k]); dL[k] has s[k] numbers
  // (dL[0] is null: layer 0 has none).
  function diagram(svg) {
    const d = { s: [], edgeEls: [], nodeEls: [], edgeGroups: [], nodeGroups: [] };
    d.nodeXY = (k, i) => {
      const s = d.s;
      const x = 30 + (k / (s.length - 1)) * (DW - 60);
      const gap = Math.min(34, (DH - 30) / Math.max(s[k], 1));
      return [x, DH / 2 + (i - (s[k] - 1) / 2) * gap];
    };
    d.build = (s) => {
      d.s = s.slice();
      svg.replaceChildren();
      const edges = el("g", { class: "ml-edges" });
      const nodes = el("g", { class: "ml-nodes" });
      d.edgeEls = [];
      d.nodeEls = [];
      d.edgeGroups = [];
      d.nodeGroups = [];
      for (let k = 0; k + 1 < s.length; k++) {
        const list = [];
        const group = el("g", { "data-k": k });
        edges.append(group);
        d.edgeGroups.push(group);
        for (let i = 0; i < s[k + 1]; i++) {
          for (let j = 0; j < s[k]; j++) {
            const [x1, y1] = d.nodeXY(k, j);
            const [x2, y2] = d.nodeXY(k + 1, i);
            const line = el("line", { x1, y1, x2, y2, "data-k": k, "data-i": i, "data-j": j });
            group.append(line);
            list.push(line);
          }
        }
        d.edgeEls.push(list);
      }
      const r = Math.max(2.5, Math.min(9, (DH - 30) / Math.max(...s) / 2.6));
      for (let k = 0; k < s.length; k++) {
        const list = [];
        const group = el("g", { "data-k": k });
        nodes.append(group);
        d.nodeGroups.push(group);
        for (let i = 0; i < s[k]; i++) {
          const [cx, cy] = d.nodeXY(k, i);
          const c = el("circle", { cx, cy, r, "data-k": k, "data-i": i });
          group.append(c);
          list.push(c);
        }
        d.nodeEls.push(list);
        const [lx] = d.nodeXY(k, 0);
        nodes.append(el("text", { x: lx, y: DH - 4, "text-anchor": "middle", text: `layer ${k}` }));
      }
      svg.append(edges, nodes);
    };
    d.edgeCount = () => d.edgeEls.reduce((t, l) => t + l.length, 0);
    d.draw = (w, dL) => {
      let wmax = 1e-12;
      for (const wk of w) for (const v of wk) wmax = Math.max(wmax, Math.abs(v));
      const scale = Math.min(1.5, 5 / wmax);
      d.edgeEls.forEach((list, k) => {
        const wk = w[k];
        list.forEach((line, idx) => {
          const v = wk[idx]; // row-major (i, j): the order the lines were made
          const width = Math.max(0.25, Math.abs(v) * scale).toFixed(1);
          const stroke = v >= 0 ? "#c0392b" : "#2a6fb0";
          // only what changed: a large network has thousands of edges
          if (line.mlWidth !== width) line.setAttribute("stroke-width", (line.mlWidth = width));
          if (line.mlColor !== stroke) line.setAttribute("stroke", (line.mlColor = stroke));
        });
      });
      d.nodeEls.forEach((list, k) => {
        const v = dL ? dL[k] : null;
        let m = 1e-12;
        if (v) for (const x of v) m = Math.max(m, Math.abs(x));
        list.forEach((c, i) => {
          const t = v ? v[i] / m : 0;
          const base = t >= 0 ? [192, 57, 43] : [42, 111, 176];
          const a = Math.abs(t);
          c.setAttribute("fill", `rgb(${base.map((b) => Math.round(255 * (1 - a) + b * a)).join()})`);
        });
      });
    };
    // The chosen neuron ({type: "node", k, i}) or edge ({type: "edge", k, i, j}), outlined.
    d.select = (sel) => {
      for (const old of svg.querySelectorAll(".ml-selected")) old.classList.remove("ml-selected");
      if (!sel) return;
      const chosen = sel.type === "node" ? d.nodeEls[sel.k][sel.i] : d.edgeEls[sel.k][sel.i * d.s[sel.k] + sel.j];
      if (chosen) chosen.classList.add("ml-selected");
    };
    // Highlight the neurons of `layers` and the edges of layer `edges` (a number, "all" or null).
    d.highlight = (layers, edges) => {
      d.nodeGroups.forEach((g, k) => g.classList.toggle("ml-hl", layers.includes(k)));
      d.edgeGroups.forEach((g, k) => g.classList.toggle("ml-hl", edges === k || edges === "all"));
    };
    // The neuron (within 12 units) or else the edge (within 6) nearest to (x, y) of the viewBox.
    d.pick = (x, y) => {
      const s = d.s;
      let best = null;
      let bd = 12;
      for (let k = 0; k < s.length; k++) for (let i = 0; i < s[k]; i++) {
        const [cx, cy] = d.nodeXY(k, i);
        const dist = Math.hypot(cx - x, cy - y);
        if (dist < bd) { bd = dist; best = { type: "node", k, i }; }
      }
      if (best) return best;
      bd = 6;
      for (let k = 0; k + 1 < s.length; k++) for (let i = 0; i < s[k + 1]; i++) for (let j = 0; j < s[k]; j++) {
        const [x1, y1] = d.nodeXY(k, j);
        const [x2, y2] = d.nodeXY(k + 1, i);
        const L2 = (x2 - x1) ** 2 + (y2 - y1) ** 2;
        const t = Math.max(0, Math.min(1, ((x - x1) * (x2 - x1) + (y - y1) * (y2 - y1)) / L2));
        const dist = Math.hypot(x1 + t * (x2 - x1) - x, y1 + t * (y2 - y1) - y);
        if (dist < bd) { bd = dist; best = { type: "edge", k, i, j }; }
      }
      return best;
    };
    return d;
  }

  root.MLPDraw = {
    COLORS, DW, DH, el, fmt, sup, sub, gridPoints, classify, toPixel, toPlane, drawBoundary,
    drawLoss, diagram,
  };
})(typeof window !== "undefined" ? window : globalThis);
