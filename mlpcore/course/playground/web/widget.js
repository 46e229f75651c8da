// The Jupyter face of the playground (mlpcore.course.playground.widget.LiveView, an anywidget).
// The kernel trains with mlpcore and sends numbers only; this draws them with MLPDraw, the code
// that draws the book's live page (views.js, which Python puts in front of this file: together
// they are the widget's ES module). Every update of the kernel ends by raising `frame`; all the
// other numbers have arrived by then, and the three views are redrawn once.
function render({ model, el: host }) {
  const D = globalThis.MLPDraw;
  const caption = (cls) => D.el("figcaption", { class: cls });
  const boundary = D.el("canvas", { class: "ml-canvas", width: 360, height: 360, role: "img" });
  const loss = D.el("canvas", { class: "ml-canvas", width: 360, height: 220, role: "img" });
  const svg = D.el("svg", { class: "ml-network", viewBox: `0 0 ${D.DW} ${D.DH}`, role: "img" });
  const captions = { boundary: caption("ml-cap-boundary"), loss: caption("ml-cap-loss"), network: caption("ml-cap-network") };
  const root = D.el("div", { class: "mlp-live mlp-widget" },
    D.el("div", { class: "ml-views" },
      D.el("figure", { class: "ml-view" }, boundary, captions.boundary),
      D.el("figure", { class: "ml-view" }, loss, captions.loss),
      D.el("figure", { class: "ml-view ml-net" }, svg, captions.network)));
  const diagram = D.diagram(svg);
  let shape = "";

  function draw() {
    const t0 = performance.now();
    const b = model.get("boundary");
    if (!b.grid) return; // nothing trained yet
    const points = model.get("points");
    D.drawBoundary(boundary, { ...b, train: points, test: [], added: 0, cursor: null });
    D.drawLoss(loss, model.get("loss").map(([epoch, train]) => ({ epoch, train })), model.get("steps"));
    const s = model.get("s");
    if (s.join() !== shape) {
      diagram.build(s);
      shape = s.join();
    }
    diagram.draw(model.get("w"), model.get("dL"));
    const text = model.get("captions");
    for (const key of Object.keys(captions)) captions[key].textContent = text[key] || "";
    boundary.setAttribute("aria-label", text.boundary || "decision boundary");
    loss.setAttribute("aria-label", text.loss || "loss curve");
    svg.setAttribute("aria-label", text.network || "network diagram");
    // what a test or a benchmark waits for: the frame drawn, and how long drawing it took
    root.dataset.drawMs = (performance.now() - t0).toFixed(1);
    root.dataset.frame = String(model.get("frame"));
  }
  model.on("change:frame", draw);
  host.append(root);
  draw();
  return () => model.off("change:frame", draw);
}

export default { render };
