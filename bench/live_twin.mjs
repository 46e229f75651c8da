// Steps per second of the book's JavaScript twin (book/live/mlp.js) on the playground's
// networks, per-sample and mini-batch, on mlpcore's circles data (from book/live_export.py).
//
//   node bench/live_twin.mjs DATA.json        (DATA.json: python bench/live_twin.py writes it)
//
// python bench/live_twin.py runs this script itself and prints both sides side by side.
// Prints one JSON line per network: {s, batch, steps, seconds, steps_per_s}.
import { readFileSync } from "node:fs";

import * as mlp from "../book/live/mlp.js";

const spec = JSON.parse(readFileSync(process.argv[2], "utf8"));
const { X, labels, n, n_classes: C } = spec.data;
const Y = new Float64Array(C * n);
labels.forEach((c, m) => (Y[c * n + m] = 1));
for (const c of spec.cases) {
  const net = mlp.fromArrays(c.net.s, c.net.g, c.net.w, c.net.b);
  const t = new mlp.Trainer(net, { X: Float64Array.from(X), Y, n }, {
    loss: "softmax_cross_entropy", alpha: c.alpha, batchSize: c.batch,
  });
  let best = Infinity;
  let steps = 0;
  for (let round = 0; round < spec.rounds; round++) {
    const t0 = process.hrtime.bigint();
    let k = 0;
    for (let e = 0; e < c.epochs; e++) {
      do {
        t.step();
        k++;
      } while (t.pos !== 0);
    }
    const sec = Number(process.hrtime.bigint() - t0) / 1e9;
    if (sec < best) [best, steps] = [sec, k];
  }
  console.log(JSON.stringify({ s: c.net.s, batch: c.batch, steps, seconds: best, steps_per_s: steps / best }));
}
