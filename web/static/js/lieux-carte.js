// Map of /lieux: Leaflet, points and clusters computed by the server for the page's filters
// (GET /api/v1/places/clusters). Without JavaScript the map stays hidden: the list is complete.
(function () {
  'use strict';
  var el = document.getElementById('carte');
  if (!el || !window.L) return;
  el.hidden = false;
  var d = el.dataset;
  var centre = d.centre ? d.centre.split(',').map(Number) : null;
  var map = L.map(el, { zoomControl: false, scrollWheelZoom: false, minZoom: 2, maxZoom: 18 })
    .setView(centre || [46.6, 2.4], centre ? 11 : 5);
  if (d.cadre) {  // the origin and the places of the page's list
    var f = d.cadre.split(',').map(Number);
    map.fitBounds([[f[0], f[1]], [f[2], f[3]]], { padding: [24, 24], maxZoom: 14 });
  }
  L.control.zoom({ zoomInTitle: d.zoomIn, zoomOutTitle: d.zoomOut }).addTo(map);
  el.setAttribute('role', 'region');
  el.setAttribute('aria-label', d.libelle);
  if (d.tuiles) L.tileLayer(d.tuiles, { attribution: d.attribution || '', maxZoom: 18 }).addTo(map);
  else map.attributionControl.setPrefix(false);
  var layer = L.layerGroup().addTo(map);
  var pending = 0;

  function clamp(v, lo, hi) { return Math.max(lo, Math.min(hi, v)); }

  function marker(f) {
    var c = f.geometry.coordinates, p = f.properties, at = [c[1], c[0]];
    var n = p.nombre;
    var label = n > 1 ? d.groupe.replace('{count}', n) : d.lieu.replace('{name}', p.nom || '');
    var icon = L.divIcon({ className: n > 1 ? 'lieux-groupe' : 'lieux-point', html: n > 1 ? String(n) : '', iconSize: n > 1 ? [36, 36] : [16, 16] });
    var m = L.marker(at, { icon: icon, title: label, alt: label, keyboard: true });
    m.on('add', function () { m.getElement().setAttribute('aria-label', label); });
    if (n > 1) {
      var zoomIn = function () { map.setView(at, Math.min(map.getZoom() + 2, 18)); };
      m.on('click', zoomIn);
      // Leaflet's keyboard Enter only opens popups: a group zooms in with it as with a click.
      m.on('keypress', function (e) { if (e.originalEvent.key === 'Enter' || e.originalEvent.keyCode === 13) zoomIn(); });
    } else {
      var box = document.createElement('div');
      var a = document.createElement('a');
      a.href = p.url;
      a.textContent = p.nom || '';
      box.appendChild(a);
      m.bindPopup(box);
    }
    return m;
  }

  function load() {
    var b = map.getBounds();
    var bbox = [clamp(b.getWest(), -180, 180), clamp(b.getSouth(), -90, 90), clamp(b.getEast(), -180, 180), clamp(b.getNorth(), -90, 90)]
      .map(function (v) { return v.toFixed(4); }).join(',');
    var url = '/api/v1/places/clusters?zoom=' + map.getZoom() + '&bbox=' + bbox + (d.filtres ? '&' + d.filtres : '');
    var ticket = ++pending;
    fetch(url, { headers: { Accept: 'application/geo+json' } })
      .then(function (r) { return r.ok ? r.json() : { features: [] }; })
      .then(function (g) {
        if (ticket !== pending) return;  // a later move answered already
        layer.clearLayers();
        g.features.forEach(function (f) { marker(f).addTo(layer); });
        el.setAttribute('data-charge', String(g.features.length));
        el.setAttribute('data-chargements', String(Number(el.getAttribute('data-chargements') || 0) + 1));
      });
  }
  map.on('popupopen', function (e) {  // Leaflet names its close button in English
    var close = e.popup.getElement().querySelector('.leaflet-popup-close-button');
    if (close) close.setAttribute('aria-label', d.fermer);
  });
  map.on('moveend', load);
  load();
})();
