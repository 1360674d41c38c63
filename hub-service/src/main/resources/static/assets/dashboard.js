// The dashboard's only script besides htmx and Chart.js: the overview's charts and the copy buttons.
// Loaded as a file (the pages' CSP allows no inline script); data comes from JSON data blocks.
(function () {
  function drawTrends() {
    var block = document.getElementById('trends-data');
    var cost = document.getElementById('chart-cost');
    if (!block || !cost || typeof Chart === 'undefined') {
      return;
    }
    var points = JSON.parse(block.textContent);
    var labels = points.map(function (p) { return p.at.substring(0, 16).replace('T', ' '); });
    var options = { animation: false, responsive: true, scales: { y: { beginAtZero: true } } };
    // A scan's monthly cost leaves out the keys of unknown cost: such points are triangles with the count in their
    // tooltip, and a line between scans that leave out different numbers is dashed, so a drop is not read as savings.
    function unknownKeys(index) { return points[index].costUnknownKeys; }
    new Chart(cost, {
      type: 'line',
      data: {
        labels: labels,
        datasets: [
          {
            label: 'Monthly cost (USD)',
            data: points.map(function (p) { return Number(p.monthlyCostUsd); }),
            pointStyle: points.map(function (p) { return p.costUnknownKeys > 0 ? 'triangle' : 'circle'; }),
            pointRadius: points.map(function (p) { return p.costUnknownKeys > 0 ? 6 : 3; }),
            segment: {
              borderDash: function (ctx) {
                return unknownKeys(ctx.p0DataIndex) !== unknownKeys(ctx.p1DataIndex) ? [6, 4] : undefined;
              }
            }
          },
          { label: 'Potential savings (USD)', data: points.map(function (p) { return Number(p.potentialMonthlySavingsUsd); }) }
        ]
      },
      options: Object.assign({}, options, {
        plugins: {
          tooltip: {
            callbacks: {
              footer: function (items) {
                var n = items.length ? unknownKeys(items[0].dataIndex) : 0;
                return n > 0 ? 'Cost leaves out ' + n + (n === 1 ? ' key' : ' keys') + ' of unknown cost' : '';
              }
            }
          }
        }
      })
    });
    new Chart(document.getElementById('chart-findings'), {
      type: 'bar',
      data: { labels: labels, datasets: [{ label: 'Open findings', data: points.map(function (p) { return p.openFindings; }) }] },
      options: options
    });
  }

  function copyButtons(root) {
    root.querySelectorAll('button[data-copy]').forEach(function (button) {
      if (button.dataset.bound) {
        return;
      }
      button.dataset.bound = 'true';
      button.addEventListener('click', function () {
        var source = document.getElementById(button.dataset.copy);
        navigator.clipboard.writeText(source.textContent).then(function () {
          button.textContent = 'Copied';
        }, function () {
          button.textContent = 'Copy failed: select the text';
        });
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    drawTrends();
    copyButtons(document);
  });
  document.addEventListener('htmx:afterSwap', function (event) {
    copyButtons(event.target);
  });
})();
