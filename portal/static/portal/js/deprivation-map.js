// Draws the deprivation layer (statistical areas shaded by IMD decile) on every element with
// data-deprivation-map, from the GeoJSON data island it names. Each area also carries its
// decile number, so colour is never the only cue; the table after the map is its equivalent,
// so the drawn shapes are hidden from assistive technology. Loads Leaflet itself on pages that
// do not already (it is served by the portal, so the Content Security Policy holds).

function loadLeaflet(src) {
  if (window.L) return Promise.resolve(window.L);
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve(window.L);
    script.onerror = reject;
    document.head.appendChild(script);
  });
}

function labelMarker(L, feature) {
  const [lng, lat] = feature.properties.label_point;
  const icon = L.divIcon({
    className: `deprivation-label deprivation-swatch--${feature.properties.decile}`,
    html: String(feature.properties.decile),
    iconSize: [22, 22],
  });
  const marker = L.marker([lat, lng], { icon, interactive: false, keyboard: false });
  marker.on("add", () => marker.getElement().setAttribute("aria-hidden", "true"));
  return marker;
}

function drawLayer(L, element, data) {
  if (!data.features.length) return;
  element.classList.add("map--ready");
  const map = L.map(element, { scrollWheelZoom: false });
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, {
      attribution: element.dataset.tilesAttribution,
      maxZoom: 18,
    }).addTo(map);
  }
  const areas = L.geoJSON(data, {
    style: (feature) => ({
      color: "#0b0c0c", weight: 1, fillColor: feature.properties.colour, fillOpacity: 0.8,
    }),
    onEachFeature: (feature, layer) => {
      layer.bindTooltip(`${feature.properties.name}: ${feature.properties.label}`, { sticky: true });
    },
  }).addTo(map);
  map.fitBounds(areas.getBounds(), { padding: [8, 8] });
  // Zoomed far out the numbers would crowd each other; they return when there is room.
  const labels = L.layerGroup(data.features.map((feature) => labelMarker(L, feature)));
  const showLabels = () => {
    if (map.getZoom() < 13) map.removeLayer(labels);
    else if (!map.hasLayer(labels)) labels.addTo(map);
  };
  showLabels();
  map.on("zoomend", showLabels);
  element.querySelectorAll(".leaflet-interactive").forEach((path) => {
    path.setAttribute("aria-hidden", "true");
  });
}

document.querySelectorAll("[data-deprivation-map]").forEach((element) => {
  const dataElement = document.getElementById(element.dataset.deprivationMap);
  if (!dataElement) return;
  const data = JSON.parse(dataElement.textContent);
  loadLeaflet(element.dataset.leafletSrc).then((L) => {
    if (L) drawLayer(L, element, data);
  });
});
