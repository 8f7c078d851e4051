/**
 * The report's one script, inlined and allowed by its hash in the page's
 * Content-Security-Policy (so nothing else can run, whatever a value holds).
 * Plain ES2017 with no library: sortable headers on `table.sortable`, and the
 * inventory's filter. Without it the page shows every row and keeps the
 * filter controls hidden. It moves rows and sets text; it never writes HTML.
 */
export const REPORT_JS = `(function () {
  'use strict';
  var collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
  function key(td) {
    var v = td.getAttribute('data-v');
    if (v === null) return td.textContent.trim();
    var n = Number(v);
    return v !== '' && !isNaN(n) ? n : v;
  }
  function sort(table, col, th) {
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.setAttribute('aria-sort', 'none'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.map.call(body.rows, function (r, i) { return { r: r, k: key(r.cells[col]), i: i }; });
    rows.sort(function (a, b) {
      var c = typeof a.k === 'number' && typeof b.k === 'number' ? a.k - b.k : collator.compare(String(a.k), String(b.k));
      return (asc ? c : -c) || a.i - b.i;
    });
    // Rows move into a new body that then replaces the old one: measured fastest at 10,000 rows
    // (re-appending to the old body, in or out of the page, took seconds).
    var sorted = body.cloneNode(false);
    rows.forEach(function (x) { sorted.appendChild(x.r); });
    table.replaceChild(sorted, body);
  }
  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement('button');
      b.type = 'button';
      b.title = 'Sort by this column';
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      th.setAttribute('aria-sort', 'none');
      b.addEventListener('click', function () { sort(table, col, th); });
    });
  });

  var form = document.getElementById('inventory-filters');
  var table = document.getElementById('inventory-table');
  if (!form || !table) return;
  var q = document.getElementById('inventory-q');
  var kind = document.getElementById('inventory-kind');
  var flagged = document.getElementById('inventory-findings');
  var out = document.getElementById('inventory-count');
  var rows = Array.prototype.map.call(table.tBodies[0].rows, function (r) {
    return { r: r, text: r.textContent.toLowerCase(), kind: r.getAttribute('data-kind'), f: r.hasAttribute('data-f') };
  });
  var timer;
  function apply() {
    var words = q.value.toLowerCase().split(/\\s+/).filter(Boolean);
    var k = kind.value;
    var shown = 0;
    rows.forEach(function (x) {
      var ok = (!k || x.kind === k) && (!flagged.checked || x.f) && words.every(function (w) { return x.text.indexOf(w) >= 0; });
      x.r.hidden = !ok;
      if (ok) shown++;
    });
    out.textContent = shown === rows.length ? rows.length.toLocaleString('en-US') + ' items' : shown.toLocaleString('en-US') + ' of ' + rows.length.toLocaleString('en-US') + ' items';
  }
  q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
  kind.addEventListener('change', apply);
  flagged.addEventListener('change', apply);
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  form.hidden = false;
})();`;
