// Draws neighbourhood boundaries on every element with data-map-data, using Leaflet (served by
// django-leaflet). Maps are an enhancement: each one sits next to a list that does the same job.
const L = window.L;

function drawMap(element) {
  const dataElement = document.getElementById(element.dataset.mapData);
  if (!L || !dataElement) return;
  const data = JSON.parse(dataElement.textContent);
  const [lat, lng] = element.dataset.center.split(",").map(Number);
  element.classList.add("map--ready");
  const map = L.map(element, { scrollWheelZoom: false }).setView([lat, lng], Number(element.dataset.zoom));
  if (element.dataset.tilesUrl) {
    L.tileLayer(element.dataset.tilesUrl, {
      attribution: element.dataset.tilesAttribution,
      maxZoom: 18,
    }).addTo(map);
  }
  const layer = L.geoJSON(data, {
    style: () => ({ color: "#1d4f7c", weight: 2, fillColor: "#1d70b8", fillOpacity: data.focus ? 0.15 : 0.25 }),
    onEachFeature: (feature, featureLayer) => {
      const { name, url } = feature.properties;
      featureLayer.bindTooltip(name, { sticky: true });
      if (url && !data.focus) {
        featureLayer.on("click", () => { window.location.assign(url); });
        featureLayer.on("mouseover", () => featureLayer.setStyle({ fillOpacity: 0.45 }));
        featureLayer.on("mouseout", () => layer.resetStyle(featureLayer));
      }
    },
  }).addTo(map);
  if (layer.getLayers().length) {
    map.fitBounds(layer.getBounds(), { padding: [12, 12] });
  }
  // Paths are drawn as SVG without names; hide them from assistive technology, which uses the list.
  element.querySelectorAll(".leaflet-interactive").forEach((path) => {
    path.setAttribute("aria-hidden", "true");
  });
}

document.querySelectorAll("[data-map-data]").forEach(drawMap);
