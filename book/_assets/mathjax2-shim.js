// The ipywidgets html-manager (1.0.x) typesets widget labels with the MathJax 2 call
// `MathJax.Hub.Queue(["Typeset", MathJax.Hub, element])`. The book loads MathJax 3, which has no
// Hub, so that call threw a TypeError in the console. This script gives every object assigned to
// window.MathJax (the configuration first, then MathJax 3 itself) a Hub whose Queue typesets the
// elements with the MathJax 3 API once MathJax is ready.
(function () {
  "use strict";
  function whenReady(callback, triesLeft) {
    var mj = window.MathJax;
    if (mj && mj.startup && mj.startup.promise && mj.typesetPromise) {
      mj.startup.promise.then(function () {
        return callback(mj);
      });
    } else if (triesLeft > 0) {
      setTimeout(function () {
        whenReady(callback, triesLeft - 1);
      }, 100);
    }
  }
  var hub = {
    Queue: function () {
      var elements = [];
      for (var i = 0; i < arguments.length; i++) {
        var job = arguments[i];
        if (Array.isArray(job) && job[0] === "Typeset" && job[2]) {
          elements.push(job[2]);
        }
      }
      whenReady(function (mj) {
        return mj.typesetPromise(elements.length ? elements : undefined).catch(function (err) {
          console.warn("MathJax could not typeset a widget label:", err);
        });
      }, 300);
    },
  };
  function withHub(value) {
    if (value && typeof value === "object" && !value.Hub) {
      value.Hub = hub;
    }
    return value;
  }
  var current = withHub(window.MathJax);
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    enumerable: true,
    get: function () {
      return current;
    },
    set: function (value) {
      current = withHub(value);
    },
  });
})();
