// Northstar dashboard: small vanilla JS over the query API. Every string from the API is
// inserted with textContent, never as HTML, so feature names and comments stay inert.
(function () {
  'use strict';
  var POLL_MS = 2000;
  var state = { project: sessionStorage.getItem('ns.project'), key: sessionStorage.getItem('ns.key'), feature: null, timer: null };
  var $ = function (id) { return document.getElementById(id); };

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }
  function pct(x) { return (x * 100).toFixed(1) + '%'; }
  function duration(seconds) {
    if (seconds < 60) { return seconds + ' s'; }
    if (seconds < 3600) { return Math.floor(seconds / 60) + ' min'; }
    if (seconds < 86400) { return Math.floor(seconds / 3600) + ' h ' + Math.floor(seconds % 3600 / 60) + ' min'; }
    return Math.floor(seconds / 86400) + ' d ' + Math.floor(seconds % 86400 / 3600) + ' h';
  }
  function api(path) {
    return fetch('/v1/projects/' + encodeURIComponent(state.project) + path, {
      headers: { 'Authorization': 'Bearer ' + state.key, 'Accept': 'application/json' }
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { var err = new Error(body.detail || ('HTTP ' + r.status)); err.status = r.status; throw err; }
        return body;
      });
    });
  }
  function show(section) {
    ['signin', 'features', 'detail'].forEach(function (s) { $(s).hidden = s !== section; });
    $('signout').hidden = section === 'signin';
    $('who').textContent = section === 'signin' ? '' : 'Project ' + state.project;
  }
  function badge(action) { return el('span', action, 'badge ' + action); }

  // An 8-week sparkline of distinct users (SVG, no markup from strings); each point says its week on hover.
  var SVG = 'http://www.w3.org/2000/svg';
  function sparkline(trend, width, height) {
    var svg = document.createElementNS(SVG, 'svg');
    svg.setAttribute('class', 'sparkline');
    svg.setAttribute('width', width); svg.setAttribute('height', height);
    svg.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
    var weeks = (trend && trend.weekly) || [];
    svg.setAttribute('aria-label', weeks.map(function (w) { return w.week + ': ' + w.users; }).join(', '));
    if (!weeks.length) { return svg; }
    var max = Math.max.apply(null, weeks.map(function (w) { return w.users; }).concat([1]));
    var step = weeks.length > 1 ? (width - 6) / (weeks.length - 1) : 0;
    var points = weeks.map(function (w, i) { return [3 + i * step, height - 3 - w.users / max * (height - 6)]; });
    var line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points.map(function (p) { return p[0].toFixed(1) + ',' + p[1].toFixed(1); }).join(' '));
    svg.appendChild(line);
    points.forEach(function (p, i) {
      var dot = document.createElementNS(SVG, 'circle');
      dot.setAttribute('cx', p[0].toFixed(1)); dot.setAttribute('cy', p[1].toFixed(1)); dot.setAttribute('r', 2.5);
      var title = document.createElementNS(SVG, 'title');
      title.textContent = weeks[i].week + ' (from ' + weeks[i].start + '): ' + weeks[i].users + ' users';
      dot.appendChild(title);
      svg.appendChild(dot);
    });
    return svg;
  }
  // The catalogue's name, owner and status of a declared feature; "not declared" otherwise.
  function catalogueLine(f) {
    var line = el('div', null, 'catalogue');
    if (f.declared && f.catalogue) {
      var c = f.catalogue;
      line.appendChild(el('span', c.name));
      if (c.owner) { line.appendChild(el('span', c.owner)); }
      if (c.status) { line.appendChild(el('span', c.status, 'status ' + c.status)); }
      if (c.releasedAt) { line.appendChild(el('span', 'released ' + c.releasedAt)); }
    } else {
      line.appendChild(el('span', 'not declared', 'undeclared'));
    }
    return line;
  }
  function change(trend) {
    if (!trend || trend.change === null || trend.change === undefined) { return '–'; }
    return (trend.change >= 0 ? '+' : '−') + pct(Math.abs(trend.change));
  }

  function renderFeatures(page) {
    var summary = $('summary');
    summary.replaceChildren();
    [['Active users, 7 days', page.activeUsers.d7], ['Active users, 28 days', page.activeUsers.d28],
     ['Active users, all time', page.activeUsers.all], ['Features', page.features.length]].forEach(function (kv) {
      var d = el('div', kv[0]); d.prepend(el('strong', kv[1])); summary.appendChild(d);
    });
    var rows = $('rows');
    rows.replaceChildren();
    page.features.forEach(function (f) {
      var tr = el('tr');
      tr.dataset.feature = f.feature;
      var tdName = el('td', f.feature, 'feature');
      tdName.appendChild(catalogueLine(f));
      tr.appendChild(tdName);
      var bar = el('div', null, 'bar'); var fill = el('span'); fill.style.width = Math.min(100, f.adoption * 100) + '%';
      bar.appendChild(fill); bar.appendChild(el('em', pct(f.adoption)));
      var tdBar = el('td'); tdBar.appendChild(bar); tr.appendChild(tdBar);
      tr.appendChild(el('td', f.users.d28));
      var tdTrend = el('td', null, 'trend'); tdTrend.appendChild(sparkline(f.trend, 96, 26));
      tdTrend.appendChild(el('span', change(f.trend), 'change')); tr.appendChild(tdTrend);
      tr.appendChild(el('td', pct(f.stickiness || 0), 'stickiness'));
      tr.appendChild(el('td', f.uses));
      tr.appendChild(el('td', pct(f.failureRate)));
      tr.appendChild(el('td', f.rating.count ? f.rating.avg.toFixed(1) + ' (' + f.rating.count + ')' : '–'));
      var rec = el('td'); rec.appendChild(badge(f.recommendation.action));
      var ul = el('ul', null, 'reasons');
      f.recommendation.reasons.forEach(function (r) { ul.appendChild(el('li', r)); });
      rec.appendChild(ul); tr.appendChild(rec);
      tr.addEventListener('click', function () { openFeature(f.feature); });
      rows.appendChild(tr);
    });
    $('empty').hidden = page.features.length > 0;
    $('status').textContent = 'Updated ' + new Date().toLocaleTimeString();
  }

  function renderDetail(f) {
    $('detail-title').textContent = f.feature;
    $('detail-catalogue').replaceChildren(catalogueLine(f));
    if (f.catalogue && f.catalogue.description) { $('detail-catalogue').appendChild(el('p', f.catalogue.description)); }
    $('detail-badge').replaceChildren(badge(f.recommendation.action),
      el('span', '  adoption ' + pct(f.adoption) + ' · ' + f.users.d28 + ' users (28 d) · ' + f.uses + ' uses · failure rate ' + pct(f.failureRate)));
    var reasons = $('detail-reasons'); reasons.replaceChildren();
    f.recommendation.reasons.forEach(function (r) { reasons.appendChild(el('li', r)); });
    var would = $('would-change'); would.replaceChildren();
    (f.recommendation.wouldChange || []).forEach(function (t) { would.appendChild(el('li', t.text)); });
    if (!would.children.length) { would.appendChild(el('li', 'no threshold within reach')); }
    $('engagement').replaceChildren(
      el('span', 'stickiness ' + pct(f.stickiness || 0) + ' (mean daily users ÷ 28-day users)'),
      el('span', (f.returningUsers == null ? '–' : f.returningUsers) + ' returning users (2 or more days in 28)'),
      el('span', f.trend ? f.trend.last7Days + ' users in the last 7 days, ' + f.trend.previous7Days
          + ' in the 7 before (' + change(f.trend) + ')' : 'no trend yet'));
    $('weeks').replaceChildren(sparkline(f.trend, 360, 70));
    $('weeks-labels').textContent = f.trend && f.trend.weekly.length
      ? f.trend.weekly[0].week + ' … ' + f.trend.weekly[f.trend.weekly.length - 1].week : '';
    var chart = $('chart'); chart.replaceChildren();
    var max = Math.max.apply(null, f.daily.map(function (d) { return d.users; }).concat([1]));
    var readout = $('chart-readout');
    readout.textContent = 'Hover a day for its users and uses.';
    f.daily.forEach(function (d) {
      var b = el('div'); b.style.height = (d.users / max * 100) + '%';
      var text = d.day + ': ' + d.users + ' users, ' + d.uses + ' uses';
      b.title = text; b.dataset.day = d.day;
      b.addEventListener('mouseenter', function () { readout.textContent = text; });
      chart.appendChild(b);
    });
    $('chart-axis').replaceChildren(el('span', f.daily.length ? f.daily[0].day : ''),
      el('span', f.daily.length ? f.daily[f.daily.length - 1].day : ''));
    var errors = $('errors'); errors.replaceChildren();
    f.errorCodes.forEach(function (c) { errors.appendChild(el('li', c.errorCode + ': ' + c.count)); });
    if (!f.errorCodes.length) { errors.appendChild(el('li', 'none')); }
    var ratings = $('ratings'); ratings.replaceChildren();
    f.ratingDistribution.forEach(function (n, i) { ratings.appendChild(el('li', (i + 1) + '★: ' + n)); });
    var comments = $('comments'); comments.replaceChildren();
    f.recentComments.forEach(function (c) { comments.appendChild(el('li', c.rating + '★ ' + c.comment)); });
    if (!f.recentComments.length) { comments.appendChild(el('li', 'none yet')); }
  }

  // The recommendation's changes, newest first: when, from what to what, and the reasons of the new call.
  function renderHistory(page) {
    var list = $('history'); list.replaceChildren();
    page.changes.forEach(function (c) {
      var li = el('li');
      li.appendChild(el('time', c.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC')));
      li.appendChild(document.createTextNode(' '));
      if (c.from) { li.appendChild(badge(c.from)); li.appendChild(el('span', ' → ', 'arrow')); }
      else { li.appendChild(el('span', 'first call: ', 'arrow')); }
      li.appendChild(badge(c.to));
      var reasons = el('ul', null, 'reasons');
      c.reasons.forEach(function (r) { reasons.appendChild(el('li', r)); });
      li.appendChild(reasons);
      list.appendChild(li);
    });
    if (!page.changes.length) { list.appendChild(el('li', 'no change recorded yet')); }
  }

  function renderFunnels(page) {
    var box = $('funnels');
    box.replaceChildren();
    page.funnels.forEach(function (f) {
      var card = el('div', null, 'funnel');
      card.appendChild(el('h4', f.funnel + (f.conversionWindowDays
          ? ' (in order, within ' + f.conversionWindowDays + ' days of step 1)' : '')));
      var first = f.steps.length ? f.steps[0].users : 0;
      f.steps.forEach(function (s, i) {
        var row = el('div', null, 'step');
        row.appendChild(el('span', 'step ' + s.step, 'step-name'));
        var bar = el('div', null, 'bar'); var fill = el('span');
        fill.style.width = (first ? s.users / first * 100 : 0) + '%';
        bar.appendChild(fill); bar.appendChild(el('em', s.users + ' users'));
        row.appendChild(bar);
        row.appendChild(el('span', i === 0 ? '' : pct(s.conversion) + ' from step ' + f.steps[i - 1].step
            + (s.medianSecondsToConvert != null ? ', median ' + duration(s.medianSecondsToConvert) : ''), 'conversion'));
        card.appendChild(row);
      });
      box.appendChild(card);
    });
    $('funnels-empty').hidden = page.funnels.length > 0;
  }

  function featureQuery() {
    var query = new URLSearchParams({ sort: $('sort').value });
    if ($('filter').value) { query.set('recommendation', $('filter').value); }
    return query.toString();
  }

  function refresh() {
    var request = state.feature
      ? Promise.all([
          api('/features/' + encodeURIComponent(state.feature)).then(renderDetail),
          api('/features/' + encodeURIComponent(state.feature) + '/history').then(renderHistory)])
      : Promise.all([
          api('/features?' + featureQuery()).then(renderFeatures),
          api('/funnels').then(renderFunnels)]);
    return request.catch(function (e) {
      if (e.status === 401 || e.status === 404) { signOut(e.message); }
      else { $('status').textContent = 'Could not refresh: ' + e.message; }
    });
  }
  function poll() { clearInterval(state.timer); state.timer = setInterval(refresh, POLL_MS); return refresh(); }
  function openFeature(name) { state.feature = name; show('detail'); poll(); }
  function closeFeature() { state.feature = null; show('features'); poll(); }
  function signOut(message) {
    clearInterval(state.timer);
    sessionStorage.removeItem('ns.project'); sessionStorage.removeItem('ns.key');
    state.project = state.key = state.feature = null;
    show('signin');
    $('signin-error').textContent = message || '';
  }

  $('signin-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    state.project = $('project').value.trim(); state.key = $('key').value.trim();
    $('signin-error').textContent = '';
    api('/features').then(function (page) {
      sessionStorage.setItem('ns.project', state.project); sessionStorage.setItem('ns.key', state.key);
      show('features'); renderFeatures(page); poll();
    }).catch(function (e) {
      $('signin-error').textContent = e.status === 401 || e.status === 404 ? 'Unknown project or wrong read key.' : e.message;
    });
  });
  $('signout').addEventListener('click', function () { signOut(); });
  $('back').addEventListener('click', closeFeature);
  $('filter').addEventListener('change', refresh);
  $('sort').addEventListener('change', refresh);

  if (state.project && state.key) { show('features'); poll(); } else { show('signin'); }
})();
