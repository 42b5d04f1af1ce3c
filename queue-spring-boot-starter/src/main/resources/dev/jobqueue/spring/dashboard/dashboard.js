// The dashboard's only script (no inline script anywhere): draws charts with uPlot, asks before
// destructive actions, selects all rows, and stops htmx polling while the tab is hidden.
(function () {
  'use strict';

  var charts = [];

  function drawChart(element) {
    if (element._uplot) {
      element._uplot.destroy();
    }
    var data = JSON.parse(element.getAttribute('data-chart'));
    var styles = getComputedStyle(document.documentElement);
    var options = {
      width: Math.max(element.clientWidth, 240),
      height: 200,
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true } },
      series: [
        {},
        { label: 'processed', stroke: styles.getPropertyValue('--ok').trim() || '#1f7a4d', width: 2 },
        { label: 'failed', stroke: styles.getPropertyValue('--bad').trim() || '#b3261e', width: 2 }
      ],
      axes: [
        { stroke: styles.getPropertyValue('--fg').trim() || '#222' },
        { stroke: styles.getPropertyValue('--fg').trim() || '#222', size: 50 }
      ]
    };
    element._uplot = new uPlot(options, [data.t, data.processed, data.failed], element);
    element.setAttribute('data-points', String(data.t.length));
    charts = charts.filter(function (chart) { return document.body.contains(chart); });
    charts.push(element);
  }

  htmx.onLoad(function (root) {
    var found = root.matches && root.matches('.chart') ? [root] : [];
    root.querySelectorAll('.chart').forEach(function (element) { found.push(element); });
    found.forEach(drawChart);
  });

  var resizeTimer;
  window.addEventListener('resize', function () {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(function () { charts.forEach(drawChart); }, 200);
  });

  // A hidden tab does not poll: polling costs Redis reads for nobody.
  document.body.addEventListener('htmx:beforeRequest', function (event) {
    if (document.hidden && event.detail.requestConfig && event.detail.requestConfig.verb === 'get') {
      event.preventDefault();
    }
  });

  document.addEventListener('submit', function (event) {
    var button = event.submitter;
    var message = (button && button.getAttribute('data-confirm')) || event.target.getAttribute('data-confirm');
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  }, true);

  document.addEventListener('change', function (event) {
    if (event.target.hasAttribute('data-select-all')) {
      var form = event.target.closest('form');
      form.querySelectorAll('input[name="id"]').forEach(function (box) { box.checked = event.target.checked; });
    }
  });
})();
