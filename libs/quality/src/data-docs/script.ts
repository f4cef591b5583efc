/**
 * The page's only script, inlined: a filter box (expectation name, type or
 * column) and a "failing only" switch over the expectation rows. It reads the
 * DOM and never fetches anything.
 */
export const SCRIPT = `
(function () {
  var box = document.getElementById('filter');
  var failing = document.getElementById('failing-only');
  if (!box || !failing) return;
  function apply() {
    var q = box.value.trim().toLowerCase();
    var only = failing.checked;
    var rows = document.querySelectorAll('tr[data-expectation]');
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      var text = (row.getAttribute('data-expectation') + ' ' + row.getAttribute('data-type') + ' ' + row.getAttribute('data-columns')).toLowerCase();
      var hide = (q !== '' && text.indexOf(q) < 0) || (only && row.getAttribute('data-success') === 'true');
      row.classList.toggle('hidden', hide);
    }
    var shown = document.querySelectorAll('tr[data-expectation]:not(.hidden)').length;
    var count = document.getElementById('shown-count');
    if (count) count.textContent = String(shown);
  }
  box.addEventListener('input', apply);
  failing.addEventListener('change', apply);
  apply();
})();
`;
