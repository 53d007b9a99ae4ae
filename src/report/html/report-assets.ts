/**
 * The report's inline CSS and script. The script only adds a crosshair readout and marks the page
 * once every chart has drawn geometry (data-charts-drawn), which the browser test reads; the
 * figures themselves never depend on it.
 */
export const REPORT_CSS = `
:root{--fg:#1b1f24;--muted:#5b6470;--line:#d8dde3;--pass:#1a7f37;--fail:#cf222e;--warn:#9a6700;--fault:rgba(207,34,46,.12)}
*{box-sizing:border-box}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:var(--fg);margin:0 auto;max-width:1180px;padding:16px 24px}
h1{font-size:20px;margin:8px 0}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:14px;margin:12px 0 4px}
.meta{color:var(--muted);font-size:12px}
.badge{display:inline-block;border-radius:4px;padding:2px 8px;margin-right:6px;font-weight:600;border:1px solid var(--line)}
.badge.pass{color:var(--pass)}.badge.fail{color:var(--fail)}
.swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
figure.chart{margin:12px 0 20px;position:relative}figure.chart svg{width:100%;height:auto;display:block;overflow:visible}
figcaption{font-size:12px;color:var(--muted)}figcaption .key{margin-right:14px;white-space:nowrap}
figcaption i{display:inline-block;width:22px;border-top:2px solid;margin-right:5px;vertical-align:middle}
.chart-title{font-weight:600;font-size:13px;fill:var(--fg)}.tick{font-size:11px;fill:var(--muted)}.label{font-size:12px;fill:var(--muted)}
.grid{stroke:#eef1f4}.axis{stroke:#8c959f}.series{fill:none;stroke-width:1.6;stroke-linejoin:round}.fault{fill:var(--fault)}
.empty{fill:var(--muted);font-style:italic}.cross{stroke:#8c959f;stroke-dasharray:2 3;pointer-events:none}
.readout:empty{display:none}.readout{position:absolute;top:0;right:0;font-size:12px;background:#fff;border:1px solid var(--line);padding:1px 6px;color:var(--muted)}
table{border-collapse:collapse;margin:10px 0 18px;min-width:50%}caption{text-align:left;font-weight:600;padding:4px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 10px;text-align:right;vertical-align:top}th[scope=row],thead th:first-child{text-align:left;font-weight:500}
th small,.checks small{display:block;color:var(--muted);font-weight:400;font-size:11px}
td.pass,li.pass b{color:var(--pass);font-weight:600}td.fail,li.fail b{color:var(--fail);font-weight:600}td.warn{color:var(--warn)}
.checks ul{list-style:none;padding-left:4px}.checks li{margin:3px 0}
details{margin:8px 0}summary{cursor:pointer;font-weight:500}pre{background:#f6f8fa;padding:8px;overflow:auto;font-size:12px}
`

export const REPORT_SCRIPT = `
(function () {
  var figures = document.querySelectorAll('figure.chart');
  var drawn = 0;
  figures.forEach(function (fig) {
    var svg = fig.querySelector('svg');
    var paths = svg.querySelectorAll('path.series');
    var ok = false;
    paths.forEach(function (p) { var b = p.getBBox(); if (b.width > 0 || b.height > 0) ok = true; });
    if (ok || svg.querySelector('.empty')) drawn++;
    var readout = document.createElement('div');
    readout.className = 'readout';
    fig.appendChild(readout);
    var cross = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    cross.setAttribute('class', 'cross');
    svg.appendChild(cross);
    svg.addEventListener('mousemove', function (e) {
      var pt = svg.createSVGPoint(); pt.x = e.clientX; pt.y = e.clientY;
      var p = pt.matrixTransform(svg.getScreenCTM().inverse());
      cross.setAttribute('x1', p.x); cross.setAttribute('x2', p.x); cross.setAttribute('y1', 34); cross.setAttribute('y2', 258);
      var d = svg.dataset, left = +d.left, right = +d.right;
      if (p.x < left || p.x > right) { readout.textContent = ''; return; }
      var v = +d.xmin + (p.x - left) / (right - left) * (+d.xmax - +d.xmin);
      readout.textContent = d.axis === 'percentile' ? 'p' + (100 * (1 - Math.pow(10, -v))).toFixed(3) : 't = ' + v.toFixed(1) + ' s';
    });
  });
  document.body.setAttribute('data-charts', String(figures.length));
  document.body.setAttribute('data-charts-drawn', String(drawn));
})();
`
