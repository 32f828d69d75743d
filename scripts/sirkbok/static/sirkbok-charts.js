/* Charts at first paint, interactivity on demand.
 *
 * Every chart arrives as its exported SVG image (readable without JavaScript, printable). Only when a
 * chart comes near the screen, or is touched, hovered or focused, is the chart library (Vega and
 * Vega-Lite, self-hosted in sirkbok-vega.js, about 220 kB gzipped) fetched, once per page, and the
 * interactive chart drawn behind the image and swapped in when ready. If anything fails, the image
 * stays: the reader never sees an empty box.
 *
 * State, in data-rendered on each .sirk-chart: "image" (static image shown), "pending" (library or
 * drawing under way), "ok" (interactive), "fallback" (drawing failed; image kept).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var BUNDLE = new URL("sirkbok-vega.js", script ? script.src : document.baseURI).href;
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

  /* A tooltip like vega-tooltip's (same element id and look), without vega-embed's 86 kB. */
  function tooltipElement() {
    var el = document.getElementById("vg-tooltip-element");
    if (!el) {
      el = document.createElement("div");
      el.id = "vg-tooltip-element";
      el.className = "vg-tooltip";
      el.setAttribute("role", "tooltip");
      document.body.appendChild(el);
    }
    return el;
  }

  function showTooltip(handler, event, item, value) {
    var el = tooltipElement();
    if (value === null || value === undefined || value === "") {
      el.classList.remove("visible");
      return;
    }
    el.textContent = "";
    if (typeof value === "object") {
      var table = document.createElement("table");
      Object.keys(value).forEach(function (key) {
        if (key === "title") { return; }
        var row = table.insertRow();
        var name = row.insertCell();
        var cell = row.insertCell();
        name.className = "key";
        cell.className = "value";
        name.textContent = key;
        cell.textContent = String(value[key]);
      });
      if (value.title !== undefined) {
        var title = document.createElement("h2");
        title.textContent = String(value.title);
        el.appendChild(title);
      }
      el.appendChild(table);
    } else {
      el.textContent = String(value);
    }
    el.classList.add("visible");
    var x = event.clientX + 12, y = event.clientY + 12;
    var box = el.getBoundingClientRect();
    if (x + box.width > window.innerWidth - 4) { x = Math.max(4, event.clientX - box.width - 12); }
    if (y + box.height > window.innerHeight - 4) { y = Math.max(4, event.clientY - box.height - 12); }
    el.style.left = x + "px";
    el.style.top = y + "px";
  }

  function draw(target, specNode, lib) {
    var image = target.querySelector("img");
    var live = document.createElement("div");
    live.className = "sirk-live";
    target.appendChild(live);
    var spec = JSON.parse(specNode.textContent);
    var compiled = lib.vegaLite.compile(spec).spec;
    var view = new lib.vega.View(lib.vega.parse(compiled), {
      renderer: "svg", container: live, hover: true
    });
    view.tooltip(showTooltip);
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
    loadLibrary().then(function (lib) {
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
