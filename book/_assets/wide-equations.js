// A display equation wider than the column scrolls sideways (book.css draws the cue). A keyboard
// user must be able to reach it to scroll it: each such equation gets tabindex="0" once MathJax
// has typeset the page, and again when the window is resized (axe: scrollable-region-focusable).
// <html data-wide-equations="N"> records that it ran, and how many equations scroll.
(function () {
  "use strict";
  function mark() {
    var wide = 0;
    document.querySelectorAll('div.math mjx-container[display="true"]').forEach(function (el) {
      if (el.scrollWidth > el.clientWidth + 1) {
        el.setAttribute("tabindex", "0");
        wide += 1;
      } else {
        el.removeAttribute("tabindex");
      }
    });
    document.documentElement.dataset.wideEquations = String(wide);
  }
  function whenTypeset(triesLeft) {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise) {
      mj.startup.promise.then(mark);
    } else if (triesLeft > 0) {
      setTimeout(function () {
        whenTypeset(triesLeft - 1);
      }, 50);
    }
  }
  whenTypeset(600);
  window.addEventListener("resize", mark);
})();
