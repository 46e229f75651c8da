// Loaded between require.js and the ipywidgets html-manager, on pages with widgets.
// The html-manager finds its icon fonts next to the module path that require.js gives it,
// "@jupyter-widgets/html-manager/dist/...", which require.js resolves against the page: a lesson
// page asked for notebooks/@jupyter-widgets/html-manager/dist/*.woff2 and got 404s. Map that
// module path to the vendored copy, _static/html-manager, beside this script.
(function () {
  "use strict";
  var here = document.currentScript && document.currentScript.src;
  if (!here || !window.require || !window.require.config) {
    return;
  }
  window.require.config({
    paths: { "@jupyter-widgets/html-manager/dist": new URL("html-manager", here).href },
  });
})();
