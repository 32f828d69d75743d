/* Charts at first paint, interactivity on demand.
 *
 * Every chart arrives as its exported SVG image (readable without JavaScript, printable). Only when a
 * chart comes near the screen, or is touched, hovered or focused, is the chart runtime (Vega and
 * vega-tooltip, self-hosted in sirkbok-vega.js, under 200 kB gzipped) fetched, once per page, and the
 * interactive chart drawn behind the image and swapped in when ready. The page holds each chart as a
 * compiled Vega spec, so no Vega-Lite compiler is needed. If anything fails, the image stays: the
 * reader never sees an empty box.
 *
 * State, in data-rendered on each .sirk-chart: "image" (static image shown), "pending" (library or
 * drawing under way), "ok" (interactive), "fallback" (drawing failed; image kept).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  // data-bundle carries the runtime's checksum (sirkbok-vega.js?v=…) so an upgrade is never stale.
  var named = script && script.getAttribute("data-bundle");
  var BUNDLE = new URL(named || "sirkbok-vega.js", script ? script.src : document.baseURI).href;
  var library = null;  // a Promise once the bundle is requested

  function loadLibrary() {
    if (library) { return library; }
    library = new Promise(function (resolve, reject) {
      if (window.sirkbokVega) { resolve(window.sirkbokVega); return; }
      var tag = document.createElement("script");
      tag.src = BUNDLE;
      tag.async = true;
      tag.onload = function () {
        if (window.sirkbokVega) { resolve(window.sirkbokVega); } else { reject(new Error("no vega")); }
      };
      tag.onerror = reject;
      document.head.appendChild(tag);
    });
    return library;
  }

  /* The image first: on a slow line the library must not hold up the picture the reader waits for. */
  function imageShown(image) {
    return new Promise(function (resolve) {
      if (!image || image.complete) { resolve(); return; }
      image.loading = "eager";
      image.addEventListener("load", function () { resolve(); }, {once: true});
      image.addEventListener("error", function () { resolve(); }, {once: true});
    });
  }

  function draw(target, specNode, lib) {
    var image = target.querySelector("img");
    var live = document.createElement("div");
    live.className = "sirk-live";
    target.appendChild(live);
    var spec = JSON.parse(specNode.textContent);
    var theme = document.documentElement.dataset.theme === "dark" ? "dark" : "light";
    var view = new lib.vega.View(lib.vega.parse(spec), {
      container: live, renderer: "svg", logLevel: lib.vega.Error
    });
    view.tooltip(new lib.Tooltip({theme: theme}).call);
    return view.runAsync().then(function () {
      // Swap in one step, keeping at least the image's height so the text below does not jump up.
      if (image) {
        target.style.minHeight = Math.round(image.getBoundingClientRect().height) + "px";
        image.remove();
      }
      live.classList.add("sirk-live-ready");
      target.dataset.rendered = "ok";
    });
  }

  function activate(target) {
    if (target.dataset.rendered !== "image") { return; }
    var specNode = document.querySelector('script.sirk-spec[data-target="' + target.id + '"]');
    if (!specNode) { return; }
    target.dataset.rendered = "pending";
    imageShown(target.querySelector("img")).then(loadLibrary).then(function (lib) {
      return draw(target, specNode, lib);
    }).catch(function () {
      var live = target.querySelector(".sirk-live");
      if (live) { live.remove(); }
      target.dataset.rendered = "fallback";
    });
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".sirk-chart"));
    charts.forEach(function (chart) {
      if (!chart.dataset.rendered) { chart.dataset.rendered = "image"; }
      ["pointerenter", "touchstart", "focusin"].forEach(function (name) {
        chart.addEventListener(name, function () { activate(chart); }, {once: true, passive: true});
      });
    });
    if (!("IntersectionObserver" in window)) { return; }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          activate(entry.target);
        }
      });
    }, {rootMargin: "0px 0px 300px 0px"});
    // After the page has loaded, so the library never competes with what the reader sees first.
    var watch = function () { charts.forEach(function (chart) { observer.observe(chart); }); };
    if (document.readyState === "complete") { watch(); } else { window.addEventListener("load", watch); }
  }

  window.sirkbokCharts = {activate: activate, load: loadLibrary};
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
